/**
 * How each lifecycle state looks: colour and icon. Exhaustive `switch`es, so adding a state to
 * the reducer's unions fails type-checking here until it has a look.
 */
import type { Grade } from '../events/schema.ts';
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

/** Ink colour names used by the dashboard. */
export type Colour = 'green' | 'cyan' | 'yellow' | 'red' | 'gray' | 'magenta' | 'blue' | 'white';

function unreachable(x: never): never {
  throw new Error(`unhandled state: ${JSON.stringify(x)}`);
}

/** Colour of a target's status. */
export function targetColour(state: TargetStatus['state']): Colour {
  switch (state) {
    case 'waiting':
      return 'gray';
    case 'starting':
      return 'blue';
    case 'running':
      return 'cyan';
    case 'completed':
      return 'green';
    case 'interrupted':
      return 'yellow';
    case 'crashed':
      return 'red';
    case 'unavailable':
      return 'magenta';
    default:
      return unreachable(state);
  }
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

/** Colour of a scenario's state. */
export function scenarioColour(state: ScenarioLook): Colour {
  switch (state) {
    case 'queued':
    case 'not-run':
      return 'gray';
    case 'running':
      return 'cyan';
    case 'passed':
      return 'green';
    case 'failed':
      return 'red';
    case 'aborted':
      return 'yellow';
    default:
      return unreachable(state);
  }
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

/** Colour of a grade letter. */
export function gradeColour(grade: Grade['grade']): Colour {
  switch (grade) {
    case 'A+':
    case 'A':
      return 'green';
    case 'B':
      return 'cyan';
    case 'C':
      return 'yellow';
    case 'D':
      return 'magenta';
    case 'F':
      return 'red';
    default:
      return unreachable(grade);
  }
}
