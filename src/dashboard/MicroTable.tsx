/** The micro-benchmark table: one row per case, one column per engine (ops/s and p99). */
import { Box, Text } from 'ink';
import { memo } from 'react';
import type { MicroTable as MicroTableData } from '../views/micro.ts';
import { fmtCompact, fmtNs } from '../format/figures.ts';
import { fit } from './format.ts';

/** Props of `MicroTable`. */
export interface MicroTableProps {
  readonly table: MicroTableData;
  /** Rows to show at most. */
  readonly maxRows: number;
}

const CASE_COLUMNS = 24;
const ENGINE_COLUMNS = 22;

/** Micro results side by side; absent until the first micro result arrives. */
export const MicroTable = memo(function MicroTable({ table, maxRows }: MicroTableProps) {
  if (maxRows <= 0 || table.rows.length === 0) return null;
  const shown = table.rows.slice(0, maxRows);
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate">
        Micro-benchmarks{table.rows.length > shown.length ? <Text dimColor> ({shown.length} of {table.rows.length})</Text> : null}
      </Text>
      <Text dimColor wrap="truncate">
        {fit('case', CASE_COLUMNS)}
        {table.engines.map((e) => fit(`${e}: ops/s  p99`, ENGINE_COLUMNS)).join('')}
      </Text>
      {shown.map((r) => (
        <Text key={r.case} wrap="truncate">
          {fit(r.case, CASE_COLUMNS)}
          {table.engines
            .map((e) => {
              const m = r.results[e];
              return fit(m ? `${fmtCompact(m.opsPerSec).padEnd(7)}${fmtNs(m.p99Ns)}` : '—', ENGINE_COLUMNS);
            })
            .join('')}
        </Text>
      ))}
    </Box>
  );
});
