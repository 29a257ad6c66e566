/**
 * The response decoders against etcd's `.proto` files: random responses (fast-check) encoded by
 * protobufjs decode with ours to the same fields, including uint64 ids past 2^53 (as strings),
 * negative int64 (ten-byte varints), and unknown fields of every wire type in between.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { KeyValue, ResponseHeader } from '../../types.ts';
import { decodeDelete, decodeLeaseResponse, decodeLeaseTimeToLive, decodePut, decodeRange, decodeStatus, decodeTxn, decodeWatchResponse, decodeAuthenticate, decodeHeaderOnly } from './index.ts';
import { UNKNOWN, pbEncode } from './protobufjs.test-support.ts';

const RUNS = { numRuns: 200 };

const int64Arb = fc.oneof(fc.constant(0), fc.nat(1000), fc.maxSafeNat(), fc.maxSafeInteger(), fc.constantFrom(-1, 2 ** 31, 2 ** 32, 2 ** 53 - 1, -(2 ** 53 - 1)));
const uint64Arb = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(String);
const bufArb = fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b));

interface PbHeader { clusterId: string; memberId: string; revision: number; raftTerm: string }
const headerArb: fc.Arbitrary<PbHeader> = fc.record({ clusterId: uint64Arb, memberId: uint64Arb, revision: int64Arb, raftTerm: fc.maxSafeNat().map(String) });
const kvArb = fc.record({ key: bufArb, createRevision: int64Arb, modRevision: int64Arb, version: int64Arb, value: bufArb, lease: int64Arb });

function header(h: PbHeader): ResponseHeader {
  return { clusterId: h.clusterId, memberId: h.memberId, revision: h.revision, raftTerm: Number(h.raftTerm) };
}
function kv(k: KeyValue): KeyValue {
  return { key: k.key, value: k.value, createRevision: k.createRevision, modRevision: k.modRevision, version: k.version, lease: k.lease };
}
/** Buffers compare by content: subarrays of the response decode equal to fresh buffers. */
function plain(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v)) as unknown;
}

const withUnknown = (b: Buffer, where: boolean): Buffer => (where ? Buffer.concat([UNKNOWN, b, UNKNOWN]) : b);

