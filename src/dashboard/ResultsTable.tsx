/**
 * The side-by-side results: one row per scenario, one column group per target (throughput, p99,
 * grade, ratio to etcd), filling in as scenarios finish. A noop target is the load generator's
 * ceiling: its column shows the ceiling ÷ the fastest target instead of a grade (yellow when the
 * fastest reached it), and client-bound cells (`isClientBound`: within 1.25× of the ceiling, or
 * the runner at ≥ 90% of a core) carry a yellow `cb`, explained in the title row. Narrow terminals drop fields in the order `planTable` documents;
 * rows that do not fit scroll, and the title row says which show.
 */
import { Box, Text } from 'ink';
import { memo } from 'react';
import type { ScenarioCell, ScenarioRow } from '../views/results.ts';
import { clientBoundReasons, fmtCeilingRatio, isClientBound, REACHED_CEILING_MARGIN, RUNNER_BOUND_CPU_PERCENT } from '../views/ceiling.ts';
import { fmtFactor, fmtMs, fmtOps } from '../format/figures.ts';
import { fit } from './format.ts';
import { groupWidth, planTable } from './layout.ts';
import type { TablePlan, TableRole } from './layout.ts';
import { scrollLabel, scrollWindow } from './scroll.ts';
import { gradeColour, scenarioColour, scenarioIcon } from './status-style.ts';
import { fmtSpread } from '../views/repeat-cell.ts';

/** Props of `ResultsTable`. */
export interface ResultsTableProps {
  readonly rows: readonly ScenarioRow[];
  readonly targets: readonly string[];
  /** Terminal width, columns: decides which fields show (`planTable`). */
  readonly width: number;
  /** Rows to show at most. */
  readonly maxRows: number;
  /** First row shown (`UiState.resultsTop`); absent: the newest rows. */
  readonly top?: number;
  /** The etcd target ratios are taken against (`baselineTarget`); absent when none passed a scenario. */
  readonly baseline?: string;
  /** The noop target whose column is the load generator's ceiling (not graded); absent when none ran. */
  readonly ceilingTarget?: string;
  /** Targets that have ended: their queued cells are drawn as not run. */
  readonly ended?: readonly string[];
  /** The selected scenario, whose name is highlighted. */
  readonly selected?: string;
}

/** The client-bound mark in a cell. */
const CB = 'cb';
/** After a grade judged against a per-target SLO a user wrote (`sloByTarget`), not the scenario's. */
const OWN_SLO = '*';

/** The results table with a title row and two header rows (targets, then columns). */
export const ResultsTable = memo(function ResultsTable({ rows, targets, width, maxRows, top, baseline, ceilingTarget, ended = [], selected }: ResultsTableProps) {
  if (maxRows <= 0 || rows.length === 0) return null;
  const w = scrollWindow(rows.length, maxRows, top);
  const shown = rows.slice(w.start, w.end);
  const roleOf = (t: string): TableRole => (t === ceilingTarget ? 'ceiling' : t === baseline ? 'baseline' : 'graded');
  const plan = planTable(width, targets.map(roleOf), Math.max(...rows.map((r) => r.name.length)));
  const hasBaseline = baseline !== undefined;
  const widthOf = (t: string): number => groupWidth(plan, roleOf(t), hasBaseline);
  // The noop column shows no `cb`, so its own runner CPU explains nothing in the title row.
  const reasons = new Set(shown.flatMap((r) => Object.entries(r.results).flatMap(([t, c]) => (t === ceilingTarget ? [] : clientBoundReasons(c)))));
  const anyOwnSlo = shown.some((r) => Object.values(r.results).some((c) => c.ownSlo));
  const position = scrollLabel('rows', w);
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate">
        Results{position ? <Text dimColor> {position} (j/k PgUp/PgDn)</Text> : null}
        {reasons.size > 0 ? (
          <Text color="yellow">
            {'  '}
            {CB} = client-bound: {[...(reasons.has('ceiling') ? [`within ${REACHED_CEILING_MARGIN}× of the no-op ceiling`] : []), ...(reasons.has('runner-cpu') ? [`runner CPU ≥ ${RUNNER_BOUND_CPU_PERCENT}% of a core`] : [])].join(' or ')}, so the figure may measure the client
          </Text>
        ) : null}
        {anyOwnSlo ? <Text dimColor>{'  '}{OWN_SLO} = graded against this target's own SLO (sloByTarget)</Text> : null}
      </Text>
      <Text wrap="truncate">
        {fit('', plan.nameWidth)}
        {targets.map((t) => fit(t === ceilingTarget ? `${t} (ceiling)` : t, widthOf(t))).join('')}
      </Text>
      <Text dimColor wrap="truncate">
        {fit('scenario', plan.nameWidth)}
        {targets.map((t) => fit(columnHead(plan, roleOf(t), hasBaseline), widthOf(t))).join('')}
      </Text>
      {shown.map((r) => (
        <Text key={r.name} wrap="truncate">
          <Text inverse={r.name === selected}>{fit(r.name, plan.nameWidth)}</Text>
          {targets.map((t) => (
            <Cell key={t} cell={r.results[t]} plan={plan} width={widthOf(t)} role={roleOf(t)} ceiling={t === ceilingTarget ? r.ceiling : undefined} ended={ended.includes(t)} />
          ))}
        </Text>
      ))}
    </Box>
  );
});

