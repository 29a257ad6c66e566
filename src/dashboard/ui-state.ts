/**
 * What the user has selected and opened, and how keys change it. Pure: `reduceUi` takes the
 * current run so selections stay in range as targets and scenarios appear.
 */
import type { RunState } from '../state/run-state.ts';

/** The dashboard's view state. */
export interface UiState {
  /** Index into `run.targetOrder`. */
  readonly target: number;
  /** Index into the selected target's scenarios. */
  readonly scenario: number;
  readonly view: 'main' | 'detail' | 'help';
}

/** Keys the dashboard reacts to (besides quitting). */
export type UiKey = 'left' | 'right' | 'tab' | 'shift-tab' | 'up' | 'down' | 'enter' | 'escape' | 'help';

/** Start: first target, first scenario, main view. */
export const INITIAL_UI: UiState = { target: 0, scenario: 0, view: 'main' };

/** The next UI state after `key`. */
export function reduceUi(ui: UiState, key: UiKey, run: RunState): UiState {
  const nTargets = run.targetOrder.length;
  const scenarioCount = (ti: number): number => run.targets[run.targetOrder[ti]]?.scenarios.length ?? 0;
  const moveTarget = (delta: number): UiState => {
    if (nTargets === 0) return ui;
    const target = (((ui.target + delta) % nTargets) + nTargets) % nTargets;
    return { ...ui, target, scenario: Math.min(ui.scenario, Math.max(0, scenarioCount(target) - 1)) };
  };
  switch (key) {
    case 'left':
    case 'shift-tab':
      return ui.view === 'help' ? ui : moveTarget(-1);
    case 'right':
    case 'tab':
      return ui.view === 'help' ? ui : moveTarget(1);
    case 'up':
      return { ...ui, scenario: Math.max(0, ui.scenario - 1) };
    case 'down':
      return { ...ui, scenario: Math.max(0, Math.min(scenarioCount(ui.target) - 1, ui.scenario + 1)) };
    case 'enter':
      return scenarioCount(ui.target) > 0 && ui.view === 'main' ? { ...ui, view: 'detail' } : ui;
    case 'escape':
      return { ...ui, view: 'main' };
    case 'help':
      return { ...ui, view: ui.view === 'help' ? 'main' : 'help' };
  }
}

/** `ui` with its indices clamped to what `run` has (targets and scenarios can only grow, but be safe). */
export function clampUi(ui: UiState, run: RunState): UiState {
  const nT = run.targetOrder.length;
  const target = nT === 0 ? 0 : Math.min(ui.target, nT - 1);
  const nS = run.targets[run.targetOrder[target]]?.scenarios.length ?? 0;
  const scenario = nS === 0 ? 0 : Math.min(ui.scenario, nS - 1);
  return target === ui.target && scenario === ui.scenario ? ui : { ...ui, target, scenario };
}
