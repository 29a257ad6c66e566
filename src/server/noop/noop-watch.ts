/**
 * The noop server's minimal Watch service: create (a key or a range, from now on), cancel, and
 * the store's Put and Delete events sent to every matching watch. No start revision, history,
 * filters, prev_kv, progress or backpressure.
 *
 * Events go out as serve's Watch service sends them (`encodeEventsResponse`): an event and its
 * header are encoded once, however many watches it goes to, and each watch's response is those
 * bytes behind its own watch id. A tick's events reach a watch in one response (see `flush`).
 */
import type { ServerDuplexStream, UntypedServiceImplementation } from '@grpc/grpc-js';
import type { MvccEvent, ResponseHeader } from '../../../engine/mvcc/types.ts';
import { chunkEvents } from '../convert.ts';
import { preEncoded } from '../proto.ts';
import { encodeEventsResponse } from '../watch-service.ts';
import type { NoopStore } from './noop-store.ts';

/** A WatchRequest as proto-loader decodes it (camelCase, as `loadEtcdServices` loads it). */
interface WatchRequest {
  createRequest?: { key: Buffer; rangeEnd: Buffer } | null;
  cancelRequest?: { watchId: number } | null;
}

/** Events per response are cut at about this many bytes, as serve cuts them. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

type WatchCall = ServerDuplexStream<WatchRequest, object>;

interface Registration {
  readonly call: WatchCall;
  readonly id: number;
  /** The range's ends as latin1 strings (which compare as their bytes), so matching an event is a JS string compare, not a Buffer one. */
  readonly start: string;
  /** undefined: the single key `start`; '': every key from `start` on. */
  readonly end: string | undefined;
}

/** The ends of a watch on [key, rangeEnd) as `Registration` keeps them. */
function ends(key: Buffer, rangeEnd: Buffer): { start: string; end: string | undefined } {
  const start = key.toString('latin1');
  if (rangeEnd.length === 0) return { start, end: undefined };
  return { start, end: rangeEnd.length === 1 && rangeEnd[0] === 0 ? '' : rangeEnd.toString('latin1') };
}

function inRange(key: string, w: Registration): boolean {
  if (w.end === undefined) return key === w.start;
  return key >= w.start && (w.end === '' || key < w.end);
}

/** See the file comment. */
export class NoopWatch {
  private readonly watches = new Set<Registration>();
  private nextId = 1;
  /** Events since the last `flush`, and the header of the latest. */
  private pending: MvccEvent[] = [];
  private pendingHeader: ResponseHeader | undefined;
  private readonly collect = (header: ResponseHeader, event: MvccEvent): void => {
    if (this.pending.length === 0) process.nextTick(this.flush);
    this.pending.push(event);
    this.pendingHeader = header;
  };
  /**
   * Sends each watch the tick's events in its range, in one response (as serve's store hands a
   * watcher a commit's events at once): the Puts of one socket read cost a watcher one message.
   */
  private readonly flush = (): void => {
    const events = this.pending;
    const header = this.pendingHeader;
    if (events.length === 0 || header === undefined) return;
    this.pending = [];
    const keys = events.map((e) => e.kv.key.toString('latin1'));
    for (const w of this.watches) {
      const matching = events.filter((_, i) => inRange(keys[i]!, w));
      if (matching.length === 0) continue;
      for (const chunk of chunkEvents(matching, MAX_RESPONSE_BYTES)) w.call.write(preEncoded(encodeEventsResponse(header, w.id, chunk)));
    }
  };

  constructor(private readonly store: NoopStore) {}

  /** Handlers for `etcdserverpb.Watch`. */
  service(): UntypedServiceImplementation {
    return { Watch: (call: WatchCall) => this.serve(call) };
  }

  /** Ends every open watch stream (the server is stopping). */
  stop(): void {
    const calls = new Set([...this.watches].map((w) => w.call));
    for (const call of calls) call.end();
  }

  private add(w: Registration): void {
    this.watches.add(w);
    this.store.onChange = this.collect;
  }

  private remove(w: Registration): void {
    this.watches.delete(w);
    // Nobody watches: the store stops building events.
    if (this.watches.size === 0) this.store.onChange = undefined;
  }

  private serve(call: WatchCall): void {
    const mine = new Map<number, Registration>();
    call.on('data', (req: WatchRequest) => {
      // Events from before this request go out before its answer (and never to a watch it creates).
      this.flush();
      if (req.createRequest) {
        const w: Registration = { call, id: this.nextId++, ...ends(req.createRequest.key, req.createRequest.rangeEnd) };
        mine.set(w.id, w);
        this.add(w);
        call.write({ header: this.store.header(), watchId: w.id, created: true });
      } else if (req.cancelRequest) {
        const id = req.cancelRequest.watchId;
        const w = mine.get(id);
        if (w !== undefined) {
          mine.delete(id);
          this.remove(w);
        }
        call.write({ header: this.store.header(), watchId: id, canceled: true });
      }
    });
    const drop = (): void => {
      for (const w of mine.values()) this.remove(w);
      mine.clear();
    };
    call.on('end', () => {
      drop();
      call.end();
    });
    call.on('error', drop);
    call.on('cancelled', drop);
  }
}
