/**
 * The Watch service's wire messages (as protobufjs decodes them through `proto.ts`: camelCase,
 * enums as numbers) to the store's types (`engine/mvcc/types.ts`, enums as etcd's upper-case
 * names) and back, and the cutting of event batches into responses. (KV requests need none of
 * this: `codec/kv-requests.ts` decodes them straight into the store's types.)
 */
import type { MvccEvent, WatchCreateRequest } from '../../engine/mvcc/types.ts';
import { INVALID_WATCH_FILTER, WATCH_FILTERS, pick } from './codec/enums.ts';

/** A WatchCreateRequest as decoded from the wire. */
export interface WireWatchCreateRequest extends Omit<WatchCreateRequest, 'filters'> {
  filters?: number[];
  /** Client-chosen watch ID, 0 = let the server choose. */
  watchId?: number;
  fragment?: boolean;
}

/** An mvccpb.Event as encoded on the wire (`type`: 0 = PUT, 1 = DELETE). */
export interface WireEvent {
  type: number;
  kv: MvccEvent['kv'];
  prevKv?: MvccEvent['kv'];
}

/** Maps a wire WatchCreateRequest (filters by name; the rest unchanged). */
export function toWatchCreateRequest(w: WireWatchCreateRequest): WatchCreateRequest {
  const { filters, watchId: _watchId, fragment: _fragment, ...rest } = w;
  return {
    ...rest,
    filters: (filters ?? []).map((f) => pick(WATCH_FILTERS, f, 'watch filter', INVALID_WATCH_FILTER)),
  };
}

/** Maps the store's events to wire events. */
export function toWireEvents(events: readonly MvccEvent[]): WireEvent[] {
  return events.map((e) => ({ type: e.type === 'DELETE' ? 1 : 0, kv: e.kv, prevKv: e.prevKv }));
}

/**
 * Splits events into consecutive runs of at most about `maxBytes` of keys and values each, cut
 * only between revisions (a revision's events stay in one response, as etcd keeps them). A
 * catch-up after a stall can hand the server thousands of events at once, and clients refuse
 * messages above their receive limit (the etcd3 npm client: grpc-js's default 4 MiB).
 */
export function chunkEvents(events: readonly MvccEvent[], maxBytes: number): MvccEvent[][] {
  const chunks: MvccEvent[][] = [];
  let current: MvccEvent[] = [];
  let bytes = 0;
  for (const e of events) {
    const size = 32 + e.kv.key.length + e.kv.value.length + (e.prevKv ? 32 + e.prevKv.key.length + e.prevKv.value.length : 0);
    const last = current[current.length - 1];
    if (last !== undefined && bytes + size > maxBytes && last.kv.modRevision !== e.kv.modRevision) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(e);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
