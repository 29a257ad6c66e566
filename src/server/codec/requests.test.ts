/**
 * serve's request decoders against etcd's `.proto` files: random requests (fast-check) encoded
 * by protobufjs decode with ours to the store's request the old path gave (proto-loader with
 * defaults, then the enum and oneof mapping): every field, proto3 defaults where a field was not
 * sent, int64 past 2^53 as the nearest double, enums outside the proto refused with etcd's
 * message at the handler, and unknown fields of every wire type skipped.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { EtcdError } from '../../../engine/mvcc/errors.ts';
import type { Compare, DeleteRangeRequest, PutRequest, RangeRequest, RequestOp, TxnRequest } from '../../../engine/mvcc/types.ts';
import { UNKNOWN, pbEncode } from '../../client/native/codec/protobufjs.test-support.ts';
import { COMPARE_RESULTS, COMPARE_TARGETS, INVALID_COMPARE_RESULT, INVALID_COMPARE_TARGET, INVALID_SORT_OPTION, SORT_ORDERS, SORT_TARGETS } from './enums.ts';
import { decodeCompactionRequest, decodeDeleteRangeRequest, decodePutRequest, decodeRangeRequest, decodeTxnRequest } from './kv-requests.ts';
import { requestSize, throwDeferred } from './request-tags.ts';

const RUNS = { numRuns: 300 };

/** A generated request: what protobufjs encodes, what our decoder must give, the refusal if any. */
interface Case<T> {
  wire: Record<string, unknown>;
  want: T;
  error?: string;
}

/** An int64 as protobufjs takes it (decimal string past 2^53) and as we must decode it. */
const int64Arb: fc.Arbitrary<{ wire: number | string; want: number }> = fc.oneof(
  fc.constantFrom(0, 1, 127, 128, 2 ** 31, 2 ** 32, 2 ** 53 - 1, -1, -(2 ** 53 - 1)).map((n) => ({ wire: n, want: n })),
  fc.maxSafeInteger().map((n) => ({ wire: n, want: n })),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((b) => ({ wire: b.toString(), want: Number(b) })),
);
const bufArb = fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b));
const EMPTY = Buffer.alloc(0);
/** An enum number: mostly defined values, sometimes past the end or negative (a ten-byte varint). */
const enumArb = (n: number): fc.Arbitrary<number> => fc.oneof({ weight: 5, arbitrary: fc.nat(n - 1) }, { weight: 1, arbitrary: fc.constantFrom(n, 99, -1) });

