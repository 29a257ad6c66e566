/**
 * etcd's Watch service: one bidirectional stream carries many watches. Requests create a watch
 * (key or range, start revision, prev_kv, filters, client-chosen or server-chosen ID), cancel
 * one, or ask for a progress report; responses carry a watch's events in revision order.
 *
 * Response order per watch, as etcd sends it:
 *   {watchId: 3, created: true}                       always first
 *   {watchId: 3, events: [...]}                       zero or more
 *   {watchId: 3, canceled: true[, compactRevision]}  last: cancel request, or start revision
 *                                                     below the compaction (then compactRevision
 *                                                     is the compacted revision)
 *
 * Backpressure: when the gRPC stream's buffer is full (`write` returns false) the listener
 * returns false; the store then stops pushing that watch and replays it from history after
 * `resume()`, which this stream calls on 'drain'. A slow client thus neither blocks writers
 * nor loses events, and the server's memory stays bounded.
 */
import { status, type ServerDuplexStream, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { ErrorMessages } from '../../engine/mvcc/errors.ts';
import type { WatchHandle } from '../../engine/mvcc/kv.ts';
import type { MvccEvent, ResponseHeader, WatchNotification } from '../../engine/mvcc/types.ts';
import type { OpenStream, ServiceContext } from './context.ts';
import { chunkEvents, toWatchCreateRequest, toWireEvents, type WireEvent, type WireWatchCreateRequest } from './convert.ts';
import { asBuffer, preEncoded, protoType } from './proto.ts';

/** A WatchRequest as decoded from the wire (one of the three is set). */
interface WireWatchRequest {
  createRequest?: WireWatchCreateRequest | null;
  cancelRequest?: { watchId: number } | null;
  progressRequest?: object | null;
}

/** A WatchResponse as encoded on the wire. */
interface WireWatchResponse {
  header: ResponseHeader;
  watchId: number;
  created?: boolean;
  canceled?: boolean;
  compactRevision?: number;
  cancelReason?: string;
  events?: WireEvent[];
}

/** etcd's watch ID for responses that concern every watch on the stream (progress reports). */
const ALL_WATCHES = -1;
const DUPLICATE_ID = 'mvcc: duplicate watch ID provided on the WatchStream';
/** Events per response are cut at about this many bytes (1 MiB), between revisions. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

const WatchResponseType = protoType('etcdserverpb.WatchResponse');
/**
 * An event's bytes as a WatchResponse `events` entry (field 11), kept while the event lives.
 * A put without a previous value is keyed by its KeyValue, which the store shares between the
 * live push and history replays (a watcher catching up after backpressure reuses the bytes);
 * other events by the event object. Both rely on the store never changing a KeyValue or an
 * event it has handed out.
 */
const encodedEvents = new WeakMap<object, Buffer>();
/**
 * A header's bytes as field 1; one header object is shared by all watchers of a commit (the
 * store hands out a fresh header object per call and never changes one afterwards).
 */
const encodedHeaders = new WeakMap<ResponseHeader, Buffer>();

/**
 * The WatchResponse `{header, watchId, events}`, encoded with each event's bytes reused across
 * the watchers it goes to: one put watched by 100 watchers is encoded once, not 100 times. The
 * bytes are those of encoding the whole message (protobuf fields concatenate, and these are in
 * field-number order: header 1, watch_id 2, events 11); watch-service.test.ts checks it.
 */
export function encodeEventsResponse(header: ResponseHeader, watchId: number, events: readonly MvccEvent[]): Buffer {
  let head = encodedHeaders.get(header);
  if (head === undefined) {
    head = asBuffer(WatchResponseType.encode({ header }).finish());
    encodedHeaders.set(header, head);
  }
  const id = asBuffer(WatchResponseType.encode({ watchId }).finish());
  const parts: Buffer[] = [head, id];
  let bytes = head.length + id.length;
  for (const e of events) {
    const cacheKey: object = e.type === 'PUT' && e.prevKv === undefined ? e.kv : e;
    let b = encodedEvents.get(cacheKey);
    if (b === undefined) {
      b = asBuffer(WatchResponseType.encode({ events: toWireEvents([e]) }).finish());
      encodedEvents.set(cacheKey, b);
    }
    parts.push(b);
    bytes += b.length;
  }
  return Buffer.concat(parts, bytes);
}

interface ActiveWatch {
  readonly id: number;
  handle: WatchHandle | undefined;
  /** The listener returned false; waiting for 'drain' to resume. */
  paused: boolean;
  readonly progressNotify: boolean;
  /** Events were sent since the last progress tick (etcd then skips the progress response). */
  sentSinceTick: boolean;
}

class WatchStream implements OpenStream {
  private readonly watches = new Map<number, ActiveWatch>();
  private nextId = 0;
  private closed = false;
  private progressTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly call: ServerDuplexStream<WireWatchRequest, WireWatchResponse | object>,
    private readonly ctx: ServiceContext,
  ) {
    ctx.streams.add(this);
    call.on('data', (req: WireWatchRequest) => this.onRequest(req));
    // The client half-closed: etcd ends the stream too.
    call.on('end', () => this.finish(() => call.end()));
    call.on('cancelled', () => this.finish(() => undefined));
    call.on('drain', () => this.resumePaused());
  }

  stop(): void {
    this.finish(() => this.call.emit('error', { code: status.UNAVAILABLE, details: ErrorMessages.stopped }));
  }

  private finish(end: () => void): void {
    if (this.closed) return;
    this.closed = true;
    this.ctx.streams.delete(this);
    clearInterval(this.progressTimer);
    for (const w of this.watches.values()) w.handle?.cancel();
    this.watches.clear();
    end();
  }

  /** Writes a response (or one `preEncoded` by `encodeEventsResponse`). */
  private send(res: WireWatchResponse | object): boolean {
    if (this.closed) return true;
    return this.call.write(res);
  }

  private onRequest(req: WireWatchRequest): void {
    if (this.closed) return;
    if (req.createRequest) this.create(req.createRequest);
    else if (req.cancelRequest) this.cancel(req.cancelRequest.watchId);
    else if (req.progressRequest) this.progress();
  }

  private create(c: WireWatchCreateRequest): void {
    const header = this.ctx.store.header();
    let id = c.watchId ?? 0;
    if (id !== 0 && this.watches.has(id)) {
      this.send({ header, watchId: ALL_WATCHES, created: true, canceled: true, cancelReason: DUPLICATE_ID });
      return;
    }
    if (id === 0) {
      // etcd numbers watches from 0 per stream, skipping IDs the client chose itself.
      while (this.watches.has(this.nextId)) this.nextId++;
      id = this.nextId++;
    }
    const req = toWatchCreateRequest({
      ...c,
      // etcd: an empty key means "from the smallest key", i.e. \0.
      key: c.key.length === 0 ? Buffer.from([0]) : c.key,
      // The server sends progress notifications itself (see startProgressTimer).
      progressNotify: false,
    });
    const w: ActiveWatch = { id, handle: undefined, paused: false, progressNotify: c.progressNotify === true, sentSinceTick: false };
    this.watches.set(id, w);
    // Written before the store can deliver anything, so `created` always comes first.
    this.send({ header, watchId: id, created: true });
    try {
      w.handle = this.ctx.store.watch(req, (n) => this.deliver(w, n));
    } catch (err) {
      this.watches.delete(id);
      const reason = err instanceof Error ? err.message : String(err);
      this.send({ header: this.ctx.store.header(), watchId: id, canceled: true, cancelReason: reason });
      return;
    }
    if (w.progressNotify) this.startProgressTimer();
  }

  private deliver(w: ActiveWatch, n: WatchNotification): boolean {
    if (this.closed || this.watches.get(w.id) !== w) return true;
    if (n.canceled || (n.compactRevision !== undefined && n.compactRevision > 0)) {
      this.watches.delete(w.id);
      this.send({
        header: n.header,
        watchId: w.id,
        canceled: true,
        compactRevision: n.compactRevision ?? 0,
        cancelReason: n.cancelReason ?? '',
      });
      return true;
    }
    if (n.events.length === 0) {
      // A progress notification from the store: pass it on as etcd does (no events).
      return this.send({ header: n.header, watchId: w.id, events: [] });
    }
    w.sentSinceTick = true;
    let ok = true;
    for (const events of chunkEvents(n.events, MAX_RESPONSE_BYTES)) {
      if (!this.send(preEncoded(encodeEventsResponse(n.header, w.id, events)))) ok = false;
    }
    if (ok) return true;
    w.paused = true;
    return false;
  }

  private resumePaused(): void {
    for (const w of [...this.watches.values()]) {
      if (!w.paused || this.closed) continue;
      w.paused = false;
      w.handle?.resume();
    }
  }

  private cancel(id: number): void {
    const w = this.watches.get(id);
    // etcd (3.4) answers nothing for an unknown ID.
    if (!w) return;
    this.watches.delete(id);
    w.handle?.cancel();
    this.send({ header: this.ctx.store.header(), watchId: id, canceled: true });
  }

  private progress(): void {
    // As etcd: no report while a watch lags behind (its events at or below the reported
    // revision are not all sent yet), and none on a stream without watches.
    if (this.watches.size === 0) return;
    for (const w of this.watches.values()) if (w.paused) return;
    this.send({ header: this.ctx.store.header(), watchId: ALL_WATCHES });
  }

  private startProgressTimer(): void {
    if (this.progressTimer) return;
    this.progressTimer = setInterval(() => {
      for (const w of this.watches.values()) {
        if (!w.progressNotify) continue;
        if (!w.sentSinceTick && !w.paused) this.send({ header: this.ctx.store.header(), watchId: w.id, events: [] });
        w.sentSinceTick = false;
      }
    }, this.ctx.progressNotifyIntervalMs);
    this.progressTimer.unref();
  }
}

/** Handlers for `etcdserverpb.Watch`. */
export function watchService(ctx: ServiceContext): UntypedServiceImplementation {
  return {
    Watch: (call: ServerDuplexStream<WireWatchRequest, WireWatchResponse | object>) => {
      new WatchStream(call, ctx);
    },
  };
}
