/**
 * Readiness by a real request (DESIGN section 7.5: the seed slept a fixed time instead): a
 * Maintenance Status call through the same etcd3 client the workloads use, repeated until it
 * answers, the server process exits, or the deadline passes.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Etcd3, EtcdAuthenticationFailedError, EtcdPermissionDeniedError, EtcdUserNotFoundError, type IOptions } from 'etcd3';
import { TargetStartError } from './types.ts';

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
}

/** Resolves once the target answers a Status request; throws TargetStartError otherwise. */
export async function waitReady(clientOptions: IOptions, opts: WaitReadyOptions): Promise<ReadyInfo> {
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
    // A fresh client per attempt: the client's circuit breaker would otherwise hold requests back
    // for seconds after the first refused connections.
    const client = new Etcd3({ ...clientOptions, dialTimeout: 2000 });
    try {
      const status = await client.maintenance.status({ deadline: Date.now() + 2000 });
      return { version: status.version };
    } catch (err) {
      // The server answered, and said no: waiting longer will not change its mind.
      if (err instanceof EtcdAuthenticationFailedError || err instanceof EtcdPermissionDeniedError || err instanceof EtcdUserNotFoundError) {
        throw new TargetStartError(`${opts.what}: refused: ${err.message}`, { cause: err, detail: err.message, refused: true });
      }
      lastError = err;
    } finally {
      client.close();
    }
    await sleep(opts.intervalMs ?? 100, undefined, { signal: opts.signal });
  }
  const why = lastError instanceof Error ? lastError.message : String(lastError);
  throw new TargetStartError(`${opts.what}: not ready after ${timeoutMs} ms (last error: ${why})`, { cause: lastError, detail: why });
}
