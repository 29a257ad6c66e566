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
 */
import { BrailleCanvas } from './braille-canvas.ts';
import { fmtCompact } from './format.ts';

/** Options of `lineChart`. */
export interface LineChartOptions {
  /** Total width in terminal columns, labels included. */
  readonly width: number;
  /** Height of the plot in rows (the x-axis label row comes on top of it). */
  readonly height: number;
  /** Seconds between two values (default 1), for the x-axis label. */
  readonly stepSec?: number;
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
  const shown = values.slice(Math.max(0, values.length - canvas.widthPx));
  const yMax = niceCeil(Math.max(0, ...shown));
  const yOf = (v: number): number => canvas.heightPx - 1 - (Math.max(0, v) / yMax) * (canvas.heightPx - 1);
  // Right-aligned: the newest value sits on the right edge, like a strip chart.
  const x0 = canvas.widthPx - shown.length;
  for (let i = 0; i < shown.length; i++) {
    if (i === 0) canvas.set(x0, yOf(shown[0]));
    else canvas.line(x0 + i - 1, yOf(shown[i - 1]), x0 + i, yOf(shown[i]));
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
