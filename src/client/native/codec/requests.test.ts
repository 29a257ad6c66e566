/**
 * The request encoders against etcd's `.proto` files: for random requests (fast-check), our
 * bytes equal protobufjs's encoding of the same message, and protobufjs decodes them back to the
 * fields we meant. Includes int64 extremes (2^53, negative = ten-byte varints), bytes and UTF-8
 * strings, and submessages of 128 bytes or more (their length takes two bytes or more).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Bytes, Compare, DeleteOptions, PutOptions, RangeOptions, TxnOp, TxnRequest, WatchOptions } from '../../types.ts';
import {
  ProtoWriter,
  encodeAuthenticate,
  encodeCompaction,
  encodeDelete,
  encodeLeaseGrant,
  encodeLeaseId,
  encodeLeaseTimeToLive,
  encodePut,
  encodeRange,
  encodeTxn,
  encodeWatchCancel,
  encodeWatchCreate,
  encodeWatchProgress,
} from './index.ts';
import { bytesOf, pbDecode, pbEncode } from './protobufjs.test-support.ts';

const RUNS = { numRuns: 300 };

const bytesArb: fc.Arbitrary<Bytes> = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.uint8Array({ maxLength: 300 }), fc.constant(''));
const int64Arb = fc.oneof(fc.constant(0), fc.nat(1000), fc.maxSafeNat(), fc.maxSafeInteger(), fc.constantFrom(-1, 2 ** 31, 2 ** 32, 2 ** 53 - 1, -(2 ** 53 - 1)));
const opt = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined });

/** protobufjs-side object: the field only when it is not proto3's default. */
function set(o: Record<string, unknown>, name: string, v: unknown): void {
  if (v === undefined || v === false || v === 0 || (typeof v !== 'number' && typeof v !== 'boolean' && (v as Bytes).length === 0)) return;
  o[name] = typeof v === 'string' ? Buffer.from(v, 'utf8') : v instanceof Uint8Array ? Buffer.from(v) : v;
}

const rangeOptsArb: fc.Arbitrary<RangeOptions> = fc.record(
  {
    end: bytesArb,
    limit: int64Arb,
    revision: int64Arb,
    keysOnly: fc.boolean(),
    countOnly: fc.boolean(),
    serializable: fc.boolean(),
    sortOrder: fc.constantFrom('none', 'ascend', 'descend'),
    sortTarget: fc.constantFrom('key', 'version', 'create', 'mod', 'value'),
  },
  { requiredKeys: [] },
);
const SORT_ORDER = { none: 0, ascend: 1, descend: 2 };
const SORT_TARGET = { key: 0, version: 1, create: 2, mod: 3, value: 4 };

function pbRange(key: Bytes, o: RangeOptions): object {
  const m: Record<string, unknown> = {};
  set(m, 'key', key);
  set(m, 'rangeEnd', o.end);
  set(m, 'limit', o.limit);
  set(m, 'revision', o.revision);
  set(m, 'sortOrder', o.sortOrder && SORT_ORDER[o.sortOrder]);
  set(m, 'sortTarget', o.sortTarget && SORT_TARGET[o.sortTarget]);
  set(m, 'serializable', o.serializable);
  set(m, 'keysOnly', o.keysOnly);
  set(m, 'countOnly', o.countOnly);
  return m;
}

const putOptsArb: fc.Arbitrary<PutOptions> = fc.record({ lease: int64Arb, prevKv: fc.boolean() }, { requiredKeys: [] });
function pbPut(key: Bytes, value: Bytes, o: PutOptions): object {
  const m: Record<string, unknown> = {};
  set(m, 'key', key);
  set(m, 'value', value);
  set(m, 'lease', o.lease);
  set(m, 'prevKv', o.prevKv);
  return m;
}

const deleteOptsArb: fc.Arbitrary<DeleteOptions> = fc.record({ end: bytesArb, prevKv: fc.boolean() }, { requiredKeys: [] });
function pbDelete(key: Bytes, o: DeleteOptions): object {
  const m: Record<string, unknown> = {};
  set(m, 'key', key);
  set(m, 'rangeEnd', o.end);
  set(m, 'prevKv', o.prevKv);
  return m;
}

