/**
 * Draws a `ChartView` (chart-model.ts) as rows of styled text segments: a title row, `height`
 * braille plot rows with y labels, and an x axis row. Pure; `ThroughputChart.tsx` turns the
 * segments into Ink `<Text>`.
 *
 * ```
 *  ops/s  sustained-load                         ━ rocksdb  ━ memory
 *     8k ┤        ⢀⣀⣀⡠⠤⠤⠤⠤⠤⢄⣀⣀⣀⣀⡀              ← memory, dimmed, behind
 *     4k ┤⢀⠤⠒⠉⠉⠉⠉⠉⠉⠒⠒⠒⠢⠤⠤                        ← rocksdb, live, in front
 *      0 ┤
 *        0s              15s               30s
 * ```
 * Every line is drawn on a canvas of its own and each cell shows one of them, because a
 * terminal cell has one colour: the front (live) line wins any cell it touches, then the lines
 * behind in their order; a cell the front line touches shows only the front line's dots. On the
 * `span` view a dim `┊` marks each scenario's start where no line passes, and the title row
 * names the scenarios from their marks.
 */
import { BrailleCanvas, brailleGlyph } from './braille-canvas.ts';
import { xAxisRow, yScale } from './chart-axes.ts';
import type { YScale } from './chart-axes.ts';
import { MIN_SCENARIO_AXIS_SEC } from './chart-model.ts';
import type { ChartLine, ChartView } from './chart-model.ts';
import type { InkColour } from '../report/charts/target-colours.ts';

/** A piece of a row in one style. */
export interface ChartSegment {
  readonly text: string;
  readonly colour?: InkColour;
  readonly dim?: boolean;
  readonly bold?: boolean;
}

/** One terminal row of the chart. */
export type ChartRow = readonly ChartSegment[];

/** The drawn chart: `height + 2` rows (title, plot, x axis). */
export interface ChartFrame {
  readonly rows: readonly ChartRow[];
  readonly y: YScale;
}

/** Options of `drawChart`. */
export interface DrawOptions {
  /** Total width in columns, labels included. */
  readonly width: number;
  /** Plot rows (the title row and the x axis row come on top of them). */
  readonly height: number;
}

/** Columns left of the plot: a 5-wide y label, a space, the axis tick. */
export const LABEL_COLUMNS = 7;
/** The y unit, printed above the labels. */
export const Y_UNIT = 'ops/s';
/** The mark of a scenario start on the span view. */
export const MARK = '┊';

/** Draws `view` (or an empty chart when there is nothing yet). */
export function drawChart(view: ChartView | undefined, opts: DrawOptions): ChartFrame {
  const height = Math.max(1, Math.floor(opts.height));
  const plotW = Math.max(1, Math.floor(opts.width) - LABEL_COLUMNS);
  const lines = view === undefined ? [] : view.kind === 'scenario' ? [view.front, ...view.behind] : [view.front];
  const xMaxSec = view?.xMaxSec ?? MIN_SCENARIO_AXIS_SEC;
  let max = 0;
  for (const l of lines) for (const p of l.pieces) for (const pt of p.points) max = Math.max(max, pt.opsPerSec);
  const y = yScale(max, height);
  const canvases = lines.map((l) => plotLine(l, new BrailleCanvas(plotW, height), xMaxSec, y.top));
  const markCols = new Set(view?.kind === 'span' ? view.marks.map((m) => colOf(m.xSec, xMaxSec, plotW)) : []);
  const rows: ChartRow[] = [titleRow(view, plotW, markCols)];
  for (let r = 0; r < height; r++) {
    const tick = y.ticks.find((t) => t.row === r);
    const cells: ChartSegment[] = [{ text: `${(tick?.label ?? '').padStart(LABEL_COLUMNS - 2)} ${tick ? '┤' : '│'}`, dim: true }];
    for (let c = 0; c < plotW; c++) cells.push(cellAt(lines, canvases, markCols, c, r));
    rows.push(joinSegments(cells));
  }
  rows.push([{ text: ' '.repeat(LABEL_COLUMNS) + xAxisRow(xMaxSec, plotW), dim: true }]);
  return { rows, y };
}

/** The plot column (cell) of x. */
function colOf(xSec: number, xMaxSec: number, plotW: number): number {
  return Math.round((xSec / xMaxSec) * (plotW * 2 - 1)) >> 1;
}

/**
 * Draws one line: points falling on the same pixel column are averaged (a long span has many
 * per column), neighbours are joined unless the data has a gap wider than the piece allows.
 */
