/**
 * A braille line chart of a series with axis labels, as plain strings (the component colours it).
 *
 * ```
 * 2.4k ┤⠀⠀⠀⢀⠤⠒⠉⠉⠉⠒⠢⠤⣀⠀⠀
 *      │⠀⢀⠔⠁⠀⠀⠀⠀⠀⠀⠀⠀⠀⠉⠢
 *    0 ┼⠔⠁⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀
 *      -30s          now
 * ```
 * One value per pixel column (two per cell), newest on the right; older values scroll off.
 * With `times`, a value sits at its own time (one column per `stepSec`, the newest value at the
 * right edge), so a pause between scenarios shows as a gap and the axis label is the real span;
 * without, values are taken as `stepSec` apart.
 */
import { BrailleCanvas } from './braille-canvas.ts';
import { fmtCompact } from '../format/figures.ts';

/** Options of `lineChart`. */
export interface LineChartOptions {
  /** Total width in terminal columns, labels included. */
  readonly width: number;
  /** Height of the plot in rows (the x-axis label row comes on top of it). */
  readonly height: number;
  /** Seconds per pixel column (default 1): the spacing of values without `times`. */
  readonly stepSec?: number;
  /** When each value was taken (ms, ascending, as many as the values). */
  readonly times?: readonly number[];
}

/** The chart's rows: `height` plot rows then one x-axis row. */
export interface LineChart {
  readonly rows: readonly string[];
  /** Top of the y axis (a rounded-up maximum). */
  readonly yMax: number;
}

/** A "nice" axis top at or above `x`: 1, 2, 2.5 or 5 times a power of ten. */
export function niceCeil(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}

/** Renders `values` (oldest first) as a braille line chart with y labels and a time axis. */
export function lineChart(values: readonly number[], opts: LineChartOptions): LineChart {
  const height = Math.max(1, Math.floor(opts.height));
  const step = opts.stepSec ?? 1;
  const labelW = 6;
  const plotW = Math.max(1, Math.floor(opts.width) - labelW - 1);
  const canvas = new BrailleCanvas(plotW, height);
  // Right-aligned: the newest value sits on the right edge, like a strip chart.
  const right = canvas.widthPx - 1;
  const times = opts.times;
  const xs = values.map((_, i) =>
    times === undefined ? right - (values.length - 1 - i) : right - Math.round((times[times.length - 1] - times[i]) / 1000 / step),
  );
  let first = xs.findIndex((x) => x >= 0);
  if (first < 0) first = values.length;
  const shown = values.slice(first);
  const yMax = niceCeil(Math.max(0, ...shown));
  const yOf = (v: number): number => canvas.heightPx - 1 - (Math.max(0, v) / yMax) * (canvas.heightPx - 1);
  for (let i = first; i < values.length; i++) {
    // Neighbours more than two columns apart (a pause between scenarios) stay unjoined.
    if (i > first && xs[i] - xs[i - 1] <= 2) canvas.line(xs[i - 1], yOf(values[i - 1]), xs[i], yOf(values[i]));
    else canvas.set(xs[i], yOf(values[i]));
  }
  // Empty cells as spaces: they look the same, and the renderer measures ASCII much faster.
  const plot = canvas.rows().map((r) => r.replaceAll('\u2800', ' '));
  const rows = plot.map((r, i) => {
    const label = i === 0 ? fmtCompact(yMax) : i === height - 1 ? '0' : '';
    const tick = i === 0 || i === height - 1 ? '┤' : '│';
    return `${label.padStart(labelW - 1)} ${tick}${r}`;
  });
  const spanSec = Math.round(canvas.widthPx * step);
  const left = `-${spanSec >= 120 ? `${Math.round(spanSec / 60)}m` : `${spanSec}s`}`;
  const axis = ' '.repeat(labelW + 1) + left + 'now'.padStart(Math.max(0, plotW - left.length));
  return { rows: [...rows, axis], yMax };
}