describe('response decoders read what protobufjs writes for etcd rpc.proto', () => {
  it('RangeResponse, with unknown fields skipped', () => {
    fc.assert(
      fc.property(headerArb, fc.array(kvArb, { maxLength: 5 }), fc.boolean(), int64Arb, fc.boolean(), (h, kvs, more, count, unknown) => {
        const got = decodeRange(withUnknown(pbEncode('RangeResponse', { header: h, kvs, more, count }), unknown));
        assert.deepEqual(plain(got), plain({ header: header(h), kvs: kvs.map(kv), more, count }));
      }),
      RUNS,
    );
  });

  it('KeyValue key and value are views of the response, not copies', () => {
    const bytes = pbEncode('RangeResponse', { kvs: [{ key: Buffer.from('k'), value: Buffer.from('v') }] });
    const got = decodeRange(bytes).kvs[0]!;
    assert.equal(got.key.buffer, bytes.buffer);
    assert.equal(got.value.toString(), 'v');
  });

  it('PutResponse and DeleteRangeResponse', () => {
    fc.assert(
      fc.property(headerArb, fc.option(kvArb, { nil: undefined }), int64Arb, fc.array(kvArb, { maxLength: 3 }), (h, prev, deleted, prevKvs) => {
        const put = decodePut(pbEncode('PutResponse', prev ? { header: h, prevKv: prev } : { header: h }));
        assert.deepEqual(plain(put), plain(prev ? { header: header(h), prevKv: kv(prev) } : { header: header(h) }));
        const del = decodeDelete(pbEncode('DeleteRangeResponse', { header: h, deleted, prevKvs }));
        assert.deepEqual(plain(del), plain({ header: header(h), deleted, prevKvs: prevKvs.map(kv) }));
      }),
      RUNS,
    );
  });

  it('TxnResponse with every kind of ResponseOp (a nested txn response is left out)', () => {
    const opArb = fc.oneof(
      fc.record({ responseRange: fc.record({ kvs: fc.array(kvArb, { maxLength: 2 }), more: fc.boolean(), count: int64Arb }) }),
      fc.record({ responsePut: fc.record({ header: headerArb }) }),
      fc.record({ responseDeleteRange: fc.record({ deleted: int64Arb }) }),
      fc.record({ responseTxn: fc.record({ succeeded: fc.boolean() }) }),
    );
    fc.assert(
      fc.property(headerArb, fc.boolean(), fc.array(opArb, { maxLength: 5 }), (h, succeeded, ops) => {
        const got = decodeTxn(pbEncode('TxnResponse', { header: h, succeeded, responses: ops }));
        const none = { revision: 0, clusterId: '0', memberId: '0', raftTerm: 0 };
        const want = ops.flatMap((o): unknown[] => {
          if ('responseRange' in o) return [{ range: { header: none, kvs: o.responseRange.kvs.map(kv), more: o.responseRange.more, count: o.responseRange.count } }];
          if ('responsePut' in o) return [{ put: { header: header(o.responsePut.header) } }];
          if ('responseDeleteRange' in o) return [{ deleteRange: { header: none, deleted: o.responseDeleteRange.deleted, prevKvs: [] } }];
          return [];
        });
        assert.deepEqual(plain(got), plain({ header: header(h), succeeded, responses: want }));
      }),
      RUNS,
    );
  });

  it('WatchResponse: control fields and events with prev kv', () => {
    const eventArb = fc.record({ type: fc.constantFrom(0, 1), kv: kvArb, prevKv: fc.option(kvArb, { nil: undefined }) }, { requiredKeys: ['type', 'kv'] });
    const respArb = fc.record({
      header: headerArb, watchId: int64Arb, created: fc.boolean(), canceled: fc.boolean(), compactRevision: int64Arb,
      cancelReason: fc.string({ unit: 'grapheme' }), fragment: fc.boolean(), events: fc.array(eventArb, { maxLength: 4 }),
    });
    fc.assert(
      fc.property(respArb, fc.boolean(), (m, unknown) => {
        const got = decodeWatchResponse(withUnknown(pbEncode('WatchResponse', m), unknown));
        const events = m.events.map((e) => (e.prevKv ? { type: e.type ? 'delete' : 'put', kv: kv(e.kv), prevKv: kv(e.prevKv) } : { type: e.type ? 'delete' : 'put', kv: kv(e.kv) }));
        assert.deepEqual(plain(got), plain({ ...m, header: header(m.header), events }));
      }),
      RUNS,
    );
  });

  it('lease responses', () => {
    fc.assert(
      fc.property(headerArb, int64Arb, int64Arb, int64Arb, fc.string(), fc.array(bufArb, { maxLength: 3 }), (h, id, ttl, granted, error, keys) => {
        assert.deepEqual(plain(decodeLeaseResponse(pbEncode('LeaseGrantResponse', { header: h, ID: id, TTL: ttl, error }))), plain({ header: header(h), id, ttlSec: ttl, error }));
        assert.deepEqual(plain(decodeLeaseResponse(pbEncode('LeaseKeepAliveResponse', { header: h, ID: id, TTL: ttl }))), plain({ header: header(h), id, ttlSec: ttl, error: '' }));
        const ttlRes = decodeLeaseTimeToLive(pbEncode('LeaseTimeToLiveResponse', { header: h, ID: id, TTL: ttl, grantedTTL: granted, keys }));
        assert.deepEqual(plain(ttlRes), plain({ header: header(h), id, ttlSec: ttl, grantedTtlSec: granted, keys }));
        assert.deepEqual(plain(decodeHeaderOnly(pbEncode('LeaseRevokeResponse', { header: h }))), plain(header(h)));
      }),
      RUNS,
    );
  });

  it('StatusResponse and AuthenticateResponse', () => {
    fc.assert(
      fc.property(headerArb, fc.string(), int64Arb, uint64Arb, fc.maxSafeNat(), fc.string({ unit: 'binary' }), (h, version, dbSize, leader, raftIndex, token) => {
        const got = decodeStatus(pbEncode('StatusResponse', { header: h, version, dbSize, leader, raftIndex, raftTerm: 3, errors: ['x'], dbSizeInUse: 5, isLearner: true }));
        assert.deepEqual(plain(got), plain({ header: header(h), version, dbSize, leader, raftIndex }));
        assert.equal(decodeAuthenticate(pbEncode('AuthenticateResponse', { header: h, token })), Buffer.from(token).toString());
      }),
      RUNS,
    );
  });
});