/** Puts `name` on the wire object only sometimes (absent = proto3 default). */
function maybe<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.option(arb, { nil: undefined });
}
function wireOf(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

const rangeArb: fc.Arbitrary<Case<RangeRequest>> = fc
  .record({
    key: maybe(bufArb), rangeEnd: maybe(bufArb), limit: maybe(int64Arb), revision: maybe(int64Arb),
    sortOrder: maybe(enumArb(3)), sortTarget: maybe(enumArb(5)),
    serializable: maybe(fc.boolean()), keysOnly: maybe(fc.boolean()), countOnly: maybe(fc.boolean()),
    minModRevision: maybe(int64Arb), maxModRevision: maybe(int64Arb), minCreateRevision: maybe(int64Arb), maxCreateRevision: maybe(int64Arb),
  })
  .map((r) => {
    const int = (v: { wire: number | string; want: number } | undefined): number => v?.want ?? 0;
    const order = SORT_ORDERS[r.sortOrder ?? 0];
    const target = SORT_TARGETS[r.sortTarget ?? 0];
    return {
      wire: wireOf({ ...r, limit: r.limit?.wire, revision: r.revision?.wire, minModRevision: r.minModRevision?.wire, maxModRevision: r.maxModRevision?.wire, minCreateRevision: r.minCreateRevision?.wire, maxCreateRevision: r.maxCreateRevision?.wire }),
      want: {
        key: r.key ?? EMPTY, rangeEnd: r.rangeEnd ?? EMPTY, limit: int(r.limit), revision: int(r.revision),
        sortOrder: order ?? 'NONE', sortTarget: target ?? 'KEY',
        serializable: r.serializable ?? false, keysOnly: r.keysOnly ?? false, countOnly: r.countOnly ?? false,
        minModRevision: int(r.minModRevision), maxModRevision: int(r.maxModRevision), minCreateRevision: int(r.minCreateRevision), maxCreateRevision: int(r.maxCreateRevision),
      },
      error: order === undefined || target === undefined ? INVALID_SORT_OPTION : undefined,
    };
  });

const putArb: fc.Arbitrary<Case<PutRequest>> = fc
  .record({ key: maybe(bufArb), value: maybe(bufArb), lease: maybe(int64Arb), prevKv: maybe(fc.boolean()), ignoreValue: maybe(fc.boolean()), ignoreLease: maybe(fc.boolean()) })
  .map((p) => ({
    wire: wireOf({ ...p, lease: p.lease?.wire }),
    want: { key: p.key ?? EMPTY, value: p.value ?? EMPTY, lease: p.lease?.want ?? 0, prevKv: p.prevKv ?? false, ignoreValue: p.ignoreValue ?? false, ignoreLease: p.ignoreLease ?? false },
  }));

const deleteArb: fc.Arbitrary<Case<DeleteRangeRequest>> = fc
  .record({ key: maybe(bufArb), rangeEnd: maybe(bufArb), prevKv: maybe(fc.boolean()) })
  .map((d) => ({ wire: wireOf(d), want: { key: d.key ?? EMPTY, rangeEnd: d.rangeEnd ?? EMPTY, prevKv: d.prevKv ?? false } }));

/** The compare operand's field, by target wire number. */
const OPERANDS = ['version', 'createRevision', 'modRevision', 'value', 'lease'] as const;

const compareArb: fc.Arbitrary<Case<Compare>> = fc
  .record({ result: maybe(enumArb(4)), target: maybe(enumArb(5)), key: maybe(bufArb), rangeEnd: maybe(bufArb), operand: maybe(fc.tuple(fc.nat(4), int64Arb, bufArb)) })
  .map((c) => {
    const wire = wireOf({ result: c.result, target: c.target, key: c.key, rangeEnd: c.rangeEnd });
    const want: Compare = { result: COMPARE_RESULTS[c.result ?? 0] ?? 'EQUAL', target: COMPARE_TARGETS[c.target ?? 0] ?? 'VERSION', key: c.key ?? EMPTY, rangeEnd: c.rangeEnd ?? EMPTY, version: undefined, createRevision: undefined, modRevision: undefined, value: undefined, lease: undefined };
    if (c.operand !== undefined) {
      // A oneof member, sent even at its zero value; maybe not the one the target names.
      const [which, n, b] = c.operand;
      const field = OPERANDS[which]!;
      wire[field] = field === 'value' ? b : n.wire;
      (want as unknown as Record<string, unknown>)[field] = field === 'value' ? b : n.want;
    }
    const t = COMPARE_TARGETS[c.target ?? 0];
    if (t !== undefined) {
      const field = OPERANDS[COMPARE_TARGETS.indexOf(t)]!;
      (want as unknown as Record<string, unknown>)[field] ??= field === 'value' ? EMPTY : 0;
    }
    const error = t === undefined ? INVALID_COMPARE_TARGET : COMPARE_RESULTS[c.result ?? 0] === undefined ? INVALID_COMPARE_RESULT : undefined;
    return { wire, want, error };
  });

/** The first of several cases' errors, in wire order. */
const firstError = (cases: readonly Case<unknown>[]): string | undefined => cases.find((c) => c.error !== undefined)?.error;

const { txn: txnArb } = fc.letrec<{ txn: Case<TxnRequest>; op: Case<RequestOp> }>((tie) => ({
  op: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    putArb.map((p) => ({ wire: { requestPut: p.wire }, want: { requestPut: p.want } })),
    rangeArb.map((r) => ({ wire: { requestRange: r.wire }, want: { requestRange: r.want }, error: r.error })),
    deleteArb.map((d) => ({ wire: { requestDeleteRange: d.wire }, want: { requestDeleteRange: d.want } })),
    tie('txn').map((t) => ({ wire: { requestTxn: t.wire }, want: { requestTxn: t.want }, error: t.error })),
    fc.constant({ wire: {}, want: {}, error: 'etcdserver: key not found' }),
  ) as fc.Arbitrary<Case<RequestOp>>,
  txn: fc
    .record({ compare: fc.array(compareArb, { maxLength: 3 }), success: fc.array(tie('op') as fc.Arbitrary<Case<RequestOp>>, { maxLength: 3 }), failure: fc.array(tie('op') as fc.Arbitrary<Case<RequestOp>>, { maxLength: 3 }) })
    .map((t) => ({
      wire: { compare: t.compare.map((c) => c.wire), success: t.success.map((o) => o.wire), failure: t.failure.map((o) => o.wire) },
      want: { compare: t.compare.map((c) => c.want), success: t.success.map((o) => o.want), failure: t.failure.map((o) => o.want) },
      error: firstError([...t.compare, ...t.success, ...t.failure]),
    })),
}));