const compareArb: fc.Arbitrary<Compare> = fc.oneof(
  fc.record({ key: bytesArb, target: fc.constantFrom('version', 'create', 'mod', 'lease'), result: fc.constantFrom('==', '!=', '<', '>'), value: int64Arb, end: opt(bytesArb) }),
  fc.record({ key: bytesArb, target: fc.constant('value'), result: fc.constantFrom('==', '!=', '<', '>'), value: bytesArb, end: opt(bytesArb) }),
) as fc.Arbitrary<Compare>;
const COMPARE_RESULT = { '==': 0, '>': 1, '<': 2, '!=': 3 };
const COMPARE_TARGET = { version: [0, 'version'], create: [1, 'createRevision'], mod: [2, 'modRevision'], value: [3, 'value'], lease: [4, 'lease'] } as const;
function pbCompare(c: Compare): object {
  const m: Record<string, unknown> = {};
  set(m, 'result', COMPARE_RESULT[c.result]);
  set(m, 'target', COMPARE_TARGET[c.target][0]);
  set(m, 'key', c.key);
  const v = c.value;
  // A oneof member is written even at its default.
  m[COMPARE_TARGET[c.target][1]] = typeof v === 'number' ? v : bytesOf(v);
  set(m, 'rangeEnd', c.end);
  return m;
}

const opArb: fc.Arbitrary<TxnOp> = fc.oneof(
  fc.record({ put: fc.tuple(bytesArb, bytesArb, putOptsArb).map(([key, value, o]) => ({ ...o, key, value })) }),
  fc.record({ range: fc.tuple(bytesArb, rangeOptsArb).map(([key, o]) => ({ ...o, key })) }),
  fc.record({ deleteRange: fc.tuple(bytesArb, deleteOptsArb).map(([key, o]) => ({ ...o, key })) }),
);
function pbOp(op: TxnOp): object {
  if ('put' in op) return { requestPut: pbPut(op.put.key, op.put.value, op.put) };
  if ('range' in op) return { requestRange: pbRange(op.range.key, op.range) };
  return { requestDeleteRange: pbDelete(op.deleteRange.key, op.deleteRange) };
}
const txnArb: fc.Arbitrary<TxnRequest> = fc.record(
  { compare: fc.array(compareArb, { maxLength: 4 }), success: fc.array(opArb, { maxLength: 4 }), failure: fc.array(opArb, { maxLength: 4 }) },
  { requiredKeys: ['compare', 'success'] },
);

const watchOptsArb: fc.Arbitrary<WatchOptions> = fc.record(
  { end: bytesArb, startRevision: int64Arb, prevKv: fc.boolean(), progressNotify: fc.boolean(), filters: fc.subarray(['noput', 'nodelete'] as const) },
  { requiredKeys: [] },
);

