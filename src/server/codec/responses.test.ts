/**
 * serve's response encoders against etcd's `.proto` files: for random store answers
 * (fast-check), protobufjs decodes our bytes to exactly what it decodes from its own encoding of
 * the same answer (int64 up to 2^63 included, as protobufjs wrote them), and our bytes leave
 * proto3 defaults out, as etcd does.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { KeyValue, ResponseHeader, ResponseOp, TxnResponse } from '../../../engine/mvcc/types.ts';
import { pbDecode, pbEncode } from '../../client/native/codec/protobufjs.test-support.ts';
import { encodeCompactionResponse, encodeDeleteRangeResponse, encodePutResponse, encodeRangeResponse, encodeTxnResponse } from './kv-responses.ts';

const RUNS = { numRuns: 200 };

/** Integers a store answer may hold: small, safe (negative too), and doubles up to 2^63 (exact integers). */
const int64Arb = fc.oneof(
  fc.constantFrom(0, 1, 127, 128, 2 ** 31, 2 ** 32, 2 ** 53 - 1, 2 ** 60, 2 ** 63 - 1024, -1),
  fc.maxSafeInteger(),
  fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }).map((b) => Number(b)).filter((n) => n < 2 ** 63),
);
const bufArb = fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b));
/** uint64 fields (ids, raft term): never negative in a store answer. */
const uint64Arb = int64Arb.map(Math.abs);
const headerArb: fc.Arbitrary<ResponseHeader> = fc.record({ clusterId: uint64Arb, memberId: uint64Arb, revision: int64Arb, raftTerm: uint64Arb });
const kvArb: fc.Arbitrary<KeyValue> = fc.record({ key: bufArb, createRevision: int64Arb, modRevision: int64Arb, version: int64Arb, value: bufArb, lease: int64Arb });
const rangeArb = fc.record({ header: headerArb, kvs: fc.array(kvArb, { maxLength: 4 }), more: fc.boolean(), count: int64Arb });
const putArb = fc.record({ header: headerArb, prevKv: kvArb }, { requiredKeys: ['header'] });
const deleteArb = fc.record({ header: headerArb, deleted: int64Arb, prevKvs: fc.array(kvArb, { maxLength: 4 }) });

const { txn: txnArb } = fc.letrec<{ txn: TxnResponse; op: ResponseOp }>((tie) => ({
  op: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    rangeArb.map((m) => ({ responseRange: m })),
    putArb.map((m) => ({ responsePut: m })),
    deleteArb.map((m) => ({ responseDeleteRange: m })),
    tie('txn').map((m) => ({ responseTxn: m as TxnResponse })),
  ) as fc.Arbitrary<ResponseOp>,
  // Inner answers may come without a header.
  txn: fc.record({ header: headerArb, succeeded: fc.boolean(), responses: fc.array(tie('op') as fc.Arbitrary<ResponseOp>, { maxLength: 3 }) }, { requiredKeys: ['succeeded', 'responses'] }) as fc.Arbitrary<TxnResponse>,
}));

/** protobufjs reads our bytes as it reads its own encoding of `m`. */
function same(type: string, ours: Buffer, m: object): void {
  assert.deepStrictEqual(pbDecode(type, ours), pbDecode(type, pbEncode(type, m)));
}

describe('serve response encoders write what protobufjs reads as its own encoding', () => {
  it('RangeResponse', () => {
    fc.assert(fc.property(rangeArb, (m) => same('RangeResponse', encodeRangeResponse(m), m)), RUNS);
  });

  it('PutResponse, with and without prev_kv', () => {
    fc.assert(fc.property(putArb, (m) => same('PutResponse', encodePutResponse(m), m)), RUNS);
  });

  it('DeleteRangeResponse', () => {
    fc.assert(fc.property(deleteArb, (m) => same('DeleteRangeResponse', encodeDeleteRangeResponse(m), m)), RUNS);
  });

  it('TxnResponse with nested responses of every kind, nested txns included', () => {
    fc.assert(fc.property(txnArb, (m) => same('TxnResponse', encodeTxnResponse(m), m)), RUNS);
  });

  it('CompactionResponse', () => {
    fc.assert(fc.property(headerArb, (header) => same('CompactionResponse', encodeCompactionResponse({ header }), { header })), RUNS);
  });

  it('leaves proto3 defaults out, but writes an empty ResponseOp member', () => {
    const zero: ResponseHeader = { clusterId: 0, memberId: 0, revision: 0, raftTerm: 0 };
    assert.deepEqual(encodeRangeResponse({ header: zero, kvs: [], more: false, count: 0 }), Buffer.from('0a00', 'hex'));
    assert.deepEqual(encodePutResponse({ header: { ...zero, clusterId: 1, revision: 5 } }), Buffer.from('0a0408011805', 'hex'));
    const empty = encodeTxnResponse({ header: zero, succeeded: false, responses: [{ responsePut: {} as never }] });
    assert.deepEqual(empty, Buffer.from('0a001a021200', 'hex'));
    assert.equal((pbDecode('TxnResponse', empty).responses as { response: string }[])[0]!.response, 'responsePut');
  });

  it('large answers: values far past 128 bytes and a message larger than a slab, then a small one', () => {
    const kv: KeyValue = { key: Buffer.from('k'), value: Buffer.alloc(200_000, 7), createRevision: 2, modRevision: 3, version: 1, lease: 0 };
    const header: ResponseHeader = { clusterId: 1, memberId: 2, revision: 3, raftTerm: 1 };
    const txn: TxnResponse = { header, succeeded: true, responses: [{ responseRange: { header, kvs: [kv, kv], more: false, count: 2 } }] };
    same('TxnResponse', encodeTxnResponse(txn), txn);
    assert.deepEqual(encodePutResponse({ header }), Buffer.from('0a080801100218032001', 'hex'));
  });

  it('refuses a number of 2^63 or more, and the next answer is whole', () => {
    const header: ResponseHeader = { clusterId: 1, memberId: 2, revision: 3, raftTerm: 1 };
    const kv: KeyValue = { key: Buffer.from('k'), value: Buffer.alloc(0), createRevision: 1, modRevision: 1, version: 1, lease: -(2 ** 63) };
    assert.throws(() => encodeRangeResponse({ header, kvs: [kv], more: false, count: 1 }), /not an integer below 2\^63/);
    assert.throws(() => encodePutResponse({ header: { ...header, revision: 2 ** 64 } }), /not an integer below 2\^63/);
    assert.deepEqual(encodePutResponse({ header }), Buffer.from('0a080801100218032001', 'hex'));
  });
});
