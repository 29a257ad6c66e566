/**
 * Scrolling a list in a fixed number of rows (the results table, the scenario detail): which
 * slice is shown and how the position reads. Pure.
 *
 * ```ts
 * scrollWindow(14, 6, 2);              // { start: 2, end: 8, total: 14 }
 * scrollLabel('rows', { start: 2, end: 8, total: 14 }); // 'rows 3–8 of 14 ↑↓'
 * scrollWindow(14, 6);                 // the last six: { start: 8, end: 14, total: 14 }
 * ```
 */

/** Items `start` (inclusive) to `end` (exclusive) of `total` are shown. */
export interface ScrollWindow {
  readonly start: number;
  readonly end: number;
  readonly total: number;
}

/** The highest first item that still fills `visible` rows. */
export function maxTop(total: number, visible: number): number {
  return Math.max(0, total - Math.max(0, visible));
}

/** The window of `visible` rows from `top` (clamped); without `top`, the last rows (follow the newest). */
export function scrollWindow(total: number, visible: number, top?: number): ScrollWindow {
  const last = maxTop(total, visible);
  const start = top === undefined ? last : Math.min(Math.max(0, top), last);
  return { start, end: Math.min(total, start + Math.max(0, visible)), total };
}

/** True when some items are out of view. */
export function isScrollable(w: ScrollWindow): boolean {
  return w.end - w.start < w.total;
}

/** `rows 3–8 of 14 ↑↓`: 1-based, with arrows for the directions that have more; '' when everything shows. */
export function scrollLabel(what: string, w: ScrollWindow): string {
  if (!isScrollable(w)) return '';
  const arrows = `${w.start > 0 ? '↑' : ''}${w.end < w.total ? '↓' : ''}`;
  return `${what} ${w.start + 1}–${w.end} of ${w.total} ${arrows}`;
}
