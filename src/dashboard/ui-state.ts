/**
 * What the user has selected, opened and scrolled, and how keys change it. Pure: `reduceUi`
 * takes the current run so selections stay in range as targets and scenarios appear, and the
 * viewport (what fits on screen) so scrolling stops at the ends.
 *
 * Keys by view:
 * - main: ←/→/Tab target, ↑/↓ scenario (the results table scrolls to the selected scenario's
 *   row), j/k a results row, PgUp/PgDn a page of results, Home/End first rows / newest rows;
 * - detail: ↑/↓ j/k a line, PgUp/PgDn a page, Home/End, ←/→ the same scenario on another target;
 * - help: ↑/↓ j/k a line, PgUp/PgDn a page, Home/End (when it does not fit); `?` or Esc
 *   closes it.
 */
import type { RunState } from '../state/run-state.ts';
import { maxTop } from './scroll.ts';

/** The dashboard's view state. */
export interface UiState {
  /** Index into `run.targetOrder`. */
  readonly target: number;
  /** Index into the selected target's scenarios. */
  readonly scenario: number;
  readonly view: 'main' | 'detail' | 'help';
  /** First results-table row shown; absent: the newest rows, following as results come in. */
  readonly resultsTop?: number;
  /** First line of the scenario detail shown; absent: the first. */
  readonly detailTop?: number;
  /** First line of the help shown; absent: the first. */
  readonly helpTop?: number;
}

/** Keys the dashboard reacts to (besides quitting). */
export type UiKey =
  | 'left'
  | 'right'
  | 'tab'
  | 'shift-tab'
  | 'up'
  | 'down'
  | 'line-up'
  | 'line-down'
  | 'page-up'
  | 'page-down'
  | 'home'
  | 'end'
  | 'enter'
  | 'escape'
  | 'help';

/** What is on screen, for the keys that scroll. */
export interface Viewport {
  /** Results-table rows shown at once. */
  readonly resultRows: number;
  /** Scenario names of every results row, in order. */
  readonly resultNames: readonly string[];
  /** Detail lines shown at once, and in all (0 when no detail is open). */
  readonly detailRows: number;
  readonly detailLines: number;
  /** Help lines shown at once, and in all (0 when the help is not open). */
  readonly helpRows: number;
  readonly helpLines: number;
}

/** Nothing scrollable on screen. */
export const NO_VIEWPORT: Viewport = { resultRows: 0, resultNames: [], detailRows: 0, detailLines: 0, helpRows: 0, helpLines: 0 };

/** Start: first target, first scenario, main view, results following the newest rows. */
export const INITIAL_UI: UiState = { target: 0, scenario: 0, view: 'main' };

/** The next UI state after `key`. */
export function reduceUi(ui: UiState, key: UiKey, run: RunState, viewport: Viewport = NO_VIEWPORT): UiState {
  const nTargets = run.targetOrder.length;
  const scenarioCount = (ti: number): number => run.targets[run.targetOrder[ti]]?.scenarios.length ?? 0;
  const moveTarget = (delta: number): UiState => {
    if (nTargets === 0) return ui;
    const target = (((ui.target + delta) % nTargets) + nTargets) % nTargets;
    const moved = { ...ui, target, scenario: Math.min(ui.scenario, Math.max(0, scenarioCount(target) - 1)) };
    return ui.view === 'detail' ? withTop(moved, 'detailTop', undefined) : moved;
  };
  if (ui.view === 'help') {
    const scrolled = scrolledView(ui, 'helpTop', key, viewport.helpLines, viewport.helpRows);
    if (scrolled) return scrolled;
    switch (key) {
      case 'help':
      case 'escape':
        return withTop({ ...ui, view: 'main' }, 'helpTop', undefined);
      case 'left':
      case 'right':
      case 'tab':
      case 'shift-tab':
      case 'enter':
        return ui;
    }
  }
  if (ui.view === 'detail') {
    const scrolled = scrolledView(ui, 'detailTop', key, viewport.detailLines, viewport.detailRows);
    if (scrolled) return scrolled;
    switch (key) {
      case 'left':
      case 'shift-tab':
        return moveTarget(-1);
      case 'right':
      case 'tab':
        return moveTarget(1);
      case 'enter':
        return ui;
      case 'escape':
        return withTop({ ...ui, view: 'main' }, 'detailTop', undefined);
      case 'help':
        return { ...ui, view: 'help' };
    }
  }
  const results = (top: number | undefined): UiState => withResultsTop(ui, top, viewport);
  const current = ui.resultsTop ?? maxTop(viewport.resultNames.length, viewport.resultRows);
  const page = Math.max(1, viewport.resultRows);
  switch (key) {
    case 'left':
    case 'shift-tab':
      return moveTarget(-1);
    case 'right':
    case 'tab':
      return moveTarget(1);
    case 'up':
      return reveal({ ...ui, scenario: Math.max(0, ui.scenario - 1) }, run, viewport);
    case 'down':
      return reveal({ ...ui, scenario: Math.max(0, Math.min(scenarioCount(ui.target) - 1, ui.scenario + 1)) }, run, viewport);
    case 'line-up':
    case 'line-down':
    case 'page-up':
    case 'page-down':
    case 'home':
    case 'end':
      return results(scrolledTop(key, current, page));
    case 'enter':
      return scenarioCount(ui.target) > 0 ? withTop({ ...ui, view: 'detail' }, 'detailTop', undefined) : ui;
    case 'escape':
      return ui;
    case 'help':
      return { ...ui, view: 'help' };
  }
}

