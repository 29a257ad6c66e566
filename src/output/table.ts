/**
 * The final results table of the plain output: one row per scenario, one column per target,
 * each cell `ops/s · p99 · grade`, then a status line per target. A noop target's column is the
 * load generator's ceiling (no grade); cells within 1.25× of that ceiling, or whose runner used
 * ≥ 90% of a core (`isClientBound`), say `client-bound (at ceiling 1.17×)` / `client-bound
 * (runner CPU 96%)`, explained below the table (naming the run's client). The painter colours grades,
 * states and client-bound marks (the dashboard's palette); columns are padded on the plain text,
 * so they line up with or without escape codes. By default nothing is painted.
 */
import { clientBoundNotes, clientBoundText } from '../views/ceiling.ts';
import { fmtDuration, fmtMs, fmtOps } from '../format/figures.ts';
import type { RunState } from '../state/types.ts';
import { isCeilingTarget, resultRows, type ScenarioCell } from '../views/results.ts';
import { fmtSpread, type RepeatSpread } from '../views/repeat-cell.ts';
import { NO_PAINT, type Painter } from './colour.ts';

/** A table cell: its plain text (for widths) and the same text painted. */
interface Cell {
  plain: string;
  painted: string;
}

const cell = (plain: string, painted = plain): Cell => ({ plain, painted });

/** Joins cells' parts with ` · `, keeping the plain and painted texts in step. */
function joined(parts: readonly Cell[]): Cell {
  return { plain: parts.map((c) => c.plain).join(' · '), painted: parts.map((c) => c.painted).join(' · ') };
}

/** Renders the table for a (finished) run state. */
export function renderResultsTable(state: RunState, p: Painter = NO_PAINT): string {
  const targets = state.targetOrder;
  const rows = resultRows(state);
  const header = ['scenario', ...targets.map((t) => (isCeilingTarget(state, t) ? `${t} (ceiling)` : t))].map((h) => cell(h, p.bold(h)));
  const body = rows.map((r) => [cell(r.name), ...targets.map((t) => cellText(r.results[t], p))]);
  const status = [cell('status'), ...targets.map((t) => statusText(state, t, p))];
  const all = [header, ...body, status];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i].plain.length)));
  const line = (row: Cell[]) =>
    row
      .map((c, i) => c.painted + ' '.repeat(widths[i] - c.plain.length))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const notes = clientBoundNotes(rows.flatMap((r) => Object.values(r.results)), state.client);
  return [line(header), rule, ...body.map(line), rule, line(status), ...notes].join('\n') + '\n';
}

function cellText(c: ScenarioCell | undefined, p: Painter): Cell {
  if (!c) return cell('-');
  if (c.opsPerSec === undefined) return cell(c.status, p.scenario(c.status));
  // Runs with repeats: medians, each with its spread over the repeats (`±4%`).
  const spread = (s: RepeatSpread | undefined) => (s !== undefined ? ` ${fmtSpread(s)}` : '');
  const parts = [cell(`${fmtOps(c.opsPerSec)} ops/s${spread(c.spread?.opsPerSec)}`)];
  if (c.p99Ms !== undefined) parts.push(cell(`p99 ${fmtMs(c.p99Ms)}${spread(c.spread?.p99Ms)}`));
  if (c.grade) {
    const g = c.grade.grade;
    parts.push(c.ownSlo ? cell(`${g} (own SLO)`, `${p.grade(g)} (own SLO)`) : cell(g, p.grade(g)));
  }
  if (c.status !== 'passed') parts.push(cell(c.status.toUpperCase(), p.scenario(c.status, c.status.toUpperCase())));
  const bound = clientBoundText(c);
  if (bound) parts.push(cell(bound, p.mark('warning', bound)));
  return joined(parts);
}

function statusText(state: RunState, target: string, p: Painter): Cell {
  const st = state.targets[target].status;
  const text = (() => {
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
  })();
  return cell(text, p.target(st.state, text));
}
