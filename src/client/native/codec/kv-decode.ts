/**
 * Decoders of the KV service's responses (etcd `rpc.proto`, `kv.proto`) into the shapes of
 * `client/types.ts`: ResponseHeader, KeyValue, RangeResponse, PutResponse, DeleteRangeResponse,
 * TxnResponse with its ResponseOps. Unknown fields are skipped; key and value are subarrays of
 * the response buffer (no copy), so they stay valid as long as the caller keeps them.
 */
import type { DeleteResult, KeyValue, PutResult, RangeResult, ResponseHeader, TxnOpResult, TxnResult } from '../../types.ts';
import { ProtoReader } from '../../../proto-wire/reader.ts';

const EMPTY: Buffer = Buffer.alloc(0);
const NO_KVS: readonly KeyValue[] = Object.freeze([]);

/** ResponseHeader from its reader; ids come as decimal strings (uint64). */
export function readHeader(r: ProtoReader): ResponseHeader {
  let clusterId = '0';
  let memberId = '0';
  let revision = 0;
  let raftTerm = 0;
  while (r.more()) {
    const tag = r.uint32();
    switch (tag) {
      case (1 << 3) | 0: clusterId = r.uint64String(); break;
      case (2 << 3) | 0: memberId = r.uint64String(); break;
      case (3 << 3) | 0: revision = r.int64(); break;
      case (4 << 3) | 0: raftTerm = r.int64(); break;
      default: r.skip(tag & 7, tag >>> 3);
    }
  }
  return { revision, clusterId, memberId, raftTerm };
}

/** The header a response without one gets (etcd leaves it out of a txn's inner responses). */
export const NO_HEADER: ResponseHeader = Object.freeze({ revision: 0, clusterId: '0', memberId: '0', raftTerm: 0 });

/** mvccpb.KeyValue from its reader. */
export function readKeyValue(r: ProtoReader): KeyValue {
  let key = EMPTY;
  let value = EMPTY;
  let createRevision = 0;
  let modRevision = 0;
  let version = 0;
  let lease = 0;
  while (r.more()) {
    const tag = r.uint32();
    switch (tag) {
      case (1 << 3) | 2: key = r.bytes(); break;
      case (2 << 3) | 0: createRevision = r.int64(); break;
      case (3 << 3) | 0: modRevision = r.int64(); break;
      case (4 << 3) | 0: version = r.int64(); break;
      case (5 << 3) | 2: value = r.bytes(); break;
      case (6 << 3) | 0: lease = r.int64(); break;
      default: r.skip(tag & 7, tag >>> 3);
    }
  }
  return { key, value, createRevision, modRevision, version, lease };
}

/** RangeResponse from its reader. */
export function readRange(r: ProtoReader): RangeResult {
  let header = NO_HEADER;
  let kvs: KeyValue[] | undefined;
  let more = false;
  let count = 0;
  while (r.more()) {
    const tag = r.uint32();
    switch (tag) {
      case (1 << 3) | 2: header = readHeader(r.sub()); break;
      case (2 << 3) | 2: (kvs ??= []).push(readKeyValue(r.sub())); break;
      case (3 << 3) | 0: more = r.bool(); break;
      case (4 << 3) | 0: count = r.int64(); break;
      default: r.skip(tag & 7, tag >>> 3);
    }
  }
  return { header, kvs: kvs ?? NO_KVS, more, count };
}

/** PutResponse from its reader. */
export function readPut(r: ProtoReader): PutResult {
  let header = NO_HEADER;
  let prevKv: KeyValue | undefined;
  while (r.more()) {
    const tag = r.uint32();
    switch (tag) {
      case (1 << 3) | 2: header = readHeader(r.sub()); break;
      case (2 << 3) | 2: prevKv = readKeyValue(r.sub()); break;
      default: r.skip(tag & 7, tag >>> 3);
    }
  }
  return prevKv ? { header, prevKv } : { header };
}

/** DeleteRangeResponse from its reader. */
export function readDelete(r: ProtoReader): DeleteResult {
  let header = NO_HEADER;
  let deleted = 0;
  let prevKvs: KeyValue[] | undefined;
  while (r.more()) {
    const tag = r.uint32();
    switch (tag) {
      case (1 << 3) | 2: header = readHeader(r.sub()); break;
      case (2 << 3) | 0: deleted = r.int64(); break;
      case (3 << 3) | 2: (prevKvs ??= []).push(readKeyValue(r.sub())); break;
      default: r.skip(tag & 7, tag >>> 3);
    }
  }
  return { header, deleted, prevKvs: prevKvs ?? NO_KVS };
}

/** One ResponseOp; undefined for a nested txn's response (not part of the client's shapes). */
function readResponseOp(r: ProtoReader): TxnOpResult | undefined {
  let out: TxnOpResult | undefined;
  while (r.more()) {
    const tag = r.uint32();
    switch (tag) {
      case (1 << 3) | 2: out = { range: readRange(r.sub()) }; break;
      case (2 << 3) | 2: out = { put: readPut(r.sub()) }; break;
      case (3 << 3) | 2: out = { deleteRange: readDelete(r.sub()) }; break;
      default: r.skip(tag & 7, tag >>> 3);
    }
  }
  return out;
}

/** TxnResponse from its reader. */
export function readTxn(r: ProtoReader): TxnResult {
  let header = NO_HEADER;
  let succeeded = false;
  const responses: TxnOpResult[] = [];
  while (r.more()) {
    const tag = r.uint32();
    switch (tag) {
      case (1 << 3) | 2: header = readHeader(r.sub()); break;
      case (2 << 3) | 0: succeeded = r.bool(); break;
      case (3 << 3) | 2: {
        const op = readResponseOp(r.sub());
        if (op) responses.push(op);
        break;
      }
      default: r.skip(tag & 7, tag >>> 3);
    }
  }
  return { header, succeeded, responses };
}

/** RangeResponse bytes → RangeResult. */
export const decodeRange = (b: Buffer): RangeResult => readRange(new ProtoReader(b));
/** PutResponse bytes → PutResult. */
export const decodePut = (b: Buffer): PutResult => readPut(new ProtoReader(b));
/** DeleteRangeResponse bytes → DeleteResult. */
export const decodeDelete = (b: Buffer): DeleteResult => readDelete(new ProtoReader(b));
/** TxnResponse bytes → TxnResult. */
export const decodeTxn = (b: Buffer): TxnResult => readTxn(new ProtoReader(b));
/** Any response whose only field the client reads is its header (Compaction, Lease revoke, Defragment). */
export function decodeHeaderOnly(b: Buffer): ResponseHeader {
  const r = new ProtoReader(b);
  let header = NO_HEADER;
  while (r.more()) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | 2)) header = readHeader(r.sub());
    else r.skip(tag & 7, tag >>> 3);
  }
  return header;
}
