/**
 * How each lifecycle state looks: colour and icon. Exhaustive `switch`es, so adding a state to
 * the reducer's unions fails type-checking here until it has a look.
 */
import { scenarioColour as paletteScenarioColour, type Colour } from '../format/palette.ts';
import { isScenarioNotRun } from '../state/run-state.ts';
import type { ScenarioRun, TargetState, TargetStatus } from '../state/run-state.ts';

/**
 * How a scenario is drawn: its state, or `not-run` for a scenario still queued on a target that
 * has ended (interrupted, crashed, …), which will never start.
 */
export type ScenarioLook = ScenarioRun['state'] | 'not-run';

/** The look of `s` on `target`. */
export function scenarioLook(target: Pick<TargetState, 'status'>, s: ScenarioRun): ScenarioLook {
  return isScenarioNotRun(target, s) ? 'not-run' : s.state;
}

/** The icon of a scenario that never ran: a dash padded to the two columns of the other icons. */
export const NOT_RUN_ICON = '– ';

// Colours come from the one palette every view uses (plain, tail, report and compare too).
export { gradeColour, targetColour, type Colour } from '../format/palette.ts';

function unreachable(x: never): never {
  throw new Error(`unhandled state: ${JSON.stringify(x)}`);
}

/** Icon of a target's status (two columns wide). */
export function targetIcon(state: TargetStatus['state']): string {
  switch (state) {
    case 'waiting':
      return '⏳';
    case 'starting':
    case 'running':
      return '🔄';
    case 'completed':
      return '✅';
    case 'interrupted':
      return '⛔';
    case 'crashed':
      return '❌';
    case 'unavailable':
      return '🚫';
    default:
      return unreachable(state);
  }
}

/** Colour of a scenario's look: the palette's, and gray (as queued) for a scenario that never ran. */
export function scenarioColour(state: ScenarioLook): Colour {
  return state === 'not-run' ? 'gray' : paletteScenarioColour(state);
}

/** Icon of a scenario's state (two columns wide): ✅ 🔄 ⏳ ❌ ⛔, and `–` for not run. */
export function scenarioIcon(state: ScenarioLook): string {
  switch (state) {
    case 'queued':
      return '⏳';
    case 'not-run':
      return NOT_RUN_ICON;
    case 'running':
      return '🔄';
    case 'passed':
      return '✅';
    case 'failed':
      return '❌';
    case 'aborted':
      return '⛔';
    default:
      return unreachable(state);
  }
}

