/**
 * Test support: a real target (etcd, or `metabench serve` when available) and a ScenarioContext
 * around it that collects the emitted events. Used by this folder's tests and the harness bench.
 */
import { connect } from '../client/factory.ts';
import type { ClientKind, ConnectOptions } from '../client/types.ts';
import type { EventBody, TargetKind } from '../events/schema.ts';
import type { ScenarioContext } from './types.ts';

/** A context plus the events emitted through it. */
export interface TestContext extends ScenarioContext {
  readonly events: EventBody[];
}

/**
 * A ScenarioContext for `clientOptions`, recording emitted events; `client` defaults to `etcd3`
 * (always available), `signal` to never-aborting.
 */
export function makeContext(opts: { clientOptions: ConnectOptions; client?: ClientKind; targetKind?: TargetKind; seed?: number; signal?: AbortSignal }): TestContext {
  const clientKind = opts.client ?? 'etcd3';
  const events: EventBody[] = [];
  return {
    target: opts.targetKind ?? 'etcd',
    targetKind: opts.targetKind ?? 'etcd',
    clientKind,
    clientOptions: opts.clientOptions,
    connect: () => connect(clientKind, opts.clientOptions),
    seed: opts.seed ?? 42,
    emit: (e) => events.push(e),
    signal: opts.signal ?? new AbortController().signal,
    serverSample: () => undefined,
    events,
  };
}
