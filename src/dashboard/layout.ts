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
/** The same in a compact panel (short terminals): server with CPU/RSS, progress with live figures. */
export const COMPACT_PANEL_FIXED_ROWS = 5;
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
      /** Panels fold server + CPU/RSS and progress + live figures into one row each (short terminals). */
      readonly compactPanel: boolean;
      /** Rows of the throughput chart plot (0: no chart). */
      readonly chartRows: number;
      /** Results-table rows shown (the newest are kept when cut). */
      readonly resultRows: number;
      readonly microRows: number;
      /** Rows available below the header for an overlay (detail, help). */
      readonly overlayRows: number;
    };


/** Plans the frame for a terminal of `columns × rows`. */
export function planLayout(input: LayoutInput): Layout {
  const { columns, rows } = input;
  if (columns < MIN_COLUMNS) return { mode: 'too-narrow', columns };
  const n = Math.max(1, input.targets);
  const side = columns >= SIDE_BY_SIDE_COLUMNS && Math.floor(columns / n) >= MIN_PANEL_WIDTH;
  const panelWidth = side ? Math.floor((columns - (n - 1)) / n) : columns;
  const budget = Math.max(1, rows - 1);
  const fill = (compactPanel: boolean) => {
    // Stacked: the selected target gets a full panel, each other target one summary row.
    const panelRows = (compactPanel ? COMPACT_PANEL_FIXED_ROWS : PANEL_FIXED_ROWS) + input.scenarios + (side ? 0 : n - 1);
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
    return { compactPanel, chartRows, resultRows, microRows };
  };
  // The full panel unless that cuts table rows; then the compact one (two rows fewer).
  const full = fill(false);
  const plan = full.resultRows < input.resultRows || full.microRows < input.microRows ? fill(true) : full;
  // Whatever the height, a results table that has rows keeps one (it scrolls): everything stays reachable.
  const resultRows = plan.resultRows === 0 && input.resultRows > 0 ? 1 : plan.resultRows;
  return { mode: side ? 'side' : 'stacked', panelWidth, ...plan, resultRows, overlayRows: Math.max(3, budget - CHROME_ROWS) };
}

/**
 * The results table's columns. One column group per target; the fields of a group depend on its
 * role: a graded target shows ops/s, p99, grade and ×etcd; the etcd baseline itself has no ×etcd;
 * the noop ceiling shows ops/s, p99 and ÷fastest.
 */
export type TableRole = 'graded' | 'baseline' | 'ceiling';

/** Field widths of one plan, columns (0: the field is dropped). */
export interface TablePlan {
  /** Which step of `TABLE_STEPS` this is. */
  readonly step: 'full' | 'tight' | 'no-ceiling-p99' | 'no-ratio' | 'compact' | 'short-names';
  readonly nameWidth: number;
  readonly ops: number;
  readonly p99: number;
  /** p99 cells carry their unit (`10 ms`); otherwise the header says `p99ms` and cells are bare. */
  readonly p99Unit: boolean;
  readonly grade: number;
  /** ×etcd; graded columns only, and only when there is a baseline. */
  readonly ratio: number;
  readonly ceilingP99: number;
  readonly ceilingRatio: number;
  /** Every column group as wide as the widest (the roomy look of wide terminals). */
  readonly uniform: boolean;
}

type Step = Omit<TablePlan, 'nameWidth'>;
const FULL: Step = { step: 'full', ops: 8, p99: 10, p99Unit: true, grade: 6, ratio: 8, ceilingP99: 10, ceilingRatio: 14, uniform: true };
const TIGHT: Step = { step: 'tight', ops: 8, p99: 6, p99Unit: false, grade: 6, ratio: 6, ceilingP99: 6, ceilingRatio: 9, uniform: false };

/**
 * What gives way, in order, when the table is wider than the terminal — the least telling first:
 * 1. `tight`: no padding beyond one space, the unit moves from the p99 cells to the header
 *    (`p99ms`), the scenario column shrinks to the longest name;
 * 2. `no-ceiling-p99`: the noop ceiling's p99 (its latency measures the load generator, not a store);
 * 3. `no-ratio`: ×etcd (the ops/s it is computed from stay side by side in the same row);
 * 4. `compact`: every p99 (ops/s and grade stay: the headline figure and its verdict);
 * 5. `short-names`: scenario names cut to 12 columns with `…`.
 * Beyond that rows are cut at the terminal's edge. At 100 columns the default targets (memory,
 * rocksdb, etcd) stay at `tight`, keeping p99 and ×etcd; at 80 they reach `no-ratio`.
 */
export const TABLE_STEPS: readonly Step[] = [
  FULL,
  TIGHT,
  { ...TIGHT, step: 'no-ceiling-p99', ceilingP99: 0 },
  { ...TIGHT, step: 'no-ratio', ceilingP99: 0, ratio: 0 },
  { ...TIGHT, step: 'compact', ceilingP99: 0, ratio: 0, p99: 0 },
  { ...TIGHT, step: 'short-names', ceilingP99: 0, ratio: 0, p99: 0 },
];

/** Widest scenario column (full) and narrowest (short names). */
const TABLE_NAME_COLUMNS = 20;
const SHORT_NAME_COLUMNS = 12;

/** Width of one column group under `plan`. */
export function groupWidth(plan: TablePlan, role: TableRole, hasBaseline: boolean): number {
  if (plan.uniform) return plan.ops + plan.p99 + plan.grade + plan.ratio;
  switch (role) {
    case 'graded':
      return plan.ops + plan.p99 + plan.grade + (hasBaseline ? plan.ratio : 0);
    case 'baseline':
      return plan.ops + plan.p99 + plan.grade;
    case 'ceiling':
      return plan.ops + plan.ceilingP99 + plan.ceilingRatio;
  }
}

/** The first step of `TABLE_STEPS` whose table fits `columns` (the last one when none does). */
export function planTable(columns: number, roles: readonly TableRole[], longestName: number): TablePlan {
  const hasBaseline = roles.includes('baseline');
  const fitted = Math.max('scenario'.length, Math.min(TABLE_NAME_COLUMNS - 1, longestName)) + 1;
  let plan: TablePlan | undefined;
  for (const step of TABLE_STEPS) {
    const nameWidth = step.step === 'full' ? TABLE_NAME_COLUMNS : step.step === 'short-names' ? Math.min(fitted, SHORT_NAME_COLUMNS) : fitted;
    plan = { ...step, nameWidth };
    const width = nameWidth + roles.reduce((a, r) => a + groupWidth(plan as TablePlan, r, hasBaseline), 0);
    if (width <= columns) return plan;
  }
  return plan as TablePlan;
}
