/**
 * Encoders of the KV service's requests (etcd `rpc.proto`): RangeRequest, PutRequest,
 * DeleteRangeRequest, TxnRequest (Compare, RequestOp) and CompactionRequest. Each writes into
 * the caller's {@link ProtoWriter}; `encode*` functions return the finished message.
 *
 * proto3 leaves out fields at their default, except members of a `oneof` (Compare's target
 * value, RequestOp's request), which are written even when 0 or empty, as protobufjs and Go do:
 * a server may tell "not set" from "set to 0" there.
 */
import type { Bytes, Compare, DeleteOptions, PutOptions, RangeOptions, SortOrder, SortTarget, TxnOp, TxnRequest } from '../../types.ts';
import { WireType, type ProtoWriter } from '../../../proto-wire/writer.ts';

/** RangeRequest.SortOrder wire numbers. */
const SORT_ORDER: Record<SortOrder, number> = { none: 0, ascend: 1, descend: 2 };
/** RangeRequest.SortTarget wire numbers. */
const SORT_TARGET: Record<SortTarget, number> = { key: 0, version: 1, create: 2, mod: 3, value: 4 };
/** Compare.CompareResult wire numbers. */
const COMPARE_RESULT: Record<Compare['result'], number> = { '==': 0, '>': 1, '<': 2, '!=': 3 };
/** Compare.CompareTarget wire numbers and the oneof field that carries the operand. */
const COMPARE_TARGET: Record<Compare['target'], { wire: number; field: number }> = {
  version: { wire: 0, field: 4 },
  create: { wire: 1, field: 5 },
  mod: { wire: 2, field: 6 },
  value: { wire: 3, field: 7 },
  lease: { wire: 4, field: 8 },
};

/** The body of a RangeRequest. */
export function writeRange(w: ProtoWriter, key: Bytes, o: RangeOptions = {}): void {
  w.bytesField(1, key);
  w.bytesField(2, o.end);
  w.int64Field(3, o.limit);
  w.int64Field(4, o.revision);
  if (o.sortOrder) w.int64Field(5, SORT_ORDER[o.sortOrder]);
  if (o.sortTarget) w.int64Field(6, SORT_TARGET[o.sortTarget]);
  w.boolField(7, o.serializable);
  w.boolField(8, o.keysOnly);
  w.boolField(9, o.countOnly);
}

/** The body of a PutRequest. */
export function writePut(w: ProtoWriter, key: Bytes, value: Bytes, o: PutOptions = {}): void {
  w.bytesField(1, key);
  w.bytesField(2, value);
  w.int64Field(3, o.lease);
  w.boolField(4, o.prevKv);
}

/** The body of a DeleteRangeRequest. */
export function writeDelete(w: ProtoWriter, key: Bytes, o: DeleteOptions = {}): void {
  w.bytesField(1, key);
  w.bytesField(2, o.end);
  w.boolField(3, o.prevKv);
}

function writeCompare(w: ProtoWriter, c: Compare): void {
  const target = COMPARE_TARGET[c.target];
  if (!target) throw new TypeError(`txn compare: unknown target ${JSON.stringify(c.target)}`);
  const result = COMPARE_RESULT[c.result];
  if (result === undefined) throw new TypeError(`txn compare: unknown result ${JSON.stringify(c.result)}`);
  w.int64Field(1, result);
  w.int64Field(2, target.wire);
  w.bytesField(3, c.key);
  if (c.target === 'value') {
    if (typeof c.value === 'number') throw new TypeError('txn compare: a value comparison needs bytes, got a number');
    w.tag(target.field, WireType.Len);
    w.rawBytes(c.value);
  } else {
    if (typeof c.value !== 'number') throw new TypeError(`txn compare: a ${c.target} comparison needs a number`);
    w.tag(target.field, WireType.Varint);
    w.int64(c.value);
  }
  w.bytesField(64, c.end);
}

function writeOp(w: ProtoWriter, field: number, op: TxnOp): void {
  w.fork(field);
  if ('put' in op) {
    w.fork(2);
    writePut(w, op.put.key, op.put.value, op.put);
  } else if ('range' in op) {
    w.fork(1);
    writeRange(w, op.range.key, op.range);
  } else if ('deleteRange' in op) {
    w.fork(3);
    writeDelete(w, op.deleteRange.key, op.deleteRange);
  } else {
    throw new TypeError(`txn: unknown operation ${JSON.stringify(Object.keys(op))}`);
  }
  w.join();
  w.join();
}

/** The body of a TxnRequest. */
export function writeTxn(w: ProtoWriter, t: TxnRequest): void {
  for (const c of t.compare) {
    w.fork(1);
    writeCompare(w, c);
    w.join();
  }
  for (const op of t.success) writeOp(w, 2, op);
  if (t.failure) for (const op of t.failure) writeOp(w, 3, op);
}

/** RangeRequest bytes. */
export function encodeRange(w: ProtoWriter, key: Bytes, o?: RangeOptions): Buffer {
  writeRange(w, key, o);
  return w.finish();
}

/** PutRequest bytes. */
export function encodePut(w: ProtoWriter, key: Bytes, value: Bytes, o?: PutOptions): Buffer {
  writePut(w, key, value, o);
  return w.finish();
}

/** DeleteRangeRequest bytes. */
export function encodeDelete(w: ProtoWriter, key: Bytes, o?: DeleteOptions): Buffer {
  writeDelete(w, key, o);
  return w.finish();
}

/** TxnRequest bytes. */
export function encodeTxn(w: ProtoWriter, t: TxnRequest): Buffer {
  writeTxn(w, t);
  return w.finish();
}

/** CompactionRequest bytes. */
export function encodeCompaction(w: ProtoWriter, revision: number, physical = false): Buffer {
  w.int64Field(1, revision);
  w.boolField(2, physical);
  return w.finish();
}
