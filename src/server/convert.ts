/**
 * Wire messages (as `proto.ts` decodes them: camelCase, enums as numbers) to the store's types
 * (`engine/mvcc/types.ts`, enums as etcd's upper-case names) and back. Only enum fields and
 * oneof defaults need work; everything else passes through by reference.
 */
import { EtcdError } from '../../engine/mvcc/errors.ts';
import type {
  Compare,
  CompareResult,
  CompareTarget,
  DeleteRangeRequest,
  MvccEvent,
  PutRequest,
  RangeRequest,
  RequestOp,
  SortOrder,
  SortTarget,
  TxnRequest,
  WatchCreateRequest,
  WatchFilter,
} from '../../engine/mvcc/types.ts';

// Indexed by wire value, in the order of etcd's rpc.proto.
const SORT_ORDERS: readonly SortOrder[] = ['NONE', 'ASCEND', 'DESCEND'];
const SORT_TARGETS: readonly SortTarget[] = ['KEY', 'VERSION', 'CREATE', 'MOD', 'VALUE'];
const COMPARE_RESULTS: readonly CompareResult[] = ['EQUAL', 'GREATER', 'LESS', 'NOT_EQUAL'];
const COMPARE_TARGETS: readonly CompareTarget[] = ['VERSION', 'CREATE', 'MOD', 'VALUE', 'LEASE'];
const WATCH_FILTERS: readonly WatchFilter[] = ['NOPUT', 'NODELETE'];

/** etcd's answer to a sort order or target outside the enum (rpctypes.ErrGRPCInvalidSortOption). */
export const INVALID_SORT_OPTION = 'etcdserver: invalid sort option';

/** A RangeRequest as decoded from the wire. */
export interface WireRangeRequest extends Omit<RangeRequest, 'sortOrder' | 'sortTarget'> {
  sortOrder?: number;
  sortTarget?: number;
}

/** A Compare as decoded from the wire; `targetUnion` names the oneof member that was sent. */
export interface WireCompare extends Omit<Compare, 'result' | 'target'> {
  result?: number;
  target?: number;
  targetUnion?: string;
}

/** A RequestOp as decoded from the wire. */
export interface WireRequestOp {
  requestRange?: WireRangeRequest | null;
  requestPut?: PutRequest | null;
  requestDeleteRange?: DeleteRangeRequest | null;
  requestTxn?: WireTxnRequest | null;
}

/** A TxnRequest as decoded from the wire. */
export interface WireTxnRequest {
  compare?: WireCompare[];
  success?: WireRequestOp[];
  failure?: WireRequestOp[];
}

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

function pick<T>(table: readonly T[], value: number | undefined, what: string, message: string): T {
  const name = table[value ?? 0];
  if (name === undefined) {
    throw new EtcdError('INVALID_ARGUMENT', message, { cause: new Error(`${what} ${String(value)} is not defined`) });
  }
  return name;
}

/** Maps a wire RangeRequest; unknown sort enums fail as etcd's invalid sort option. */
export function toRangeRequest(w: WireRangeRequest): RangeRequest {
  return {
    ...w,
    sortOrder: pick(SORT_ORDERS, w.sortOrder, 'sort order', INVALID_SORT_OPTION),
    sortTarget: pick(SORT_TARGETS, w.sortTarget, 'sort target', INVALID_SORT_OPTION),
  };
}

function toCompare(w: WireCompare): Compare {
  const target = pick(COMPARE_TARGETS, w.target, 'compare target', 'etcdserver: invalid compare target');
  const c: Compare = {
    ...w,
    result: pick(COMPARE_RESULTS, w.result, 'compare result', 'etcdserver: invalid compare result'),
    target,
  };
  // proto3 omits the oneof member when the client leaves it at its zero value.
  switch (target) {
    case 'VERSION':
      c.version ??= 0;
      break;
    case 'CREATE':
      c.createRevision ??= 0;
      break;
    case 'MOD':
      c.modRevision ??= 0;
      break;
    case 'VALUE':
      c.value ??= Buffer.alloc(0);
      break;
    case 'LEASE':
      c.lease ??= 0;
      break;
  }
  return c;
}

function toRequestOp(w: WireRequestOp): RequestOp {
  if (w.requestRange) return { requestRange: toRangeRequest(w.requestRange) };
  if (w.requestPut) return { requestPut: w.requestPut };
  if (w.requestDeleteRange) return { requestDeleteRange: w.requestDeleteRange };
  if (w.requestTxn) return { requestTxn: toTxnRequest(w.requestTxn) };
  // An op with no request set: etcd answers this (odd) error for it, so we do too.
  throw new EtcdError('INVALID_ARGUMENT', 'etcdserver: key not found');
}

/** Maps a wire TxnRequest, nested txns included. */
export function toTxnRequest(w: WireTxnRequest): TxnRequest {
  return {
    compare: (w.compare ?? []).map(toCompare),
    success: (w.success ?? []).map(toRequestOp),
    failure: (w.failure ?? []).map(toRequestOp),
  };
}

/** Maps a wire WatchCreateRequest (filters by name; the rest unchanged). */
export function toWatchCreateRequest(w: WireWatchCreateRequest): WatchCreateRequest {
  const { filters, watchId: _watchId, fragment: _fragment, ...rest } = w;
  return {
    ...rest,
    filters: (filters ?? []).map((f) => pick(WATCH_FILTERS, f, 'watch filter', 'etcdserver: invalid watch filter')),
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
