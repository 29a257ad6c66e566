/**
 * Decoders of the KV service's requests (etcd `rpc.proto`) straight into the store's request
 * types (`engine/mvcc/types.ts`): RangeRequest, PutRequest, DeleteRangeRequest, TxnRequest
 * (Compare, RequestOp, nested txns) and CompactionRequest. They give what proto-loader
 * (`defaults: true`) plus the old wire-to-store conversion gave: every field present, proto3's
 * default where the field was not sent, enums as the store's names, and a compare's operand
 * filled with its default when the client left it out (proto3 omits a oneof member at zero).
 *
 * Unknown fields, and known fields with another wire type, are skipped. Bytes fields are
 * subarrays of the request buffer (no copy), as protobufjs gives them. int64 fields past 2^53
 * come out as the nearest double, as protobufjs's `longs: Number` gives them.
 *
 * Malformed protobuf throws a ProtoDecodeError (the transports answer INTERNAL "Error
 * deserializing request", as for protobufjs's throw). Well-formed requests that etcd refuses
 * (an enum outside its values, a txn op with no request) decode, and carry the error to the
 * handler (`request-tags.ts`).
 *
 * Worked example: `0a 01 6b 12 01 76 20 01` is PutRequest{key: "k", value: "v", prev_kv: true},
 * decoded to `{key, value, lease: 0, prevKv: true, ignoreValue: false, ignoreLease: false}`.
 */
import { errKeyNotFound, type EtcdError } from '../../../engine/mvcc/errors.ts';
import type { Compare, CompactionRequest, DeleteRangeRequest, PutRequest, RangeRequest, RequestOp, TxnRequest } from '../../../engine/mvcc/types.ts';
import { ProtoReader } from '../../proto-wire/reader.ts';
import { COMPARE_RESULTS, COMPARE_TARGETS, INVALID_COMPARE_RESULT, INVALID_COMPARE_TARGET, INVALID_SORT_OPTION, SORT_ORDERS, SORT_TARGETS, enumError } from './enums.ts';
import { tagDeferredError, tagRequestSize } from './request-tags.ts';

const EMPTY: Buffer = Buffer.alloc(0);

/**
 * The first refusal found in the request being decoded. Decoding is synchronous, so one
 * variable, reset by each top-level decoder, serves every nested reader.
 */
let deferred: EtcdError | undefined;

function defer(err: EtcdError): void {
  deferred ??= err;
}

/** Ends a top-level decode: the request with its deferred error, if any. */
function done<T extends object>(msg: T): T {
  if (deferred !== undefined) {
    tagDeferredError(msg, deferred);
    deferred = undefined;
  }
  return msg;
}

function readRange(r: ProtoReader): RangeRequest {
  let key = EMPTY;
  let rangeEnd = EMPTY;
  let limit = 0;
  let revision = 0;
  let sortOrder = 0;
  let sortTarget = 0;
  let serializable = false;
  let keysOnly = false;
  let countOnly = false;
  let minModRevision = 0;
  let maxModRevision = 0;
  let minCreateRevision = 0;
  let maxCreateRevision = 0;
  while (r.more()) {
    const tag = r.uint32();
    switch (tag) {
      case (1 << 3) | 2: key = r.bytes(); break;
      case (2 << 3) | 2: rangeEnd = r.bytes(); break;
      case (3 << 3) | 0: limit = r.int64(); break;
      case (4 << 3) | 0: revision = r.int64(); break;
      case (5 << 3) | 0: sortOrder = r.uint32() | 0; break;
      case (6 << 3) | 0: sortTarget = r.uint32() | 0; break;
      case (7 << 3) | 0: serializable = r.bool(); break;
      case (8 << 3) | 0: keysOnly = r.bool(); break;
      case (9 << 3) | 0: countOnly = r.bool(); break;
      case (10 << 3) | 0: minModRevision = r.int64(); break;
      case (11 << 3) | 0: maxModRevision = r.int64(); break;
      case (12 << 3) | 0: minCreateRevision = r.int64(); break;
      case (13 << 3) | 0: maxCreateRevision = r.int64(); break;
      default: r.skip(tag & 7, tag >>> 3);
    }
  }
  const order = SORT_ORDERS[sortOrder];
  if (order === undefined) defer(enumError('sort order', sortOrder, INVALID_SORT_OPTION));
  const target = SORT_TARGETS[sortTarget];
  if (target === undefined) defer(enumError('sort target', sortTarget, INVALID_SORT_OPTION));
  return {
    key,
    rangeEnd,
    limit,
    revision,
    sortOrder: order ?? 'NONE',
    sortTarget: target ?? 'KEY',
    serializable,
    keysOnly,
    countOnly,
    minModRevision,
    maxModRevision,
    minCreateRevision,
    maxCreateRevision,
  };
}

function readPut(r: ProtoReader): PutRequest {
  let key = EMPTY;
  let value = EMPTY;
  let lease = 0;
  let prevKv = false;
  let ignoreValue = false;
  let ignoreLease = false;
  while (r.more()) {
    const tag = r.uint32();
    switch (tag) {
      case (1 << 3) | 2: key = r.bytes(); break;
      case (2 << 3) | 2: value = r.bytes(); break;
      case (3 << 3) | 0: lease = r.int64(); break;
      case (4 << 3) | 0: prevKv = r.bool(); break;
      case (5 << 3) | 0: ignoreValue = r.bool(); break;
      case (6 << 3) | 0: ignoreLease = r.bool(); break;
      default: r.skip(tag & 7, tag >>> 3);
    }
  }
  return { key, value, lease, prevKv, ignoreValue, ignoreLease };
}

