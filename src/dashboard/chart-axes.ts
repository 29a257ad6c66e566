/**
 * Axes of the terminal chart: a y scale of 2–5 round labels (ops/s, `k`/`M` through
 * `fmtCompact`) on distinct rows, and an x axis row of time labels. Pure.
 *
 * ```
 * yScale(7200, 8) → top 8000, labels 8k 6k 4k 2k 0 on rows 0 2 4 5 7
 * ```
 */
import { fmtClock, fmtCompact } from '../format/figures.ts';

/** A y label and the chart row (0 = top) it sits on. */
export interface YTick {
  readonly value: number;
  readonly row: number;
  readonly label: string;
}

/** The y axis: its top value and labels, top first. */
export interface YScale {
  readonly top: number;
  readonly ticks: readonly YTick[];
}

/** Steps at or above 1 whose multiples print exactly with `fmtCompact` (2.5 would print as 3). */
function* niceSteps(): Generator<number> {
  yield 1;
  yield 2;
  yield 5;
  for (let p = 10; ; p *= 10) {
    yield p;
    yield 2 * p;
    yield 2.5 * p;
    yield 5 * p;
  }
}

/**
 * A round y axis for values up to `max` on `rows` rows: the finest step that needs at most
 * `min(4, rows − 1)` intervals, so 3–5 labels when the chart has 3 rows or more.
 */
export function yScale(max: number, rows: number): YScale {
  const h = Math.max(1, Math.floor(rows));
  const m = Number.isFinite(max) && max > 0 ? max : 1;
  const most = Math.max(1, Math.min(4, h - 1));
  let step = 1;
  for (const s of niceSteps()) {
    step = s;
    if (Math.ceil(m / s) <= most) break;
  }
  const intervals = Math.max(1, Math.ceil(m / step));
  const top = intervals * step;
  const ticks: YTick[] = [];
  for (let j = intervals; j >= 0; j--) {
    const value = j * step;
    // With one row only the top is labelled.
    if (h === 1 && j < intervals) break;
    ticks.push({ value, row: Math.round((h - 1) * (1 - value / top)), label: fmtCompact(value) });
  }
  return { top, ticks };
}

/** A time label: `0s`, `45s`, `2m 05s`. */
export const fmtAxisSec = (sec: number): string => fmtClock(Math.round(sec) * 1000);

/**
 * The x axis labels as one row of `width` columns: 0 on the left, `xMaxSec` on the right and,
 * when there is room, the middle. Cell `c` stands for x = c / (width − 1) · xMaxSec.
 */
export function xAxisRow(xMaxSec: number, width: number): string {
  const w = Math.max(0, Math.floor(width));
  const row = Array.from({ length: w }, () => ' ');
  const put = (col: number, text: string) => {
    for (let i = 0; i < text.length; i++) if (col + i >= 0 && col + i < w) row[col + i] = text[i];
  };
  const left = fmtAxisSec(0);
  const right = fmtAxisSec(xMaxSec);
  if (left.length + right.length + 1 > w) return right.slice(0, w).padStart(w);
  put(0, left);
  put(w - right.length, right);
  const mid = fmtAxisSec(xMaxSec / 2);
  const midCol = Math.round(((w - 1) * Math.round(xMaxSec / 2)) / Math.max(1, xMaxSec)) - Math.floor(mid.length / 2);
  if (midCol > left.length + 1 && midCol + mid.length < w - right.length - 1 && mid !== left && mid !== right) put(midCol, mid);
  return row.join('');
}
