/**
 * The final results table of the plain output: one row per scenario, one column per target,
 * each cell `ops/s · p99 · grade`, then a status line per target. Plain text, no escape codes.
 * A noop target's column is the load generator's ceiling (no grade); cells of a scenario whose
 * ceiling is under 3× the fastest target, or whose runner used ≥ 90% of a core, say
 * `client-bound (ceiling 2.9×)` / `client-bound (runner CPU 96%)`, explained below the table.
 */
import { clientBoundNotes, clientBoundText } from '../views/ceiling.ts';
import { fmtDuration, fmtMs, fmtOps } from '../format/figures.ts';
import type { RunState } from '../state/types.ts';
import { isCeilingTarget, resultRows, type ScenarioCell } from '../views/results.ts';
import { fmtSpread, type RepeatSpread } from '../views/repeat-cell.ts';

/** Renders the table for a (finished) run state. */
export function renderResultsTable(state: RunState): string {
  const targets = state.targetOrder;
  const rows = resultRows(state);
  const header = ['scenario', ...targets.map((t) => (isCeilingTarget(state, t) ? `${t} (ceiling)` : t))];
  const body = rows.map((r) => [r.name, ...targets.map((t) => cellText(r.results[t]))]);
  const status = ['status', ...targets.map((t) => statusText(state, t))];
  const all = [header, ...body, status];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i].length)));
  const line = (row: string[]) => row.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const notes = clientBoundNotes(rows.flatMap((r) => Object.values(r.results)));
  return [line(header), rule, ...body.map(line), rule, line(status), ...notes].join('\n') + '\n';
}

function cellText(cell: ScenarioCell | undefined): string {
  if (!cell) return '-';
  if (cell.opsPerSec === undefined) return cell.status;
  // Runs with repeats: medians, each with its spread over the repeats (`±4%`).
  const spread = (s: RepeatSpread | undefined) => (s !== undefined ? ` ${fmtSpread(s)}` : '');
  const parts = [`${fmtOps(cell.opsPerSec)} ops/s${spread(cell.spread?.opsPerSec)}`];
  if (cell.p99Ms !== undefined) parts.push(`p99 ${fmtMs(cell.p99Ms)}${spread(cell.spread?.p99Ms)}`);
  if (cell.grade) parts.push(cell.ownSlo ? `${cell.grade.grade} (own SLO)` : cell.grade.grade);
  if (cell.status !== 'passed') parts.push(cell.status.toUpperCase());
  const bound = clientBoundText(cell);
  if (bound) parts.push(bound);
  return parts.join(' · ');
}

function statusText(state: RunState, target: string): string {
  const st = state.targets[target].status;
  switch (st.state) {
    case 'completed':
      return `completed in ${fmtDuration(st.durationMs)}`;
    case 'interrupted':
    case 'crashed':
      return `${st.state}${st.error ? `: ${st.error.split('\n')[0].slice(0, 60)}` : ''}`;
    case 'unavailable':
      return `unavailable${st.hint ? ` (${st.hint})` : ''}`;
    case 'waiting':
    case 'starting':
    case 'running':
      return st.state;
  }
}
