/**
 * A results cell's repeats (`metabench run --repeat N`): each repeat's headline figures, their
 * median (what the cell shows and is graded on) and their spread, min–max with half the range
 * as a percentage of the median. `summary.json` carries these per cell; report.md, the plain
 * table and the dashboard show `12.3k ±4%`; `metabench compare` calls a change only beyond them.
 */
import type { ScenarioEndEvent } from '../events/schema.ts';
import { headlineLatency } from '../grades/headline.ts';
import { median, repeatOf, spreadOf, type RepeatSpread } from '../state/repeats.ts';

export type { RepeatSpread } from '../state/repeats.ts';

/** The headline figures a repeat is judged and compared on. */
export interface RepeatFigures {
  opsPerSec: number;
  /** Headline p99, ms. */
  p99Ms?: number;
  /** Server CPU per operation, µs (the steadiest figure on a loaded machine). */
  serverCpuUsPerOp?: number;
}

/** One repeat of a cell. */
export interface CellRepeat extends RepeatFigures {
  /** 1-based. */
  repeat: number;
  status: ScenarioEndEvent['status'];
}

/** The repeat fields of a cell; present only in runs with repeats. */
export interface CellRepeats {
  repeats: CellRepeat[];
  /** Median of each figure over `repeats` (the cell's own `opsPerSec`, `p99Ms`, … are these). */
  median: RepeatFigures;
  /** Min–max of each figure over `repeats`, with `pct` = half the range ÷ median × 100. */
  spread: { opsPerSec: RepeatSpread; p99Ms?: RepeatSpread; serverCpuUsPerOp?: RepeatSpread };
}

/** The repeat fields of a cell from the scenario-end of each repeat (in repeat order). */
export function cellRepeats(ends: readonly ScenarioEndEvent[]): CellRepeats | undefined {
  if (ends.length === 0) return undefined;
  const repeats: CellRepeat[] = ends.map((e) => {
    const p99 = headlineLatency(e.latency, e.headline)?.p99Ms;
    const cpu = e.extra?.serverCpuUsPerOp;
    return { repeat: repeatOf(e), status: e.status, opsPerSec: e.opsPerSec, ...(p99 !== undefined ? { p99Ms: p99 } : {}), ...(cpu !== undefined ? { serverCpuUsPerOp: cpu } : {}) };
  });
  const medianOf: RepeatFigures = { opsPerSec: median(repeats.map((r) => r.opsPerSec)) };
  const spread: CellRepeats['spread'] = { opsPerSec: spreadOf(repeats.map((r) => r.opsPerSec)) };
  for (const k of ['p99Ms', 'serverCpuUsPerOp'] as const) {
    // A figure only some repeats measured has no spread worth showing.
    const values = repeats.map((r) => r[k]).filter((v): v is number => v !== undefined);
    if (values.length !== repeats.length) continue;
    medianOf[k] = median(values);
    spread[k] = spreadOf(values);
  }
  return { repeats, median: medianOf, spread };
}

/** `±4%` (half the min–max range over repeats ÷ the median); empty without repeats. */
export function fmtSpread(s: RepeatSpread | undefined): string {
  if (s === undefined) return '';
  return `±${s.pct < 10 ? s.pct.toFixed(1).replace(/\.0$/, '') : Math.round(s.pct)}%`;
}
