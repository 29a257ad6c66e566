/**
 * Encoders of the KV service's responses (etcd `rpc.proto`, `kv.proto`) straight from the
 * store's answers (`engine/mvcc/types.ts`): ResponseHeader, KeyValue, RangeResponse, PutResponse
 * (with prev_kv), DeleteRangeResponse, TxnResponse (nested ResponseOps, nested txns included) and
 * CompactionResponse.
 *
 * Fields are written in field-number order and, as etcd (Go) writes them, left out at proto3's
 * default (0, false, empty) — except a ResponseOp's member, which is written even when empty, so
 * a client can tell which kind of response it is. protobufjs wrote those defaults out; decoders
 * read both alike (`responses.test.ts` beside this file checks it against protobufjs).
 *
 * Worked example: PutResponse{header{cluster_id: 1, revision: 5}} is `0a 04 08 01 18 05`: tag
 * (1 << 3 | 2), length 4, then the header's fields 1 and 3.
 */
import type { CompactionResponse, DeleteRangeResponse, KeyValue, PutResponse, RangeResponse, ResponseHeader, ResponseOp, TxnResponse } from '../../../engine/mvcc/types.ts';
import { ProtoWriter, WireType } from '../../proto-wire/writer.ts';

/** int64/uint64 field `field`, left out when 0; numbers past 2^53 as protobufjs writes them. */
function int(w: ProtoWriter, field: number, v: number | undefined): void {
  if (!v) return;
  w.tag(field, WireType.Varint);
  w.int64Wide(v);
}

function writeHeader(w: ProtoWriter, field: number, h: ResponseHeader | undefined): void {
  if (h === undefined) return;
  w.fork(field);
  int(w, 1, h.clusterId);
  int(w, 2, h.memberId);
  int(w, 3, h.revision);
  int(w, 4, h.raftTerm);
  w.join();
}

function writeKeyValue(w: ProtoWriter, field: number, kv: KeyValue): void {
  w.fork(field);
  w.bytesField(1, kv.key);
  int(w, 2, kv.createRevision);
  int(w, 3, kv.modRevision);
  int(w, 4, kv.version);
  w.bytesField(5, kv.value);
  int(w, 6, kv.lease);
  w.join();
}

function writeKeyValues(w: ProtoWriter, field: number, kvs: readonly KeyValue[] | undefined): void {
  if (kvs === undefined) return;
  for (let i = 0; i < kvs.length; i++) writeKeyValue(w, field, kvs[i]!);
}

function writeRange(w: ProtoWriter, m: RangeResponse): void {
  writeHeader(w, 1, m.header);
  writeKeyValues(w, 2, m.kvs);
  w.boolField(3, m.more);
  int(w, 4, m.count);
}

function writePut(w: ProtoWriter, m: PutResponse): void {
  writeHeader(w, 1, m.header);
  if (m.prevKv) writeKeyValue(w, 2, m.prevKv);
}

function writeDelete(w: ProtoWriter, m: DeleteRangeResponse): void {
  writeHeader(w, 1, m.header);
  int(w, 2, m.deleted);
  writeKeyValues(w, 3, m.prevKvs);
}

function writeResponseOp(w: ProtoWriter, op: ResponseOp): void {
  w.fork(3);
  if (op.responseRange) {
    w.fork(1);
    writeRange(w, op.responseRange);
    w.join();
  } else if (op.responsePut) {
    w.fork(2);
    writePut(w, op.responsePut);
    w.join();
  } else if (op.responseDeleteRange) {
    w.fork(3);
    writeDelete(w, op.responseDeleteRange);
    w.join();
  } else if (op.responseTxn) {
    w.fork(4);
    writeTxn(w, op.responseTxn);
    w.join();
  }
  w.join();
}

function writeTxn(w: ProtoWriter, m: TxnResponse): void {
  writeHeader(w, 1, m.header);
  w.boolField(2, m.succeeded);
  const ops = m.responses;
  if (ops !== undefined) for (let i = 0; i < ops.length; i++) writeResponseOp(w, ops[i]!);
}

/** The one writer of serve's responses: its slab is shared, each answer a subarray of it. */
const writer = new ProtoWriter();

/** Runs `write` for `m` and hands out the bytes; drops the half-written message if it throws. */
function encode<T>(write: (w: ProtoWriter, m: T) => void, m: T): Buffer {
  try {
    write(writer, m);
    return writer.finish();
  } catch (err) {
    writer.discard();
    throw err;
  }
}

/** RangeResponse bytes. */
export const encodeRangeResponse = (m: RangeResponse): Buffer => encode(writeRange, m);
/** PutResponse bytes. */
export const encodePutResponse = (m: PutResponse): Buffer => encode(writePut, m);
/** DeleteRangeResponse bytes. */
export const encodeDeleteRangeResponse = (m: DeleteRangeResponse): Buffer => encode(writeDelete, m);
/** TxnResponse bytes. */
export const encodeTxnResponse = (m: TxnResponse): Buffer => encode(writeTxn, m);
/** CompactionResponse bytes. */
export const encodeCompactionResponse = (m: CompactionResponse): Buffer => encode((w, c: CompactionResponse) => writeHeader(w, 1, c.header), m);