/** Decodes `bytes` (with unknown fields around them when `unknown`) and checks fields and refusal. */
function check<T extends object>(decode: (b: Buffer) => T, type: string, c: Case<T>, unknown: boolean): T {
  const plain = pbEncode(type, c.wire);
  const bytes = unknown ? Buffer.concat([UNKNOWN, plain, UNKNOWN]) : plain;
  const got = decode(bytes);
  // Own string keys only: the size and refusal tags ride on symbol keys.
  assert.deepStrictEqual(Object.fromEntries(Object.entries(got)), c.want);
  if (c.error === undefined) throwDeferred(got);
  else assert.throws(() => throwDeferred(got), (err: unknown) => err instanceof EtcdError && err.code === 'INVALID_ARGUMENT' && err.message === c.error);
  return got;
}

describe('serve request decoders read what protobufjs writes for etcd rpc.proto', () => {
  it('RangeRequest, enums outside the proto refused as etcd refuses them', () => {
    fc.assert(fc.property(rangeArb, fc.boolean(), (c, u) => void check(decodeRangeRequest, 'RangeRequest', c, u)), RUNS);
  });

  it('PutRequest, tagged with its wire size', () => {
    fc.assert(
      fc.property(putArb, fc.boolean(), (c, u) => {
        const got = check(decodePutRequest, 'PutRequest', c, u);
        assert.equal(requestSize(got), pbEncode('PutRequest', c.wire).length + (u ? 2 * UNKNOWN.length : 0));
      }),
      RUNS,
    );
  });

  it('DeleteRangeRequest, tagged with its wire size', () => {
    fc.assert(fc.property(deleteArb, (c) => assert.equal(requestSize(check(decodeDeleteRangeRequest, 'DeleteRangeRequest', c, false)), pbEncode('DeleteRangeRequest', c.wire).length)), RUNS);
  });

  it('TxnRequest: compares with every operand, ops of every kind, nested txns, empty ops refused', () => {
    fc.assert(fc.property(txnArb, (c) => assert.equal(requestSize(check(decodeTxnRequest, 'TxnRequest', c, false)), pbEncode('TxnRequest', c.wire).length)), RUNS);
    fc.assert(fc.property(txnArb, (c) => void check(decodeTxnRequest, 'TxnRequest', c, true)), RUNS);
  });

  it('CompactionRequest', () => {
    fc.assert(
      fc.property(maybe(int64Arb), maybe(fc.boolean()), fc.boolean(), (rev, physical, u) => {
        check(decodeCompactionRequest, 'CompactionRequest', { wire: wireOf({ revision: rev?.wire, physical }), want: { revision: rev?.want ?? 0, physical: physical ?? false } }, u);
      }),
      RUNS,
    );
  });

  it('bytes fields are views of the request, not copies', () => {
    const bytes = pbEncode('PutRequest', { key: Buffer.from('k'), value: Buffer.from('v') });
    const got = decodePutRequest(bytes);
    assert.equal(got.key.buffer, bytes.buffer);
    assert.equal(got.value?.buffer, bytes.buffer);
  });

  it('a refusal in one request does not leak into the next', () => {
    const bad = decodeRangeRequest(pbEncode('RangeRequest', { key: Buffer.from('k'), sortOrder: 7 }));
    assert.throws(() => throwDeferred(bad), /invalid sort option/);
    throwDeferred(decodeRangeRequest(pbEncode('RangeRequest', { key: Buffer.from('k') })));
  });
});
