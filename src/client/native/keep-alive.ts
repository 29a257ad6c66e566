/**
 * LeaseKeepAliveOnce over one `/etcdserverpb.Lease/LeaseKeepAlive` stream per client: each call
 * writes `{ID}` and waits for the next response that carries the same ID (the server answers
 * the requests of one lease in order). A TTL of 0 or less means the lease is gone: etcd's
 * clientv3 then reports "etcdserver: requested lease not found" (NotFound), and so do we.
 * The stream is opened on first use and again after it ended.
 */
import { GrpcCode, StoreError, type CallOptions } from '../types.ts';
import type { GrpcChannel, GrpcStream } from './channel.ts';
import { decodeLeaseResponse, encodeLeaseId, type ProtoWriter } from './codec/index.ts';

/** The Lease service's keep-alive method (a bidirectional stream). */
export const KEEP_ALIVE_PATH = '/etcdserverpb.Lease/LeaseKeepAlive';

/** etcd's message for a lease that does not exist (rpctypes.ErrLeaseNotFound). */
export const LEASE_NOT_FOUND = 'etcdserver: requested lease not found';

interface Waiter {
  resolve(ttlSec: number): void;
  reject(err: Error): void;
  cleanup(): void;
}

/** Keep-alive round trips of one client. */
export class KeepAliveStream {
  private stream: GrpcStream | undefined;
  /** Waiters by lease id, oldest first. */
  private readonly waiting = new Map<number, Waiter[]>();
  private closed = false;

  constructor(
    private readonly channel: GrpcChannel,
    private readonly writer: ProtoWriter,
  ) {}

  /** One keep-alive of lease `id`; resolves with its new TTL in seconds. */
  once(id: number, call: CallOptions = {}): Promise<number> {
    if (this.closed) return Promise.reject(new StoreError(GrpcCode.Cancelled, 'lease keep-alive: client closed'));
    if (call.signal?.aborted) return Promise.reject(new StoreError(GrpcCode.Cancelled, `lease keep-alive ${id}: cancelled`));
    let request: Buffer;
    try {
      request = encodeLeaseId(this.writer, id);
    } catch (err) {
      this.writer.discard();
      return Promise.reject(new StoreError(GrpcCode.InvalidArgument, `lease keep-alive: ${(err as Error).message}`, { cause: err }));
    }
    return new Promise<number>((resolve, reject) => {
      const w: Waiter = { resolve, reject, cleanup: () => undefined };
      const drop = (err: StoreError): void => {
        w.cleanup();
        const list = this.waiting.get(id);
        const at = list ? list.indexOf(w) : -1;
        // Keep its place (the server's answer still comes) but ignore the answer.
        if (list && at >= 0) list[at] = { resolve: () => undefined, reject: () => undefined, cleanup: () => undefined };
        reject(err);
      };
      const timer = call.timeoutMs !== undefined ? setTimeout(() => drop(new StoreError(GrpcCode.DeadlineExceeded, `lease keep-alive ${id}: no answer within ${call.timeoutMs} ms`)), call.timeoutMs) : undefined;
      const onAbort = (): void => drop(new StoreError(GrpcCode.Cancelled, `lease keep-alive ${id}: cancelled`));
      call.signal?.addEventListener('abort', onAbort, { once: true });
      w.cleanup = () => {
        if (timer) clearTimeout(timer);
        call.signal?.removeEventListener('abort', onAbort);
      };
      const list = this.waiting.get(id);
      if (list) list.push(w);
      else this.waiting.set(id, [w]);
      this.stream ??= this.channel.stream(KEEP_ALIVE_PATH, { onMessage: (m) => this.onMessage(m), onEnd: (err) => this.onEnd(err) });
      this.stream.write(request);
    });
  }

  /** Ends the stream; waiting calls fail with Cancelled. Idempotent. */
  close(): void {
    this.closed = true;
    this.stream?.cancel();
  }

  private onMessage(bytes: Buffer): void {
    let id: number;
    let ttlSec: number;
    try {
      ({ id, ttlSec } = decodeLeaseResponse(bytes));
    } catch (err) {
      this.fail(new StoreError(GrpcCode.Internal, `lease keep-alive: malformed response: ${(err as Error).message}`, { cause: err }));
      this.stream?.cancel();
      return;
    }
    const list = this.waiting.get(id);
    const w = list?.shift();
    if (list && list.length === 0) this.waiting.delete(id);
    if (!w) return;
    w.cleanup();
    if (ttlSec <= 0) w.reject(new StoreError(GrpcCode.NotFound, LEASE_NOT_FOUND));
    else w.resolve(ttlSec);
  }

  private onEnd(err?: Error): void {
    this.stream = undefined;
    const why = this.closed
      ? new StoreError(GrpcCode.Cancelled, 'lease keep-alive: client closed', { cause: err })
      : err instanceof StoreError
        ? err
        : new StoreError(GrpcCode.Unavailable, `lease keep-alive stream ended${err ? `: ${err.message}` : ''}`, { cause: err });
    this.fail(why);
  }

  private fail(err: StoreError): void {
    const all = [...this.waiting.values()].flat();
    this.waiting.clear();
    for (const w of all) {
      w.cleanup();
      w.reject(err);
    }
  }
}
