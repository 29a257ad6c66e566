/**
 * Watch fan-out over one native Watch stream per client, as etcd's clientv3 does: every watch of
 * the client is multiplexed on a single `/etcdserverpb.Watch/Watch` stream.
 *
 * The server picks watch ids and answers each create request with `{created, watchId}` in the
 * order it got them, so creates are sent one at a time: the next goes out once the previous one
 * has its id. Then:
 *
 *   {watchId: 3, created: true}          → the watch() promise resolves with id 3
 *   {watchId: 3, events: [...]}          → onEvents of watch 3
 *   {watchId: 3, events: []}             → onProgress of watch 3 (watchId -1: of every watch)
 *   {watchId: 3, canceled: true}         → our cancel confirmed, or onError (compacted: OutOfRange
 *                                          "mvcc: required revision has been compacted")
 *   the stream ends                      → onError of every watch, pending creates rejected;
 *                                          the next watch() opens a new stream
 */
import { GrpcCode, StoreError, type Bytes, type CallOptions, type Watch, type WatchHandlers, type WatchOptions } from '../types.ts';
import type { GrpcChannel, GrpcStream } from './channel.ts';
import { decodeWatchResponse, encodeWatchCancel, encodeWatchCreate, encodeWatchProgress, type ProtoWriter, type WatchResponseMsg } from './codec/index.ts';

/** The Watch service's one method. */
export const WATCH_PATH = '/etcdserverpb.Watch/Watch';

/** etcd's message for a watch whose start revision was compacted (clientv3 `ErrCompacted`). */
export const COMPACTED_MESSAGE = 'mvcc: required revision has been compacted';

interface PendingCreate {
  readonly request: Buffer;
  readonly handlers: WatchHandlers;
  resolve(w: Watch): void;
  reject(err: Error): void;
  /** Gave up (deadline, abort) after its request was sent: cancel the watch once it exists. */
  abandoned: boolean;
  cleanup(): void;
}

interface ActiveWatch {
  readonly handlers: WatchHandlers;
  /** Resolvers of cancel() calls waiting for the server's confirmation. */
  cancelling?: (() => void)[];
}

/** The error a create refused by the server (`created` and `canceled` together) gets. */
function refusal(m: WatchResponseMsg): StoreError {
  const reason = m.cancelReason || 'watch refused by the server';
  const code = /permission denied/.test(reason) ? GrpcCode.PermissionDenied : /compacted/.test(reason) ? GrpcCode.OutOfRange : GrpcCode.InvalidArgument;
  return new StoreError(code, reason);
}

/** Every watch of one client, on one stream. */
export class WatchHub {
  private stream: GrpcStream | undefined;
  private readonly queue: PendingCreate[] = [];
  private readonly active = new Map<number, ActiveWatch>();
  private closed = false;
  /** Set when we reset the stream ourselves, as the error the watches get. */
  private broken: StoreError | undefined;

  constructor(
    private readonly channel: GrpcChannel,
    private readonly writer: ProtoWriter,
  ) {}

  /** Creates a watch; resolves once the server confirmed it (see the file comment). */
  watch(key: Bytes, opts: WatchOptions, handlers: WatchHandlers, call: CallOptions = {}): Promise<Watch> {
    if (this.closed) return Promise.reject(new StoreError(GrpcCode.Cancelled, 'watch: client closed'));
    if (call.signal?.aborted) return Promise.reject(new StoreError(GrpcCode.Cancelled, 'watch: cancelled before it was created'));
    let request: Buffer;
    try {
      request = encodeWatchCreate(this.writer, key, opts);
    } catch (err) {
      this.writer.discard();
      return Promise.reject(new StoreError(GrpcCode.InvalidArgument, `watch: ${(err as Error).message}`, { cause: err }));
    }
    return new Promise<Watch>((resolve, reject) => {
      const p: PendingCreate = { request, handlers, resolve, reject, abandoned: false, cleanup: () => undefined };
      const giveUp = (err: StoreError): void => {
        p.cleanup();
        const at = this.queue.indexOf(p);
        if (at === 0) p.abandoned = true; // sent: its `created` still comes and takes the head
        else if (at > 0) this.queue.splice(at, 1);
        reject(err);
      };
      const timer = call.timeoutMs !== undefined ? setTimeout(() => giveUp(new StoreError(GrpcCode.DeadlineExceeded, `watch: not created within ${call.timeoutMs} ms`)), call.timeoutMs) : undefined;
      const onAbort = (): void => giveUp(new StoreError(GrpcCode.Cancelled, 'watch: cancelled before it was created'));
      call.signal?.addEventListener('abort', onAbort, { once: true });
      p.cleanup = () => {
        if (timer) clearTimeout(timer);
        call.signal?.removeEventListener('abort', onAbort);
      };
      this.queue.push(p);
      const s = this.open();
      if (this.queue.length === 1) s.write(p.request);
    });
  }