describe('request encoders give the bytes protobufjs gives for etcd rpc.proto', () => {
  // One writer for every run: each message is a fresh subarray of its slab, and slabs roll over.
  const w = new ProtoWriter();

  it('RangeRequest', () => {
    fc.assert(fc.property(bytesArb, rangeOptsArb, (key, o) => assert.deepEqual(encodeRange(w, key, o), pbEncode('RangeRequest', pbRange(key, o)))), RUNS);
  });

  it('PutRequest', () => {
    fc.assert(fc.property(bytesArb, bytesArb, putOptsArb, (key, value, o) => assert.deepEqual(encodePut(w, key, value, o), pbEncode('PutRequest', pbPut(key, value, o)))), RUNS);
  });

  it('DeleteRangeRequest', () => {
    fc.assert(fc.property(bytesArb, deleteOptsArb, (key, o) => assert.deepEqual(encodeDelete(w, key, o), pbEncode('DeleteRangeRequest', pbDelete(key, o)))), RUNS);
  });

  it('TxnRequest with Compares and RequestOps of every kind', () => {
    fc.assert(
      fc.property(txnArb, (t) => {
        const pb = { compare: t.compare.map(pbCompare), success: t.success.map(pbOp), failure: (t.failure ?? []).map(pbOp) };
        assert.deepEqual(encodeTxn(w, t), pbEncode('TxnRequest', pb));
      }),
      RUNS,
    );
  });

  it('TxnRequest: protobufjs reads back the branch and the compare operand', () => {
    const bytes = encodeTxn(w, {
      compare: [{ key: '/c', target: 'mod', result: '==', value: 0 }],
      success: [{ put: { key: '/c', value: '1' } }],
      failure: [{ range: { key: '/c', limit: 1 } }],
    });
    const m = pbDecode('TxnRequest', bytes) as { compare: { targetUnion: string; modRevision: number; target: number }[]; failure: { request: string }[] };
    assert.equal(m.compare[0]!.targetUnion, 'modRevision');
    assert.equal(m.compare[0]!.target, 2);
    assert.equal(m.failure[0]!.request, 'requestRange');
  });

  it('CompactionRequest', () => {
    fc.assert(fc.property(int64Arb, fc.boolean(), (rev, physical) => {
      const m: Record<string, unknown> = {};
      set(m, 'revision', rev);
      set(m, 'physical', physical);
      assert.deepEqual(encodeCompaction(w, rev, physical), pbEncode('CompactionRequest', m));
    }), RUNS);
  });

  it('WatchRequest create (packed filters), cancel, progress', () => {
    fc.assert(
      fc.property(bytesArb, watchOptsArb, (key, o) => {
        const c: Record<string, unknown> = {};
        set(c, 'key', key);
        set(c, 'rangeEnd', o.end);
        set(c, 'startRevision', o.startRevision);
        set(c, 'progressNotify', o.progressNotify);
        if (o.filters?.length) c.filters = o.filters.map((f) => (f === 'noput' ? 0 : 1));
        set(c, 'prevKv', o.prevKv);
        assert.deepEqual(encodeWatchCreate(w, key, o), pbEncode('WatchRequest', { createRequest: c }));
      }),
      RUNS,
    );
    fc.assert(fc.property(int64Arb, (id) => {
      const c: Record<string, unknown> = {};
      set(c, 'watchId', id);
      assert.deepEqual(encodeWatchCancel(w, id), pbEncode('WatchRequest', { cancelRequest: c }));
    }), RUNS);
    assert.deepEqual(encodeWatchProgress(w), pbEncode('WatchRequest', { progressRequest: {} }));
    assert.equal(pbDecode('WatchRequest', encodeWatchProgress(w)).requestUnion, 'progressRequest');
  });

  it('Lease requests and AuthenticateRequest', () => {
    fc.assert(
      fc.property(int64Arb, int64Arb, fc.boolean(), fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b, keys, name, password) => {
        const grant: Record<string, unknown> = {};
        set(grant, 'TTL', a);
        set(grant, 'ID', b);
        assert.deepEqual(encodeLeaseGrant(w, a, b), pbEncode('LeaseGrantRequest', grant));
        const id: Record<string, unknown> = {};
        set(id, 'ID', a);
        assert.deepEqual(encodeLeaseId(w, a), pbEncode('LeaseRevokeRequest', id));
        assert.deepEqual(encodeLeaseId(w, a), pbEncode('LeaseKeepAliveRequest', id));
        set(id, 'keys', keys);
        assert.deepEqual(encodeLeaseTimeToLive(w, a, keys), pbEncode('LeaseTimeToLiveRequest', id));
        const auth = pbDecode('AuthenticateRequest', encodeAuthenticate(w, name, password));
        assert.deepEqual([auth.name, auth.password], [Buffer.from(name).toString(), Buffer.from(password).toString()]);
      }),
      RUNS,
    );
  });

  it('a message larger than a slab, and values far past 128 bytes', () => {
    const big = Buffer.alloc(200_000, 7);
    const bytes = encodeTxn(w, { compare: [], success: [{ put: { key: 'k', value: big } }, { put: { key: 'k2', value: big.subarray(0, 20_000) } }] });
    assert.deepEqual(bytes, pbEncode('TxnRequest', { success: [{ requestPut: { key: Buffer.from('k'), value: big } }, { requestPut: { key: Buffer.from('k2'), value: big.subarray(0, 20_000) } }] }));
    // The next message starts cleanly after a grown slab.
    assert.deepEqual(encodePut(w, 'a', 'b'), Buffer.from('0a0161120162', 'hex'));
  });

  it('rejects an int64 that is not a safe integer', () => {
    assert.throws(() => encodePut(w, 'k', 'v', { lease: 2 ** 64 }), /not a safe integer/);
  });
});
