/**
 * What the screen holds for a run at a terminal size: the results rows, the micro table, which
 * targets get a panel and the layout. One pure function for `Dashboard` (to draw) and `App` (to
 * know how far a key may scroll), so both agree on what is on screen.
 */
import type { RunModel } from '../state/run-store.ts';
import type { RunState } from '../state/run-state.ts';
import { microTable } from '../views/micro.ts';
import type { MicroTable } from '../views/micro.ts';
import { resultRows } from '../views/results.ts';
import type { ScenarioRow } from '../views/results.ts';
import { planLayout } from './layout.ts';
import type { Layout } from './layout.ts';
import { helpViewport } from './HelpOverlay.tsx';
import { detailViewport } from './ScenarioDetail.tsx';
import { NO_VIEWPORT } from './ui-state.ts';
import type { UiState, Viewport } from './ui-state.ts';
import type { TerminalSize } from './use-terminal-size.ts';

/** The parts of the screen that depend on the run and the size, not on the UI state. */
export interface ScreenPlan {
  /** Scenarios with at least one result, in order. */
  readonly rows: readonly ScenarioRow[];
  readonly micro: MicroTable;
  /** Targets that get a panel (a target that only reports micro results does not). */
  readonly panelTargets: readonly string[];
  readonly layout: Layout;
}

/** Plans the screen of `run` at `size`. */
export function planScreen(run: RunState, size: TerminalSize): ScreenPlan {
  const rows = resultRows(run).filter((r) => Object.values(r.results).some((c) => c.opsPerSec !== undefined));
  const micro = microTable(run);
  const panelTargets = run.targetOrder.filter((n) => run.targets[n].scenarios.length > 0 || run.targets[n].micro.length === 0);
  const layout = planLayout({
    columns: size.columns,
    rows: size.rows,
    targets: panelTargets.length,
    scenarios: Math.max(0, ...panelTargets.map((n) => run.targets[n].scenarios.length)),
    resultRows: rows.length,
    microRows: micro.rows.length,
  });
  return { rows, micro, panelTargets, layout };
}

/** What a scrolling key may move over: the results rows and, when a detail or the help is open, its lines. */
export function viewportOf(model: RunModel, size: TerminalSize, ui: UiState): Viewport {
  const { rows, layout } = planScreen(model.run, size);
  if (layout.mode === 'too-narrow') return NO_VIEWPORT;
  const target = model.run.targets[model.run.targetOrder[ui.target]];
  const scenario = target?.scenarios[ui.scenario];
  const detail = ui.view === 'detail' && target && scenario ? detailViewport(scenario, target.status, size.columns, layout.overlayRows) : { detailRows: 0, detailLines: 0 };
  const help = ui.view === 'help' ? helpViewport(layout.overlayRows) : { helpRows: 0, helpLines: 0 };
  return { resultRows: layout.resultRows, resultNames: rows.map((r) => r.name), ...detail, ...help };
}
