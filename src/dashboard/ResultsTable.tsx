/**
 * The side-by-side results: one row per scenario, one column group per target (throughput, p99,
 * grade, ratio to etcd), filling in as scenarios finish. A noop target is the load generator's
 * ceiling: its column shows the ceiling ÷ the fastest target instead of a grade, and cells of a
 * scenario whose ceiling is under 3× the fastest target carry a yellow `cb` (client-bound),
 * explained in the title row.
 */
import { Box, Text } from 'ink';
import { memo } from 'react';
import type { ScenarioCell, ScenarioRow } from '../views/results.ts';
import { CLIENT_BOUND_RATIO, clientBoundReasons, fmtCeilingRatio, isClientBound, RUNNER_BOUND_CPU_PERCENT } from '../views/ceiling.ts';
import { fmtFactor, fmtMs, fmtOps } from '../format/figures.ts';
import { fit } from './format.ts';
import { TABLE_CELL_COLUMNS, TABLE_COMPACT_CELL_COLUMNS, TABLE_NAME_COLUMNS } from './layout.ts';
import { gradeColour, scenarioColour, scenarioIcon } from './status-style.ts';
import { fmtSpread } from '../views/repeat-cell.ts';

/** Props of `ResultsTable`. */
export interface ResultsTableProps {
  readonly rows: readonly ScenarioRow[];
  readonly targets: readonly string[];
  /** Rows to show at most; the last ones are kept. */
  readonly maxRows: number;
  /** Throughput and grade only (narrow terminals). */
  readonly compact: boolean;
  /** The etcd target ratios are taken against (`baselineTarget`); absent when none passed a scenario. */
  readonly baseline?: string;
  /** The noop target whose column is the load generator's ceiling (not graded); absent when none ran. */
  readonly ceilingTarget?: string;
}

/** The client-bound mark in a cell. */
const CB = 'cb';
/** After a grade judged against a per-target SLO a user wrote (`sloByTarget`), not the scenario's. */
const OWN_SLO = '*';

/** The results table with a title row and two header rows (targets, then columns). */
export const ResultsTable = memo(function ResultsTable({ rows, targets, maxRows, compact, baseline, ceilingTarget }: ResultsTableProps) {
  if (maxRows <= 0 || rows.length === 0) return null;
  const shown = rows.slice(Math.max(0, rows.length - maxRows));
  const cellW = compact ? TABLE_COMPACT_CELL_COLUMNS : TABLE_CELL_COLUMNS;
  const head = compact ? 'ops/s   grade' : `ops/s   p99       grade${baseline !== undefined ? ' ×etcd' : ''}`;
  const ceilingHead = compact ? 'ops/s   ÷fastest' : 'ops/s   p99       ÷fastest';
  const reasons = new Set(shown.flatMap((r) => Object.values(r.results).flatMap((c) => clientBoundReasons(c))));
  const anyOwnSlo = shown.some((r) => Object.values(r.results).some((c) => c.ownSlo));
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate">
        Results{rows.length > shown.length ? <Text dimColor> (last {shown.length} of {rows.length})</Text> : null}
        {reasons.size > 0 ? (
          <Text color="yellow">
            {'  '}
            {CB} = client-bound: {[...(reasons.has('ceiling') ? [`no-op ceiling under ${CLIENT_BOUND_RATIO}× the fastest target`] : []), ...(reasons.has('runner-cpu') ? [`runner CPU ≥ ${RUNNER_BOUND_CPU_PERCENT}% of a core`] : [])].join(' or ')}, so the figure may measure the client
          </Text>
        ) : null}
        {anyOwnSlo ? <Text dimColor>{'  '}{OWN_SLO} = graded against this target's own SLO (sloByTarget)</Text> : null}
      </Text>
      <Text wrap="truncate">
        {fit('', TABLE_NAME_COLUMNS)}
        {targets.map((t) => fit(t === ceilingTarget ? `${t} (ceiling)` : t, cellW)).join('')}
      </Text>
      <Text dimColor wrap="truncate">
        {fit('scenario', TABLE_NAME_COLUMNS)}
        {targets.map((t) => fit(t === ceilingTarget ? ceilingHead : t === baseline ? head.replace(' ×etcd', '') : head, cellW)).join('')}
      </Text>
      {shown.map((r) => (
        <Text key={r.name} wrap="truncate">
          {fit(r.name, TABLE_NAME_COLUMNS)}
          {targets.map((t) => (
            <Cell key={t} cell={r.results[t]} width={cellW} compact={compact} isBaseline={t === baseline} ceiling={t === ceilingTarget ? r.ceiling : undefined} isCeiling={t === ceilingTarget} />
          ))}
        </Text>
      ))}
    </Box>
  );
});

