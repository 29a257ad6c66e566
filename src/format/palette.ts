/**
 * What colour each meaning has, in every view: the Ink dashboard and the text outputs (plain
 * `run`, `tail`, `report` and `compare` on a terminal) take their colours from here, so a grade
 * B is cyan and a crash red wherever it is read. Colour names are the ones both Ink's `color`
 * prop and chalk accept. Exhaustive `switch`es: a new state fails type-checking here until it
 * has a colour.
 */
import type { Grade } from '../events/schema.ts';
import type { ScenarioRun, TargetStatus } from '../state/types.ts';

/** Colour names shared by Ink (`<Text color>`) and chalk (`chalk.<name>`). */
export type Colour = 'green' | 'cyan' | 'yellow' | 'red' | 'gray' | 'magenta' | 'blue' | 'white';

/** A comparison's verdict on one row (`src/report/compare.ts`), `not comparable` included. */
export type VerdictName = 'regression' | 'improvement' | 'within noise' | 'not comparable';

/** Colours of marks that are not a lifecycle state. */
export const MARK_COLOUR = {
  /** An error message, a failed check, a non-zero error count. */
  error: 'red',
  /** A warning, and a result the load generator bounded (client-bound). */
  warning: 'yellow',
  /** An install hint or an unavailable target's reason. */
  hint: 'magenta',
  /** What passed: a check, a zero exit. */
  ok: 'green',
} as const satisfies Record<string, Colour>;

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

/** Colour of a scenario's state. */
export function scenarioColour(state: ScenarioRun['state']): Colour {
  switch (state) {
    case 'queued':
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

/** Colour of a comparison verdict: regressions red, improvements green, noise gray, not comparable yellow. */
export function verdictColour(verdict: VerdictName): Colour {
  switch (verdict) {
    case 'regression':
      return 'red';
    case 'improvement':
      return 'green';
    case 'within noise':
      return 'gray';
    case 'not comparable':
      return 'yellow';
    default:
      return unreachable(verdict);
  }
}
