/**
 * The Watch service's messages (etcd `rpc.proto`): WatchRequest (create, cancel, progress) and
 * WatchResponse with its mvccpb.Events. One WatchResponse is either a control message (created,
 * canceled, compacted, progress) or a batch of events of one watch.
 */
import type { Bytes, ResponseHeader, WatchEvent, WatchOptions } from '../../types.ts';
import { NO_HEADER, readHeader, readKeyValue } from './kv-decode.ts';
import { ProtoReader } from '../../../proto-wire/reader.ts';
import { WireType, type ProtoWriter } from '../../../proto-wire/writer.ts';

/** WatchCreateRequest.FilterType wire numbers. */
const FILTER = { noput: 0, nodelete: 1 } as const;

/** WatchRequest{create_request}: a new watch of `key` (the server picks its id). */
export function encodeWatchCreate(w: ProtoWriter, key: Bytes, o: WatchOptions = {}): Buffer {
  w.fork(1);
  w.bytesField(1, key);
  w.bytesField(2, o.end);
  w.int64Field(3, o.startRevision);
  w.boolField(4, o.progressNotify);
  if (o.filters && o.filters.length > 0) {
    // proto3 packs repeated enums.
    w.fork(5);
    for (const f of o.filters) {
      const n = FILTER[f];
      if (n === undefined) throw new TypeError(`watch: unknown filter ${JSON.stringify(f)}`);
      w.uint32(n);
    }
    w.join();
  }
  w.boolField(6, o.prevKv);
  w.join();
  return w.finish();
}

/** WatchRequest{cancel_request}. */
export function encodeWatchCancel(w: ProtoWriter, watchId: number): Buffer {
  w.fork(2);
  w.int64Field(1, watchId);
  w.join();
  return w.finish();
}

/** WatchRequest{progress_request}: asks for a progress notification of every watch. */
export function encodeWatchProgress(w: ProtoWriter): Buffer {
  w.tag(3, WireType.Len);
  w.uint32(0);
  return w.finish();
}

/** A decoded WatchResponse. */
export interface WatchResponseMsg {
  readonly header: ResponseHeader;
  /** -1 for a progress response that concerns every watch of the stream. */
  readonly watchId: number;
  readonly created: boolean;
  readonly canceled: boolean;
  /** Set (non-zero) when the watch's start revision was compacted: the watch is cancelled. */
  readonly compactRevision: number;
  readonly cancelReason: string;
  readonly fragment: boolean;
  readonly events: readonly WatchEvent[];
}

const NO_EVENTS: readonly WatchEvent[] = Object.freeze([]);

function readEvent(r: ProtoReader): WatchEvent {
  let type: WatchEvent['type'] = 'put';
  let kv: WatchEvent['kv'] | undefined;
  let prevKv: WatchEvent['kv'] | undefined;
  while (r.more()) {
    const tag = r.uint32();
    switch (tag) {
      case (1 << 3) | 0: type = r.uint32() === 1 ? 'delete' : 'put'; break;
      case (2 << 3) | 2: kv = readKeyValue(r.sub()); break;
      case (3 << 3) | 2: prevKv = readKeyValue(r.sub()); break;
      default: r.skip(tag & 7, tag >>> 3);
    }
  }
  kv ??= readKeyValue(new ProtoReader(Buffer.alloc(0)));
  return prevKv ? { type, kv, prevKv } : { type, kv };
}

/** WatchResponse bytes → WatchResponseMsg. */
export function decodeWatchResponse(b: Buffer): WatchResponseMsg {
  const r = new ProtoReader(b);
  let header = NO_HEADER;
  let watchId = 0;
  let created = false;
  let canceled = false;
  let compactRevision = 0;
  let cancelReason = '';
  let fragment = false;
  let events: WatchEvent[] | undefined;
  while (r.more()) {
    const tag = r.uint32();
    switch (tag) {
      case (1 << 3) | 2: header = readHeader(r.sub()); break;
      case (2 << 3) | 0: watchId = r.int64(); break;
      case (3 << 3) | 0: created = r.bool(); break;
      case (4 << 3) | 0: canceled = r.bool(); break;
      case (5 << 3) | 0: compactRevision = r.int64(); break;
      case (6 << 3) | 2: cancelReason = r.string(); break;
      case (7 << 3) | 0: fragment = r.bool(); break;
      case (11 << 3) | 2: (events ??= []).push(readEvent(r.sub())); break;
      default: r.skip(tag & 7, tag >>> 3);
    }
  }
  return { header, watchId, created, canceled, compactRevision, cancelReason, fragment, events: events ?? NO_EVENTS };
}
