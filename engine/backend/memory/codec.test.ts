import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Change, CommitBatch } from '../backend.ts';
import {
  CodecError,
  createBatchEncoder,
  decodeBatch,
  decodeSnapshot,
  encodeBatch,
  encodeSnapshot,
  encodeSnapshotInSlices,
  type MemorySnapshot,
} from './codec.ts';

function put(main: number, sub: number, key: Buffer | string, value: Buffer | string, extra: Partial<{ createRevision: number; version: number; lease: number }> = {}): Change {
  return {
    type: 'put',
    main,
    sub,
    kv: {
      key: Buffer.from(key),
      value: Buffer.from(value),
      createRevision: extra.createRevision ?? main,
      modRevision: main,
      version: extra.version ?? 1,
      lease: extra.lease ?? 0,
    },
  };
}

test('the worked example in codec.ts: one put at revision 5 is 18 bytes', () => {
  const batch: CommitBatch = { revision: 5, changes: [put(5, 0, 'k', 'v')], leaseGrants: [], leaseRevokes: [], requests: 1 };
  assert.equal(encodeBatch(batch).toString('hex'), '0105010001' + '000500016b0505010001' + '76' + '00' + '00');
});

test('batches round-trip: empty values, binary keys, deletes, leases, compaction marks', () => {
  const batches: CommitBatch[] = [
    { revision: 1, changes: [], leaseGrants: [], leaseRevokes: [], requests: 0 },
    {
      revision: 9,
      changes: [
        put(9, 0, Buffer.from([0x00, 0xff, 0x80, 0x00]), Buffer.alloc(0), { createRevision: 3, version: 7, lease: 2 ** 53 - 1 }),
        { type: 'delete', main: 9, sub: 1, key: Buffer.alloc(0) },
        { type: 'delete', main: 9, sub: 2, key: Buffer.from([0xff, 0xff]) },
        put(9, 3, 'big', Buffer.alloc(100_000, 7), { lease: -5 }),
      ],
      leaseGrants: [
        { id: 1, ttlSec: 0 },
        { id: Number.MAX_SAFE_INTEGER, ttlSec: 3600 },
      ],
      leaseRevokes: [42, -1, 0],
      compact: 0,
      requests: 64,
    },
    { revision: 10, changes: [], leaseGrants: [], leaseRevokes: [], compact: 8, requests: 1 },
  ];
  for (const b of batches) assert.deepEqual(decodeBatch(encodeBatch(b)), b);
  // compact 0 and no compaction are different things.
  assert.equal(decodeBatch(encodeBatch(batches[0])).compact, undefined);
  assert.equal(decodeBatch(encodeBatch(batches[1])).compact, 0);
});

test('the reusing encoder gives the same bytes as the one-off encoder', () => {
  const encode = createBatchEncoder();
  const small: CommitBatch = { revision: 2, changes: [put(2, 0, 'a', 'b')], leaseGrants: [], leaseRevokes: [], requests: 1 };
  const large: CommitBatch = { revision: 3, changes: [put(3, 0, 'a', Buffer.alloc(200_000, 1))], leaseGrants: [], leaseRevokes: [], requests: 1 };
  assert.deepEqual(Buffer.from(encode(small)), encodeBatch(small));
  assert.deepEqual(Buffer.from(encode(large)), encodeBatch(large)); // grows its buffer
  assert.deepEqual(decodeBatch(Buffer.from(encode(small))), small);
});

test('snapshots round-trip', () => {
  const s: MemorySnapshot = {
    revision: 12,
    compactRevision: 4,
    leases: [
      { id: 5, ttlSec: 10 },
      { id: 6, ttlSec: 0 },
    ],
    changes: [put(4, 0, 'a', ''), put(5, 0, 'a', 'x', { createRevision: 4, version: 2, lease: 5 }), { type: 'delete', main: 12, sub: 0, key: Buffer.from('a') }],
  };
  assert.deepEqual(decodeSnapshot(encodeSnapshot(s)), s);
  const empty: MemorySnapshot = { revision: 1, compactRevision: 0, leases: [], changes: [] };
  assert.deepEqual(decodeSnapshot(encodeSnapshot(empty)), empty);
});

