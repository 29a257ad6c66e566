/**
 * Requests and responses between the client interface's shapes and the etcd3 package's
 * (snake_case protobufjs objects, int64 as decimal strings, enums by number).
 */
import { CompareResult, CompareTarget, SortOrder, SortTarget, type ICompare, type IKeyValue, type IRangeRequest, type IRangeResponse, type IDeleteRangeResponse, type IPutResponse, type IRequestOp, type IResponseHeader, type ITxnResponse } from 'etcd3';
import type { Bytes, Compare, DeleteOptions, DeleteResult, KeyValue, PutOptions, PutResult, RangeOptions, RangeResult, ResponseHeader, TxnOp, TxnOpResult, TxnResult } from '../types.ts';

/** Bytes as a Buffer (strings as UTF-8; a Buffer passes through). */
export function buf(b: Bytes): Buffer {
  return typeof b === 'string' ? Buffer.from(b) : Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

const num = (s: string | number | undefined | null): number => (s === undefined || s === null || s === '' ? 0 : Number(s));

/** A response header; ids stay decimal strings (they exceed 2^53). */
export function header(h: IResponseHeader | undefined): ResponseHeader {
  if (!h) return { revision: 0 };
  return { revision: num(h.revision), clusterId: h.cluster_id, memberId: h.member_id, raftTerm: num(h.raft_term) };
}

/** One key-value. */
export function keyValue(kv: IKeyValue): KeyValue {
  return {
    key: kv.key,
    value: kv.value ?? Buffer.alloc(0),
    createRevision: num(kv.create_revision),
    modRevision: num(kv.mod_revision),
    version: num(kv.version),
    lease: num(kv.lease),
  };
}

const SORT_ORDER = { none: SortOrder.None, ascend: SortOrder.Ascend, descend: SortOrder.Descend } as const;
const SORT_TARGET = { key: SortTarget.Key, version: SortTarget.Version, create: SortTarget.Create, mod: SortTarget.Mod, value: SortTarget.Value } as const;

/** A RangeRequest. */
export function rangeRequest(key: Bytes, o: RangeOptions = {}): IRangeRequest {
  const r: IRangeRequest = { key: buf(key) };
  if (o.end !== undefined) r.range_end = buf(o.end);
  if (o.limit) r.limit = o.limit;
  if (o.revision) r.revision = o.revision;
  if (o.keysOnly) r.keys_only = true;
  if (o.countOnly) r.count_only = true;
  if (o.serializable) r.serializable = true;
  if (o.sortOrder && o.sortOrder !== 'none') r.sort_order = SORT_ORDER[o.sortOrder];
  if (o.sortTarget && o.sortTarget !== 'key') r.sort_target = SORT_TARGET[o.sortTarget];
  return r;
}

/** A RangeResponse. */
export function rangeResult(r: IRangeResponse): RangeResult {
  return { header: header(r.header), kvs: (r.kvs ?? []).map(keyValue), more: Boolean(r.more), count: num(r.count) };
}

/** A PutRequest. */
export function putRequest(key: Bytes, value: Bytes, o: PutOptions = {}): { key: Buffer; value: Buffer; lease?: number; prev_kv?: boolean } {
  const r: { key: Buffer; value: Buffer; lease?: number; prev_kv?: boolean } = { key: buf(key), value: buf(value) };
  if (o.lease) r.lease = o.lease;
  if (o.prevKv) r.prev_kv = true;
  return r;
}

/** A PutResponse. */
export function putResult(r: IPutResponse): PutResult {
  return r.prev_kv ? { header: header(r.header), prevKv: keyValue(r.prev_kv) } : { header: header(r.header) };
}

/** A DeleteRangeRequest. */
export function deleteRequest(key: Bytes, o: DeleteOptions = {}): { key: Buffer; range_end?: Buffer; prev_kv?: boolean } {
  const r: { key: Buffer; range_end?: Buffer; prev_kv?: boolean } = { key: buf(key) };
  if (o.end !== undefined) r.range_end = buf(o.end);
  if (o.prevKv) r.prev_kv = true;
  return r;
}

/** A DeleteRangeResponse. */
export function deleteResult(r: IDeleteRangeResponse): DeleteResult {
  return { header: header(r.header), deleted: num(r.deleted), prevKvs: (r.prev_kvs ?? []).map(keyValue) };
}

const TARGET = { version: CompareTarget.Version, create: CompareTarget.Create, mod: CompareTarget.Mod, value: CompareTarget.Value, lease: CompareTarget.Lease } as const;
const RESULT = { '==': CompareResult.Equal, '!=': CompareResult.NotEqual, '<': CompareResult.Less, '>': CompareResult.Greater } as const;
const FIELD = { version: 'version', create: 'create_revision', mod: 'mod_revision', value: 'value', lease: 'lease' } as const;

/** One Compare. */
export function compare(c: Compare): ICompare {
  const out: ICompare = { key: buf(c.key), target: TARGET[c.target], result: RESULT[c.result] };
  (out as Record<string, unknown>)[FIELD[c.target]] = c.target === 'value' ? buf(c.value as Bytes) : Number(c.value);
  if (c.end !== undefined) out.range_end = buf(c.end);
  return out;
}

/** One RequestOp. */
export function requestOp(op: TxnOp): IRequestOp {
  if ('put' in op) return { request_put: putRequest(op.put.key, op.put.value, op.put) };
  if ('range' in op) return { request_range: rangeRequest(op.range.key, op.range) };
  return { request_delete_range: deleteRequest(op.deleteRange.key, op.deleteRange) };
}

/** A TxnResponse. */
export function txnResult(r: ITxnResponse): TxnResult {
  const responses: TxnOpResult[] = (r.responses ?? []).map((x) => {
    if (x.response_range) return { range: rangeResult(x.response_range) };
    if (x.response_put) return { put: putResult(x.response_put) };
    return { deleteRange: deleteResult(x.response_delete_range as IDeleteRangeResponse) };
  });
  return { header: header(r.header), succeeded: Boolean(r.succeeded), responses };
}
