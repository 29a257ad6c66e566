/**
 * Decides what fits the terminal: panels side by side or stacked, chart height, how many rows
 * of each table. Pure, so every size can be tested without a terminal. The frame is kept one
 * row shorter than the terminal: an Ink frame as tall as the screen is redrawn from scratch on
 * every update (flicker and extra CPU).
 */

/** Narrowest terminal the dashboard draws in, columns. */
export const MIN_COLUMNS = 80;
/** From this width up, target panels sit side by side. */
export const SIDE_BY_SIDE_COLUMNS = 120;
/** Narrowest panel worth drawing side by side, columns. */
const MIN_PANEL_WIDTH = 34;
/** Chart rows at most / at least (below the minimum the chart is dropped). */
const MAX_CHART_ROWS = 8;
const MIN_CHART_ROWS = 2;
/** Rows of a panel besides scenarios and chart: border 2, title, server, CPU/RSS, progress, live. */
export const PANEL_FIXED_ROWS = 7;
/** Header (2 rows) + footer (1 row). */
const CHROME_ROWS = 3;

/** What the layout depends on. */
export interface LayoutInput {
  readonly columns: number;
  readonly rows: number;
  readonly targets: number;
  /** Most scenarios any target has. */
  readonly scenarios: number;
  /** Rows of the results table (scenarios with at least one result). */
  readonly resultRows: number;
  /** Rows of the micro-benchmark table. */
  readonly microRows: number;
}

/** The decision. */
export type Layout =
  | { readonly mode: 'too-narrow'; readonly columns: number }
  | {
      readonly mode: 'side' | 'stacked';
      /** Outer width of one full panel, columns. */
      readonly panelWidth: number;
      /** Rows of the throughput chart plot (0: no chart). */
      readonly chartRows: number;
      /** Results-table rows shown (the newest are kept when cut). */
      readonly resultRows: number;
      readonly microRows: number;
      /** Results table without p99 and ratio columns. */
      readonly compactTable: boolean;
      /** Rows available below the header for an overlay (detail, help). */
      readonly overlayRows: number;
    };

/** Width of the results table's scenario column and of one target column (full / compact). */
export const TABLE_NAME_COLUMNS = 20;
export const TABLE_CELL_COLUMNS = 32;
export const TABLE_COMPACT_CELL_COLUMNS = 16;

/** Plans the frame for a terminal of `columns × rows`. */
export function planLayout(input: LayoutInput): Layout {
  const { columns, rows } = input;
  if (columns < MIN_COLUMNS) return { mode: 'too-narrow', columns };
  const n = Math.max(1, input.targets);
  const side = columns >= SIDE_BY_SIDE_COLUMNS && Math.floor(columns / n) >= MIN_PANEL_WIDTH;
  const panelWidth = side ? Math.floor((columns - (n - 1)) / n) : columns;
  // Stacked: the selected target gets a full panel, each other target one summary row.
  const panelRows = PANEL_FIXED_ROWS + input.scenarios + (side ? 0 : n - 1);
  const budget = Math.max(1, rows - 1);
  const tables = (r: number, m: number): number => (r > 0 ? 3 + r : 0) + (m > 0 ? 2 + m : 0);
  let resultRows = input.resultRows;
  let microRows = input.microRows;
  const free = budget - CHROME_ROWS - panelRows - tables(resultRows, microRows);
  // Two more rows for the chart's title (unit, legend, scenario names) and x axis.
  let chartRows = Math.min(MAX_CHART_ROWS, free - 2);
  if (chartRows < MIN_CHART_ROWS) {
    chartRows = 0;
    // Too tall even without the chart: trim the micro table, then the results table.
    let over = -free;
    while (over > 0 && microRows > 0) {
      microRows--;
      over -= microRows === 0 ? 3 : 1;
    }
    while (over > 0 && resultRows > 0) {
      resultRows--;
      over -= resultRows === 0 ? 4 : 1;
    }
  }
  const compactTable = TABLE_NAME_COLUMNS + n * TABLE_CELL_COLUMNS > columns;
  return { mode: side ? 'side' : 'stacked', panelWidth, chartRows, resultRows, microRows, compactTable, overlayRows: Math.max(3, budget - CHROME_ROWS) };
}
