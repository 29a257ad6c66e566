/**
 * Every load phase by name, so a client thread (`thread-main.ts`) can build the same operation the
 * main thread would, from the phase's name, arguments and the scenario's parameters.
 */
import type { PhaseDef, Tally } from './kit.ts';
import { readPhase, writePhase } from './scenarios/compaction.ts';
import { mixedPhase } from './scenarios/mixed.ts';
import { putGetPhase } from './scenarios/put-get.ts';
import { putPhase } from './scenarios/put.ts';
import { casPhase, txnPhase } from './scenarios/txn.ts';

const ALL: PhaseDef<never, Tally>[] = [putGetPhase, putPhase, mixedPhase, txnPhase, casPhase, writePhase, readPhase] as unknown as PhaseDef<never, Tally>[];

/** Phase definitions by name. */
export const PHASES: ReadonlyMap<string, PhaseDef<unknown, Tally>> = new Map(ALL.map((d) => [d.name, d as PhaseDef<unknown, Tally>]));

/** The phase called `name`; throws for an unknown one. */
export function phaseByName(name: string): PhaseDef<unknown, Tally> {
  const def = PHASES.get(name);
  if (!def) throw new Error(`client thread: unknown phase '${name}' (known: ${[...PHASES.keys()].join(', ')})`);
  return def;
}