/** Where a scroll key puts a view's first row, from `top` with pages of `page` rows (unclamped: the caller clamps; `end` is past any last row). */
function scrolledTop(key: 'line-up' | 'line-down' | 'page-up' | 'page-down' | 'home' | 'end', top: number, page: number): number {
  switch (key) {
    case 'line-up':
      return top - 1;
    case 'line-down':
      return top + 1;
    case 'page-up':
      return top - page;
    case 'page-down':
      return top + page;
    case 'home':
      return 0;
    case 'end':
      return Number.MAX_SAFE_INTEGER;
  }
}

/** `ui` with the results table's first row at `top`, clamped; at the last page it follows the newest rows again. */
function withResultsTop(ui: UiState, top: number | undefined, viewport: Viewport): UiState {
  const last = maxTop(viewport.resultNames.length, viewport.resultRows);
  const next = top === undefined || top >= last ? undefined : Math.max(0, top);
  if (next === ui.resultsTop) return ui;
  const { resultsTop: _drop, ...rest } = ui;
  return next === undefined ? rest : { ...rest, resultsTop: next };
}

/** `ui` with an overlay's first line (`field`) at `top` (absent or 0: the first line). */
/**
 * The scroll keys of a scrolling view (the help, the detail): ↑/↓ a line, j/k, PgUp/PgDn, Home/End,
 * kept within `lines` shown `rows` at a time. Undefined for any other key.
 */
function scrolledView(ui: UiState, field: 'detailTop' | 'helpTop', key: UiKey, lines: number, rows: number): UiState | undefined {
  const top = ui[field] ?? 0;
  const to = (t: number): UiState => withTop(ui, field, Math.min(Math.max(0, t), maxTop(lines, rows)));
  switch (key) {
    case 'up':
      return to(top - 1);
    case 'down':
      return to(top + 1);
    case 'line-up':
    case 'line-down':
    case 'page-up':
    case 'page-down':
    case 'home':
    case 'end':
      return to(scrolledTop(key, top, Math.max(1, rows)));
    default:
      return undefined;
  }
}

function withTop(ui: UiState, field: 'detailTop' | 'helpTop', top: number | undefined): UiState {
  const { [field]: _drop, ...rest } = ui;
  if (top === undefined || top === 0) return ui[field] === undefined ? ui : rest;
  return top === ui[field] ? ui : { ...rest, [field]: top };
}

/** Scrolls the results table so the selected scenario's row is in view (when it has one). */
function reveal(ui: UiState, run: RunState, viewport: Viewport): UiState {
  const name = run.targets[run.targetOrder[ui.target]]?.scenarios[ui.scenario]?.name;
  const i = name === undefined ? -1 : viewport.resultNames.indexOf(name);
  if (i < 0 || viewport.resultRows <= 0) return ui;
  const top = ui.resultsTop ?? maxTop(viewport.resultNames.length, viewport.resultRows);
  if (i < top) return withResultsTop(ui, i, viewport);
  if (i >= top + viewport.resultRows) return withResultsTop(ui, i - viewport.resultRows + 1, viewport);
  return ui;
}

/** `ui` with its indices clamped to what `run` has (targets and scenarios can only grow, but be safe). */
export function clampUi(ui: UiState, run: RunState): UiState {
  const nT = run.targetOrder.length;
  const target = nT === 0 ? 0 : Math.min(ui.target, nT - 1);
  const nS = run.targets[run.targetOrder[target]]?.scenarios.length ?? 0;
  const scenario = nS === 0 ? 0 : Math.min(ui.scenario, nS - 1);
  return target === ui.target && scenario === ui.scenario ? ui : { ...ui, target, scenario };
}