test('a snapshot encoded in slices is the same bytes, and changes appended meanwhile are left out', async () => {
  const changes: Change[] = Array.from({ length: 10 }, (_, i) => put(i + 2, 0, `k${i}`, `v${i}`));
  const s: MemorySnapshot = { revision: 11, compactRevision: 0, leases: [{ id: 7, ttlSec: 30 }], changes };
  const whole = encodeSnapshot(s);
  const sliced = encodeSnapshotInSlices(s, 3);
  // The caller keeps appending to its change log and granting leases while the slices run.
  changes.push(put(12, 0, 'late', 'x'));
  s.leases.push({ id: 8, ttlSec: 30 });
  const bytes = await sliced;
  assert.deepEqual(bytes, whole);
  assert.equal(decodeSnapshot(bytes).changes.length, 10);
});

test('decoded keys and values are copies, not views into the record', () => {
  const enc = encodeBatch({ revision: 2, changes: [put(2, 0, 'key', 'value')], leaseGrants: [], leaseRevokes: [], requests: 1 });
  const b = decodeBatch(enc);
  enc.fill(0);
  const c = b.changes[0];
  assert.ok(c.type === 'put');
  assert.equal(c.kv.key.toString(), 'key');
  assert.equal(c.kv.value.toString(), 'value');
});

test('malformed input is a CodecError naming the thing and the byte', () => {
  const enc = encodeBatch({ revision: 2, changes: [put(2, 0, 'key', 'value')], leaseGrants: [], leaseRevokes: [], requests: 1 });
  assert.throws(() => decodeBatch(enc.subarray(0, enc.length - 3), 'wal record 9'), (err: unknown) => {
    assert.ok(err instanceof CodecError);
    assert.match(err.message, /^wal record 9: .* at byte \d+ of \d+$/);
    return true;
  });
  assert.throws(() => decodeBatch(Buffer.concat([enc, Buffer.from([0])])), /trailing bytes/);
  const wrongVersion = Buffer.from(enc);
  wrongVersion[0] = 9;
  assert.throws(() => decodeBatch(wrongVersion), /format version 9 is unknown; expected 1/);
  assert.throws(() => decodeSnapshot(Buffer.from([1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])), /varint longer than 8 bytes/);
});

const arbBytes = fc.uint8Array({ maxLength: 40 }).map((u) => Buffer.from(u));
const arbRev = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
const arbLease = fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });
// fast-check may build records with a null prototype; deepEqual is strict about prototypes.
const plain = { noNullPrototype: true } as const;
const arbChange: fc.Arbitrary<Change> = fc.oneof(
  fc.record(
    {
      type: fc.constant('put' as const),
      main: arbRev,
      sub: fc.nat(),
      kv: fc.record({ key: arbBytes, createRevision: arbRev, modRevision: arbRev, version: fc.nat(), value: arbBytes, lease: arbLease }, plain),
    },
    plain,
  ),
  fc.record({ type: fc.constant('delete' as const), main: arbRev, sub: fc.nat(), key: arbBytes }, plain),
);
const arbLeaseRecord = fc.record({ id: arbLease, ttlSec: fc.nat() }, plain);

test('property: any batch round-trips', () => {
  fc.assert(
    fc.property(
      fc.record(
        {
          revision: arbRev,
          changes: fc.array(arbChange, { maxLength: 8 }),
          leaseGrants: fc.array(arbLeaseRecord, { maxLength: 3 }),
          leaseRevokes: fc.array(arbLease, { maxLength: 3 }),
          compact: arbRev,
          requests: fc.nat(),
        },
        { requiredKeys: ['revision', 'changes', 'leaseGrants', 'leaseRevokes', 'requests'], ...plain },
      ),
      (b) => {
        assert.deepEqual(decodeBatch(encodeBatch(b)), b);
      },
    ),
    { seed: 20261125, numRuns: 300 },
  );
});

test('property: any snapshot round-trips', () => {
  fc.assert(
    fc.property(
      fc.record({ revision: arbRev, compactRevision: arbRev, leases: fc.array(arbLeaseRecord, { maxLength: 4 }), changes: fc.array(arbChange, { maxLength: 10 }) }, plain),
      (s) => {
        assert.deepEqual(decodeSnapshot(encodeSnapshot(s)), s);
      },
    ),
    { seed: 20261125, numRuns: 200 },
  );
});