function plotLine(line: ChartLine, canvas: BrailleCanvas, xMaxSec: number, top: number): BrailleCanvas {
  const pxOf = (x: number) => Math.round((Math.max(0, x) / xMaxSec) * (canvas.widthPx - 1));
  const pyOf = (v: number) => (canvas.heightPx - 1) * (1 - Math.min(Math.max(0, v), top) / top);
  for (const piece of line.pieces) {
    let prev: { px: number; py: number; lastX: number } | undefined;
    let i = 0;
    const pts = piece.points;
    while (i < pts.length) {
      const px = pxOf(pts[i].xSec);
      const firstX = pts[i].xSec;
      let sum = 0;
      let n = 0;
      for (; i < pts.length && pxOf(pts[i].xSec) === px; i++, n++) sum += pts[i].opsPerSec;
      const here = { px, py: pyOf(sum / n), lastX: pts[i - 1].xSec };
      if (prev && firstX - prev.lastX <= piece.joinSec) canvas.line(prev.px, prev.py, here.px, here.py);
      else canvas.set(here.px, here.py);
      prev = here;
    }
  }
  return canvas;
}

/** The front line wins a cell it touches, then the lines behind in order, then a scenario mark. */
function cellAt(lines: readonly ChartLine[], canvases: readonly BrailleCanvas[], marks: ReadonlySet<number>, c: number, r: number): ChartSegment {
  for (let k = 0; k < canvases.length; k++) {
    const bits = canvases[k].bits(c, r);
    if (bits !== 0) return k === 0 ? { text: brailleGlyph(bits), colour: lines[0].colour } : { text: brailleGlyph(bits), colour: lines[k].colour, dim: true };
  }
  // Empty cells as spaces: they look the same, and the renderer measures ASCII much faster.
  return marks.has(c) ? { text: MARK, dim: true } : { text: ' ' };
}

/** The title: unit over the labels, then the scenario and legend, or the scenario names at their marks. */
function titleRow(view: ChartView | undefined, plotW: number, markCols: ReadonlySet<number>): ChartRow {
  const unit: ChartSegment = { text: `${Y_UNIT.padStart(LABEL_COLUMNS - 2)}  `, dim: true };
  if (view === undefined) return [unit];
  if (view.kind === 'span') {
    const cols = [...markCols].sort((a, b) => a - b);
    const text = Array.from({ length: plotW }, () => ' ');
    for (const m of view.marks) {
      const col = colOf(m.xSec, view.xMaxSec, plotW);
      const next = cols.find((c) => c > col) ?? plotW + 1;
      const name = fit(m.scenario, next - col - 1);
      for (let j = 0; j < name.length; j++) if (col + j < plotW) text[col + j] = name[j];
    }
    return [unit, { text: text.join('').trimEnd() }];
  }
  // Legend (only when there is something to tell apart): the live target first, bold, then the
  // dimmed ones; the scenario name gets what is left.
  const entries = view.behind.length > 0 ? [view.front, ...view.behind] : [];
  const legend: ChartSegment[] = [];
  let used = 0;
  for (const [k, l] of entries.entries()) {
    const text = `${k === 0 ? '' : '  '}━ ${l.target}`;
    if (used + text.length > plotW) break;
    legend.push(k === 0 ? { text, colour: l.colour, bold: true } : { text, colour: l.colour, dim: true });
    used += text.length;
  }
  const nameRoom = plotW - used - (used > 0 ? 2 : 0);
  const long = `${view.scenario} · seconds into it`;
  const name = long.length <= nameRoom ? long : fit(view.scenario, nameRoom);
  const gap = legend.length > 0 ? Math.max(0, plotW - name.length - used) : 0;
  return joinSegments([unit, { text: name }, { text: ' '.repeat(gap) }, ...legend]);
}

/** `s` cut to `room` columns with an ellipsis; nothing below 2 columns. */
function fit(s: string, room: number): string {
  if (room < 2) return '';
  return s.length <= room ? s : `${s.slice(0, room - 1)}…`;
}

/** Neighbouring segments of one style as one. */
function joinSegments(cells: readonly ChartSegment[]): ChartRow {
  const out: ChartSegment[] = [];
  for (const c of cells) {
    if (c.text === '') continue;
    const last = out.at(-1);
    if (last && last.colour === c.colour && last.dim === c.dim && last.bold === c.bold) out[out.length - 1] = { ...last, text: last.text + c.text };
    else out.push(c);
  }
  return out;
}