interface CellProps {
  readonly cell?: ScenarioCell;
  readonly width: number;
  readonly compact: boolean;
  readonly isBaseline: boolean;
  /** The scenario's ceiling mark, given to the noop column only. */
  readonly ceiling?: ScenarioRow['ceiling'];
  readonly isCeiling: boolean;
}

function Cell({ cell, width, compact, isBaseline, ceiling, isCeiling }: CellProps) {
  if (!cell) return <Text>{' '.repeat(width)}</Text>;
  // Icons are two columns wide whatever their UTF-16 length, so pad by display width.
  if (cell.opsPerSec === undefined) return <Text color={scenarioColour(cell.status)}>{scenarioIcon(cell.status) + ' '.repeat(width - 2)}</Text>;
  // The same figure as the panel above it (`1,256`), not a compact `1.3k` (issue 13 item 9).
  const ops = fmtOps(cell.opsPerSec).padEnd(8);
  if (isCeiling) return <CeilingCell ops={ops} p99Ms={cell.p99Ms} ceiling={ceiling} width={width} compact={compact} />;
  const bound = isClientBound(cell);
  const grade = (cell.grade?.grade ?? (cell.status === 'passed' ? '—' : cell.status)) + (cell.ownSlo ? OWN_SLO : '');
  const gradeCol = cell.grade ? gradeColour(cell.grade.grade) : scenarioColour(cell.status);
  if (compact)
    return (
      <Text>
        {ops}
        <Text color={gradeCol}>{fit(grade, bound ? width - 11 : width - 8)}</Text>
        {bound ? <Text color="yellow">{fit(CB, 3)}</Text> : null}
      </Text>
    );
  const p99 = (cell.p99Ms !== undefined ? fmtMs(cell.p99Ms) : '—').padEnd(10);
  const ratio = cell.vsEtcd?.opsPerSec !== undefined && !isBaseline ? fmtFactor(cell.vsEtcd.opsPerSec) : '';
  // Runs with repeats: the throughput's spread over them (`±4%`), after the ratio.
  const spread = fmtSpread(cell.spread?.opsPerSec);
  return (
    <Text>
      {ops}
      {p99}
      <Text color={gradeCol} bold>
        {fit(grade, bound ? 3 : 6)}
      </Text>
      {bound ? <Text color="yellow">{fit(CB, 3)}</Text> : null}
      {fit([ratio, spread].filter(Boolean).join(' '), width - 24)}
    </Text>
  );
}

/** The noop column: throughput, p99 and the ceiling ÷ the fastest target (yellow when client-bound). */
function CeilingCell({ ops, p99Ms, ceiling, width, compact }: { readonly ops: string; readonly p99Ms?: number; readonly ceiling?: ScenarioRow['ceiling']; readonly width: number; readonly compact: boolean }) {
  const ratio = ceiling ? fmtCeilingRatio(ceiling.ratio) : '—';
  const rest = compact ? width - 8 : width - 18;
  return (
    <Text>
      {ops}
      {compact ? '' : (p99Ms !== undefined ? fmtMs(p99Ms) : '—').padEnd(10)}
      <Text color={ceiling?.clientBound ? 'yellow' : undefined}>{fit(ratio, rest)}</Text>
    </Text>
  );
}
