/**
 * The side-by-side results: one row per scenario, one column group per target (throughput, p99,
 * grade, ratio to etcd), filling in as scenarios finish.
 */
import { Box, Text } from 'ink';
import { memo } from 'react';
import { BASELINE_TARGET } from '../state/selectors.ts';
import type { ResultCell, ResultRow } from '../state/selectors.ts';
import { fmtFactor } from '../grades/format.ts';
import { fit, fmtCompact, fmtMs } from './format.ts';
import { TABLE_CELL_COLUMNS, TABLE_COMPACT_CELL_COLUMNS, TABLE_NAME_COLUMNS } from './layout.ts';
import { gradeColour, scenarioColour, scenarioIcon } from './status-style.ts';

/** Props of `ResultsTable`. */
export interface ResultsTableProps {
  readonly rows: readonly ResultRow[];
  readonly targets: readonly string[];
  /** Rows to show at most; the last ones are kept. */
  readonly maxRows: number;
  /** Throughput and grade only (narrow terminals). */
  readonly compact: boolean;
  readonly hasBaseline: boolean;
}

/** The results table with a title row and two header rows (targets, then columns). */
export const ResultsTable = memo(function ResultsTable({ rows, targets, maxRows, compact, hasBaseline }: ResultsTableProps) {
  if (maxRows <= 0 || rows.length === 0) return null;
  const shown = rows.slice(Math.max(0, rows.length - maxRows));
  const cellW = compact ? TABLE_COMPACT_CELL_COLUMNS : TABLE_CELL_COLUMNS;
  const head = compact ? 'ops/s   grade' : `ops/s   p99       grade${hasBaseline ? ' ×etcd' : ''}`;
  const baseline = hasBaseline ? BASELINE_TARGET : undefined;
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate">
        Results{rows.length > shown.length ? <Text dimColor> (last {shown.length} of {rows.length})</Text> : null}
      </Text>
      <Text wrap="truncate">
        {fit('', TABLE_NAME_COLUMNS)}
        {targets.map((t) => fit(t, cellW)).join('')}
      </Text>
      <Text dimColor wrap="truncate">
        {fit('scenario', TABLE_NAME_COLUMNS)}
        {targets.map((t) => fit(t === baseline ? head.replace(' ×etcd', '') : head, cellW)).join('')}
      </Text>
      {shown.map((r) => (
        <Text key={r.scenario} wrap="truncate">
          {fit(r.scenario, TABLE_NAME_COLUMNS)}
          {targets.map((t) => (
            <Cell key={t} cell={r.cells[t]} width={cellW} compact={compact} isBaseline={t === baseline} />
          ))}
        </Text>
      ))}
    </Box>
  );
});

function Cell({ cell, width, compact, isBaseline }: { readonly cell?: ResultCell; readonly width: number; readonly compact: boolean; readonly isBaseline: boolean }) {
  if (!cell) return <Text>{' '.repeat(width)}</Text>;
  // Icons are two columns wide whatever their UTF-16 length, so pad by display width.
  if (!cell.end) return <Text color={scenarioColour(cell.state)}>{scenarioIcon(cell.state) + ' '.repeat(width - 2)}</Text>;
  const ops = fmtCompact(cell.opsPerSec ?? 0).padEnd(8);
  const grade = cell.grade ?? (cell.state === 'passed' ? '—' : cell.state);
  const gradeCol = cell.grade ? gradeColour(cell.end.grade!.grade) : scenarioColour(cell.state);
  if (compact)
    return (
      <Text>
        {ops}
        <Text color={gradeCol}>{fit(grade, width - 8)}</Text>
      </Text>
    );
  const p99 = (cell.p99Ms !== undefined ? fmtMs(cell.p99Ms) : '—').padEnd(10);
  const ratio = cell.ratioToBaseline !== undefined && !isBaseline ? fmtFactor(cell.ratioToBaseline) : '';
  return (
    <Text>
      {ops}
      {p99}
      <Text color={gradeCol} bold>
        {fit(grade, 6)}
      </Text>
      {fit(ratio, width - 24)}
    </Text>
  );
}
