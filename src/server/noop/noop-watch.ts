/**
 * The noop server's minimal Watch service: create (a key or a range, from now on), cancel, and
 * the store's Put and Delete events sent to every matching watch. No start revision, history,
 * filters, prev_kv, progress or backpressure.
 *
 * Events go out as serve's Watch service sends them (`encodeEventsResponse`): an event and its
 * header are encoded once, however many watches it goes to, and each watch's response is those
 * bytes behind its own watch id.
 */
import type { ServerDuplexStream, UntypedServiceImplementation } from '@grpc/grpc-js';
import type { MvccEvent, ResponseHeader } from '../../../engine/mvcc/types.ts';
import { preEncoded } from '../proto.ts';
import { encodeEventsResponse } from '../watch-service.ts';
import type { NoopStore } from './noop-store.ts';

/** A WatchRequest as proto-loader decodes it (camelCase, as `loadEtcdServices` loads it). */
interface WatchRequest {
  createRequest?: { key: Buffer; rangeEnd: Buffer } | null;
  cancelRequest?: { watchId: number } | null;
}

type WatchCall = ServerDuplexStream<WatchRequest, object>;

interface Registration {
  readonly call: WatchCall;
  readonly id: number;
  readonly start: Buffer;
  /** Empty: the single key `start`; "\0": every key from `start` on. */
  readonly end: Buffer;
}

function inRange(key: Buffer, start: Buffer, end: Buffer): boolean {
  if (end.length === 0) return key.equals(start);
  return key.compare(start) >= 0 && ((end.length === 1 && end[0] === 0) || key.compare(end) < 0);
}

/** See the file comment. */
export class NoopWatch {
  private readonly watches = new Set<Registration>();
  private nextId = 1;
  private readonly deliver = (header: ResponseHeader, event: MvccEvent): void => {
    const events = [event];
    for (const w of this.watches) {
      if (inRange(event.kv.key, w.start, w.end)) w.call.write(preEncoded(encodeEventsResponse(header, w.id, events)));
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
    this.store.onChange = this.deliver;
  }

  private remove(w: Registration): void {
    this.watches.delete(w);
    // Nobody watches: the store stops building events.
    if (this.watches.size === 0) this.store.onChange = undefined;
  }

  private serve(call: WatchCall): void {
    const mine = new Map<number, Registration>();
    call.on('data', (req: WatchRequest) => {
      if (req.createRequest) {
        const w: Registration = { call, id: this.nextId++, start: req.createRequest.key, end: req.createRequest.rangeEnd };
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
