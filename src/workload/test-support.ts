/**
 * Test support: a real target (etcd, or `metabench serve` when available) and a ScenarioContext
 * around it that collects the emitted events. Used by this folder's tests and the harness bench.
 */
import { Etcd3, type IOptions } from 'etcd3';
import type { EventBody, TargetKind } from '../events/schema.ts';
import type { ScenarioContext } from './types.ts';

/** A context plus the events emitted through it. */
export interface TestContext extends ScenarioContext {
  readonly events: EventBody[];
}

/** A ScenarioContext for `clientOptions`, recording emitted events; `signal` defaults to never-aborting. */
export function makeContext(opts: { clientOptions: IOptions; targetKind?: TargetKind; seed?: number; signal?: AbortSignal }): TestContext {
  const events: EventBody[] = [];
  return {
    target: opts.targetKind ?? 'etcd',
    targetKind: opts.targetKind ?? 'etcd',
    clientOptions: opts.clientOptions,
    connect: () => new Etcd3(opts.clientOptions),
    seed: opts.seed ?? 42,
    emit: (e) => events.push(e),
    signal: opts.signal ?? new AbortController().signal,
    serverSample: () => undefined,
    events,
  };
}