/** `ops/s   p99       grade ×etcd`, with the fields `plan` keeps for a column of `role`. */
function columnHead(plan: TablePlan, role: TableRole, hasBaseline: boolean): string {
  const p99 = plan.p99Unit ? 'p99' : 'p99ms';
  const parts: [string, number][] = [['ops/s', plan.ops]];
  if (role === 'ceiling') parts.push([p99, plan.ceilingP99], ['÷fastest', plan.ceilingRatio]);
  else {
    parts.push([p99, plan.p99], ['grade', plan.grade]);
    if (role === 'graded' && hasBaseline) parts.push(['×etcd', plan.ratio]);
  }
  return parts.map(([s, n]) => fit(s, n)).join('');
}

interface CellProps {
  readonly cell?: ScenarioCell;
  readonly plan: TablePlan;
  /** Width of the whole group, columns. */
  readonly width: number;
  readonly role: TableRole;
  /** The scenario's ceiling mark, given to the noop column only. */
  readonly ceiling?: ScenarioRow['ceiling'];
  /** The target has ended: a queued cell never ran. */
  readonly ended: boolean;
}

function Cell({ cell, plan, width, role, ceiling, ended }: CellProps) {
  if (!cell) return <Text>{' '.repeat(width)}</Text>;
  // Icons are two columns wide whatever their UTF-16 length, so pad by display width.
  // An interrupt during its warm-up leaves a scenario aborted with 0 ops: no figure, the mark.
  if (cell.opsPerSec === undefined || (cell.status === 'aborted' && cell.opsPerSec === 0)) {
    const look = cell.status === 'queued' && ended ? 'not-run' : cell.status;
    return <Text color={scenarioColour(look)}>{scenarioIcon(look) + ' '.repeat(Math.max(0, width - 2))}</Text>;
  }
  // The same figure as the panel above it (`1,256`), not a compact `1.3k` (issue 13 item 9).
  const ops = fit(fmtOps(cell.opsPerSec), plan.ops);
  const p99 = (field: number): string => fit(cell.p99Ms !== undefined ? fmtMs(cell.p99Ms, plan.p99Unit) : '—', field);
  if (role === 'ceiling') {
    const ratio = ceiling ? fmtCeilingRatio(ceiling.ratio) : '—';
    return (
      <Text>
        {ops}
        {p99(plan.ceilingP99)}
        <Text color={ceiling?.clientBound ? 'yellow' : undefined}>{fit(ratio, width - plan.ops - plan.ceilingP99)}</Text>
      </Text>
    );
  }
  const bound = isClientBound(cell);
  const grade = (cell.grade?.grade ?? (cell.status === 'passed' ? '—' : cell.status)) + (cell.ownSlo ? OWN_SLO : '');
  const gradeCol = cell.grade ? gradeColour(cell.grade.grade) : scenarioColour(cell.status);
  const ratio = cell.vsEtcd?.opsPerSec !== undefined && role === 'graded' ? fmtFactor(cell.vsEtcd.opsPerSec) : '';
  // Runs with repeats: the throughput's spread over them (`±4%`), after the ratio.
  const tail = [ratio, fmtSpread(cell.spread?.opsPerSec)].filter(Boolean).join(' ');
  const rest = width - plan.ops - plan.p99 - plan.grade;
  return (
    <Text>
      {ops}
      {p99(plan.p99)}
      <Text color={gradeCol} bold>
        {fit(grade, bound ? 3 : plan.grade)}
      </Text>
      {bound ? <Text color="yellow">{fit(CB, plan.grade - 3)}</Text> : null}
      {rest > 0 ? fit(tail, rest) : null}
    </Text>
  );
}