function readDelete(r: ProtoReader): DeleteRangeRequest {
  let key = EMPTY;
  let rangeEnd = EMPTY;
  let prevKv = false;
  while (r.more()) {
    const tag = r.uint32();
    switch (tag) {
      case (1 << 3) | 2: key = r.bytes(); break;
      case (2 << 3) | 2: rangeEnd = r.bytes(); break;
      case (3 << 3) | 0: prevKv = r.bool(); break;
      default: r.skip(tag & 7, tag >>> 3);
    }
  }
  return { key, rangeEnd, prevKv };
}

function readCompare(r: ProtoReader): Compare {
  let result = 0;
  let target = 0;
  let key = EMPTY;
  let rangeEnd = EMPTY;
  let version: number | undefined;
  let createRevision: number | undefined;
  let modRevision: number | undefined;
  let value: Buffer | undefined;
  let lease: number | undefined;
  while (r.more()) {
    const tag = r.uint32();
    switch (tag) {
      case (1 << 3) | 0: result = r.uint32() | 0; break;
      case (2 << 3) | 0: target = r.uint32() | 0; break;
      case (3 << 3) | 2: key = r.bytes(); break;
      case (4 << 3) | 0: version = r.int64(); break;
      case (5 << 3) | 0: createRevision = r.int64(); break;
      case (6 << 3) | 0: modRevision = r.int64(); break;
      case (7 << 3) | 2: value = r.bytes(); break;
      case (8 << 3) | 0: lease = r.int64(); break;
      case (64 << 3) | 2: rangeEnd = r.bytes(); break;
      default: r.skip(tag & 7, tag >>> 3);
    }
  }
  const t = COMPARE_TARGETS[target];
  if (t === undefined) defer(enumError('compare target', target, INVALID_COMPARE_TARGET));
  const res = COMPARE_RESULTS[result];
  if (res === undefined) defer(enumError('compare result', result, INVALID_COMPARE_RESULT));
  // proto3 omits the oneof member when the client leaves it at its zero value.
  switch (t) {
    case 'VERSION': version ??= 0; break;
    case 'CREATE': createRevision ??= 0; break;
    case 'MOD': modRevision ??= 0; break;
    case 'VALUE': value ??= EMPTY; break;
    case 'LEASE': lease ??= 0; break;
    case undefined: break;
  }
  return { result: res ?? 'EQUAL', target: t ?? 'VERSION', key, rangeEnd, version, createRevision, modRevision, value, lease };
}

function readOp(r: ProtoReader): RequestOp {
  let range: RangeRequest | undefined;
  let put: PutRequest | undefined;
  let del: DeleteRangeRequest | undefined;
  let txn: TxnRequest | undefined;
  while (r.more()) {
    const tag = r.uint32();
    switch (tag) {
      case (1 << 3) | 2: range = readRange(r.sub()); break;
      case (2 << 3) | 2: put = readPut(r.sub()); break;
      case (3 << 3) | 2: del = readDelete(r.sub()); break;
      case (4 << 3) | 2: txn = readTxn(r.sub()); break;
      default: r.skip(tag & 7, tag >>> 3);
    }
  }
  // Several members of the oneof (not what an encoder writes): the first, as before.
  if (range) return { requestRange: range };
  if (put) return { requestPut: put };
  if (del) return { requestDeleteRange: del };
  if (txn) return { requestTxn: txn };
  // An op with no request set: etcd answers this (odd) error for it, so we do too.
  defer(errKeyNotFound());
  return {};
}

function readTxn(r: ProtoReader): TxnRequest {
  const compare: Compare[] = [];
  const success: RequestOp[] = [];
  const failure: RequestOp[] = [];
  while (r.more()) {
    const tag = r.uint32();
    switch (tag) {
      case (1 << 3) | 2: compare.push(readCompare(r.sub())); break;
      case (2 << 3) | 2: success.push(readOp(r.sub())); break;
      case (3 << 3) | 2: failure.push(readOp(r.sub())); break;
      default: r.skip(tag & 7, tag >>> 3);
    }
  }
  return { compare, success, failure };
}

function readCompaction(r: ProtoReader): CompactionRequest {
  let revision = 0;
  let physical = false;
  while (r.more()) {
    const tag = r.uint32();
    switch (tag) {
      case (1 << 3) | 0: revision = r.int64(); break;
      case (2 << 3) | 0: physical = r.bool(); break;
      default: r.skip(tag & 7, tag >>> 3);
    }
  }
  return { revision, physical };
}

/** Runs top-level reader `read` over `b`; no deferred error leaks into the next request if it throws. */
function decode<T extends object>(read: (r: ProtoReader) => T, b: Buffer): T {
  deferred = undefined;
  return done(read(new ProtoReader(b)));
}

/** RangeRequest bytes → the store's RangeRequest. */
export const decodeRangeRequest = (b: Buffer): RangeRequest => decode(readRange, b);
/** PutRequest bytes → the store's PutRequest, tagged with its size. */
export const decodePutRequest = (b: Buffer): PutRequest => tagRequestSize(decode(readPut, b), b.length);
/** DeleteRangeRequest bytes → the store's DeleteRangeRequest, tagged with its size. */
export const decodeDeleteRangeRequest = (b: Buffer): DeleteRangeRequest => tagRequestSize(decode(readDelete, b), b.length);
/** TxnRequest bytes → the store's TxnRequest (nested txns included), tagged with its size. */
export const decodeTxnRequest = (b: Buffer): TxnRequest => tagRequestSize(decode(readTxn, b), b.length);
/** CompactionRequest bytes → the store's CompactionRequest. */
export const decodeCompactionRequest = (b: Buffer): CompactionRequest => decode(readCompaction, b);