  /** Asks the server for a progress notification of every watch (answered with watchId -1). */
  requestProgress(): void {
    if (this.stream) this.stream.write(encodeWatchProgress(this.writer));
  }

  /** Ends the stream; every watch gets onError(Cancelled). Idempotent. */
  close(): void {
    this.closed = true;
    this.stream?.cancel();
  }

  private open(): GrpcStream {
    this.stream ??= this.channel.stream(WATCH_PATH, { onMessage: (m) => this.onMessage(m), onEnd: (err) => this.onEnd(err) });
    return this.stream;
  }

  private onMessage(bytes: Buffer): void {
    let m: WatchResponseMsg;
    try {
      m = decodeWatchResponse(bytes);
    } catch (err) {
      this.broken = new StoreError(GrpcCode.Internal, `watch: malformed response: ${(err as Error).message}`, { cause: err });
      this.stream?.cancel();
      return;
    }
    if (m.created) return this.onCreated(m);
    if (m.canceled) return this.onCanceled(m);
    if (m.events.length > 0) {
      const w = this.active.get(m.watchId);
      if (w && !w.cancelling) w.handlers.onEvents(m.events, m.header);
      return;
    }
    if (m.watchId === -1) for (const w of this.active.values()) w.handlers.onProgress?.(m.header);
    else this.active.get(m.watchId)?.handlers.onProgress?.(m.header);
  }

  private onCreated(m: WatchResponseMsg): void {
    const p = this.queue.shift();
    const next = this.queue[0];
    if (next) this.stream?.write(next.request);
    if (!p) return; // not ours to answer (no create outstanding): nothing to route it to
    p.cleanup();
    if (m.canceled) {
      if (!p.abandoned) p.reject(refusal(m));
      return;
    }
    const id = m.watchId;
    const w: ActiveWatch = { handlers: p.handlers };
    this.active.set(id, w);
    if (p.abandoned) {
      void this.cancel(id);
      return;
    }
    p.resolve({ id, cancel: () => this.cancel(id) });
  }

  private onCanceled(m: WatchResponseMsg): void {
    const w = this.active.get(m.watchId);
    if (!w) return;
    this.active.delete(m.watchId);
    if (w.cancelling) {
      for (const done of w.cancelling) done();
      return;
    }
    const err = m.compactRevision
      ? new StoreError(GrpcCode.OutOfRange, `${COMPACTED_MESSAGE} (compact revision ${m.compactRevision})`)
      : new StoreError(GrpcCode.Cancelled, `watch ${m.watchId} cancelled by the server${m.cancelReason ? `: ${m.cancelReason}` : ''}`);
    w.handlers.onError?.(err);
  }

  private cancel(id: number): Promise<void> {
    const w = this.active.get(id);
    if (!w || !this.stream) return Promise.resolve();
    return new Promise((resolve) => {
      if (w.cancelling) return w.cancelling.push(resolve);
      w.cancelling = [resolve];
      this.stream!.write(encodeWatchCancel(this.writer, id));
    });
  }

  private onEnd(err?: Error): void {
    const why =
      this.broken ??
      (this.closed
        ? new StoreError(GrpcCode.Cancelled, 'watch: client closed', { cause: err })
        : err instanceof StoreError
          ? err
          : new StoreError(GrpcCode.Unavailable, `watch stream ended${err ? `: ${err.message}` : ' by the server'}`, { cause: err }));
    this.stream = undefined;
    this.broken = undefined;
    const pending = this.queue.splice(0);
    const active = [...this.active.values()];
    this.active.clear();
    for (const p of pending) {
      p.cleanup();
      if (!p.abandoned) p.reject(why);
    }
    for (const w of active) {
      if (w.cancelling) for (const done of w.cancelling) done();
      else w.handlers.onError?.(why);
    }
  }
}
