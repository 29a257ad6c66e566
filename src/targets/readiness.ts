/**
 * Readiness by a real request (DESIGN section 7.5: the seed slept a fixed time instead): a
 * Maintenance Status call through the same client the workloads use (`client/factory.ts`),
 * repeated until it answers, the server process exits, or the deadline passes.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, DEFAULT_CLIENT } from '../client/factory.ts';
import { StoreError, type ClientKind, type ConnectOptions, type StoreClient } from '../client/types.ts';
import { TargetStartError } from './types.ts';

/** Milliseconds one readiness attempt (dial + Status) may take. */
const ATTEMPT_MS = 2000;

/** etcd's answers that mean "these credentials will not do": waiting longer will not help. */
const REFUSAL = /^etcdserver: (authentication failed|permission denied|user name not found|invalid auth token|authentication is not enabled)/;

/** True when the server answered and refused the credentials. */
function isRefusal(err: unknown): err is StoreError {
  return err instanceof StoreError && REFUSAL.test(err.message);
}

/** What a ready server told us. */
export interface ReadyInfo {
  /** Server version from the Status response (e.g. `3.4.23`). */
  readonly version: string;
}

/** Options of `waitReady`. */
export interface WaitReadyOptions {
  /** Total milliseconds to wait (default 30000). */
  readonly timeoutMs?: number;
  /** Milliseconds between attempts (default 100). */
  readonly intervalMs?: number;
  readonly signal?: AbortSignal;
  /** Settles when the server process exits: no point waiting any longer. */
  readonly exited?: Promise<unknown>;
  /** Names the server in errors, e.g. `etcd at 127.0.0.1:2379`. */
  readonly what: string;
  /** Which client asks (default `native`, as the run's scenarios do). */
  readonly client?: ClientKind;
}

/** Resolves once the target answers a Status request; throws TargetStartError otherwise. */
export async function waitReady(clientOptions: ConnectOptions, opts: WaitReadyOptions): Promise<ReadyInfo> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void opts.exited?.then(
    () => (exited = true),
    () => (exited = true),
  );
  let lastError: unknown;
  while (Date.now() < deadline) {
    opts.signal?.throwIfAborted();
    if (exited) throw new TargetStartError(`${opts.what}: the server exited before it was ready`, { cause: lastError });
    // A fresh client per attempt: etcd3's circuit breaker would otherwise hold requests back for
    // seconds after the first refused connections, and a native connection that failed is gone.
    let client: StoreClient | undefined;
    try {
      client = await connect(opts.client ?? DEFAULT_CLIENT, { ...clientOptions, dialTimeoutMs: ATTEMPT_MS });
      const status = await client.status({ timeoutMs: ATTEMPT_MS });
      return { version: status.version };
    } catch (err) {
      // The server answered, and said no: waiting longer will not change its mind.
      if (isRefusal(err)) throw new TargetStartError(`${opts.what}: refused: ${err.message}`, { cause: err, detail: err.message, refused: true });
      lastError = err;
    } finally {
      await client?.close();
    }
    await sleep(opts.intervalMs ?? 100, undefined, { signal: opts.signal });
  }
  const why = lastError instanceof Error ? lastError.message : String(lastError);
  throw new TargetStartError(`${opts.what}: not ready after ${timeoutMs} ms (last error: ${why})`, { cause: lastError, detail: why });
}
