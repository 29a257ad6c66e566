import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import type { Change, CommitBatch } from '../backend.ts';
import { Wal } from '../../wal/wal.ts';
import { encodeBatch, encodeSnapshot } from './codec.ts';
import { MemoryLog, type MemoryLogOptions, type MemorySnapshot } from './log.ts';

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'memory-log-test-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function putBatch(revision: number, requests = 1): CommitBatch {
  const changes: Change[] = [];
  for (let sub = 0; sub < requests; sub++) {
    changes.push({
      type: 'put',
      main: revision,
      sub,
      kv: { key: Buffer.from(`key-${revision}-${sub}`), value: Buffer.from(`v${revision}`), createRevision: revision, modRevision: revision, version: 1, lease: 0 },
    });
  }
  return { revision, changes, leaseGrants: [], leaseRevokes: [], requests };
}

async function open(dataDir: string, extra: Partial<MemoryLogOptions> = {}) {
  const logged: string[] = [];
  const r = await MemoryLog.open({
    dataDir,
    sync: 'always',
    snapshotCount: 10,
    log: (level, msg) => logged.push(`${level}: ${msg}`),
    ...extra,
  });
  return { ...r, logged };
}

/** The state a snapshot at `revision` would hold if every batch so far were kept whole. */
function snapshotOf(batches: CommitBatch[], revision: number): MemorySnapshot {
  return { revision, compactRevision: 0, leases: [], changes: batches.flatMap((b) => b.changes) };
}

test('batches come back after reopening, in order, with leases and compaction marks', async (t) => {
  const dir = tempDir(t);
  const a = await open(dir);
  assert.equal(a.snapshot, undefined);
  assert.deepEqual(a.batches, []);
  const written: CommitBatch[] = [
    putBatch(2, 3),
    { revision: 2, changes: [], leaseGrants: [{ id: 7, ttlSec: 30 }], leaseRevokes: [], requests: 1 },
    { revision: 3, changes: [{ type: 'delete', main: 3, sub: 0, key: Buffer.from('key-2-0') }], leaseGrants: [], leaseRevokes: [7], requests: 1 },
    { revision: 3, changes: [], leaseGrants: [], leaseRevokes: [], compact: 2, requests: 1 },
  ];
  for (const b of written) await a.log.append(b);
  assert.ok(a.log.diskBytes() > 0);
  await a.log.close();

  const b = await open(dir);
  assert.deepEqual(b.batches, written);
  assert.deepEqual(b.logged, []);
  await b.log.close();
});

test('snapshotDue counts requests; a snapshot plus the later batches is what comes back', async (t) => {
  const dir = tempDir(t);
  const a = await open(dir, { snapshotCount: 10 });
  const all: CommitBatch[] = [];
  for (let rev = 2; rev <= 5; rev++) {
    all.push(putBatch(rev, 3));
    await a.log.append(all.at(-1)!);
  }
  assert.equal(a.log.snapshotDue, true); // 12 requests >= 10
  await assert.rejects(a.log.saveSnapshot(snapshotOf(all, 4)), /snapshot revision 4 is invalid; expected 5/);
  await a.log.saveSnapshot(snapshotOf(all, 5));
  assert.equal(a.log.snapshotDue, false);
  await a.log.snapshotWritten();
  assert.deepEqual(readdirSync(join(dir, 'snap')), ['0000000000000004.snap']);
  const later = [putBatch(6, 4), putBatch(7, 4)];
  for (const b of later) await a.log.append(b);
  assert.equal(a.log.snapshotDue, false); // 8 < 10
  await a.log.close();

  const b = await open(dir, { snapshotCount: 10 });
  assert.deepEqual(b.snapshot, snapshotOf(all, 5));
  assert.deepEqual(b.batches, later);
  assert.equal(b.log.snapshotDue, false);
  await b.log.append(putBatch(8, 2));
  assert.equal(b.log.snapshotDue, true); // 8 replayed + 2 new
  await b.log.close();
});

test('a snapshot with nothing logged since the last one is a no-op', async (t) => {
  const dir = tempDir(t);
  const a = await open(dir, { snapshotCount: 1 });
  await a.log.saveSnapshot({ revision: 1, compactRevision: 0, leases: [], changes: [] });
  assert.deepEqual(readdirSync(join(dir, 'snap')), []);
  await a.log.append(putBatch(2));
  await a.log.saveSnapshot(snapshotOf([putBatch(2)], 2));
  await a.log.snapshotWritten();
  await a.log.saveSnapshot(snapshotOf([putBatch(2)], 2));
  assert.equal(a.log.snapshotDue, false);
  await a.log.close();
});

test('appends keep going while a snapshot is written, and all of them survive', async (t) => {
  const dir = tempDir(t);
  const a = await open(dir, { snapshotCount: 5, segmentBytes: 4096 });
  const all: CommitBatch[] = [];
  for (let rev = 2; rev <= 200; rev++) {
    all.push(putBatch(rev));
    await a.log.append(all.at(-1)!);
    if (a.log.snapshotDue) await a.log.saveSnapshot(snapshotOf(all, rev));
  }
  await a.log.close();
  const b = await open(dir, { snapshotCount: 5, segmentBytes: 4096 });
  assert.ok(b.snapshot);
  const recovered = [...b.snapshot.changes, ...b.batches.flatMap((x) => x.changes)];
  assert.deepEqual(recovered, all.flatMap((x) => x.changes));
  // Old segments went away with the snapshots.
  assert.ok(readdirSync(join(dir, 'wal')).length <= 3, readdirSync(join(dir, 'wal')).join(', '));
  await b.log.close();
});

test('two appends issued without waiting do not share an encoding buffer', async (t) => {
  const dir = tempDir(t);
  const a = await open(dir);
  await Promise.all([a.log.append(putBatch(2)), a.log.append(putBatch(3)), a.log.append(putBatch(4))]);
  await a.log.close();
  const b = await open(dir);
  assert.deepEqual(b.batches, [putBatch(2), putBatch(3), putBatch(4)]);
  await b.log.close();
});

test('a torn tail is reported through the log callback and the batch before it survives', async (t) => {
  const dir = tempDir(t);
  const a = await open(dir);
  await a.log.append(putBatch(2));
  await a.log.append(putBatch(3));
  await a.log.close();
  const seg = join(dir, 'wal', '0000000000000001.wal');
  truncateSync(seg, statSync(seg).size - 1);
  const b = await open(dir);
  assert.deepEqual(b.batches, [putBatch(2)]);
  assert.equal(b.logged.length, 1);
  assert.match(b.logged[0], /^warn: wal: torn tail in .*0000000000000001\.wal at byte offset \d+/);
  await b.log.close();
});

test('a bad snapshotCount is refused', async (t) => {
  const dir = tempDir(t);
  await assert.rejects(open(dir, { snapshotCount: 0 }), /snapshotCount 0 is invalid; expected an integer >= 1/);
});

test('a record that passes its CRC but does not decode is refused, naming file and offset', async (t) => {
  const dir = tempDir(t);
  const { wal } = await Wal.open({ dir });
  await wal.append([encodeBatch(putBatch(2)), Buffer.from([0x07, 0x01])]);
  await wal.close();
  const seg = join(dir, 'wal', '0000000000000001.wal');
  const second = 16 + encodeBatch(putBatch(2)).length;
  await assert.rejects(open(dir), (err: Error) => {
    assert.equal(err.message, `wal record 2 (${seg} at byte offset ${second}): format version 7 is unknown; expected 1`);
    return true;
  });
});

test('batches out of revision order are refused', async (t) => {
  const dir = tempDir(t);
  const { wal } = await Wal.open({ dir });
  await wal.append([encodeBatch(putBatch(5)), encodeBatch(putBatch(4))]);
  await wal.close();
  await assert.rejects(open(dir), /wal record 2 \(.* at byte offset \d+\) has revision 4, below the previous 5; the log is out of order/);
});

test('a snapshot is held back until the log since the last one is as large as that snapshot', async (t) => {
  const dir = tempDir(t);
  const a = await open(dir, { snapshotCount: 2 });
  // A large state: one big value, so the snapshot is far bigger than a few small batches.
  const big: CommitBatch = {
    revision: 2,
    changes: [{ type: 'put', main: 2, sub: 0, kv: { key: Buffer.from('big'), value: Buffer.alloc(4000), createRevision: 2, modRevision: 2, version: 1, lease: 0 } }],
    leaseGrants: [],
    leaseRevokes: [],
    requests: 2,
  };
  await a.log.append(big);
  assert.equal(a.log.snapshotDue, true);
  await a.log.saveSnapshot(snapshotOf([big], 2));
  await a.log.snapshotWritten();

  const sizes: number[] = [];
  const appendSmall = async (): Promise<void> => {
    const b = putBatch(3 + sizes.length, 2);
    sizes.push(16 + encodeBatch(b).length);
    await a.log.append(b);
  };
  await appendSmall();
  assert.equal(a.log.snapshotDue, false); // enough requests, but far fewer log bytes than the snapshot
  while (!a.log.snapshotDue) {
    await appendSmall();
    assert.ok(sizes.length < 500, 'never became due');
  }
  const snapshotBytes = encodeSnapshot(snapshotOf([big], 2)).length;
  const logged = sizes.reduce((x, y) => x + y, 0);
  assert.ok(logged >= snapshotBytes, `due after ${logged} log bytes, snapshot is ${snapshotBytes}`);
  assert.ok(logged - sizes.at(-1)! < snapshotBytes, `due only after ${logged} log bytes, snapshot is ${snapshotBytes}`);
  await a.log.close();
});

test('with a small state, a snapshot is due every snapshotCount requests', async (t) => {
  const dir = tempDir(t);
  const a = await open(dir, { snapshotCount: 4 });
  for (let rev = 2; rev < 20; rev += 2) {
    await a.log.append(putBatch(rev, 2));
    await a.log.append(putBatch(rev + 1, 2));
    assert.equal(a.log.snapshotDue, true, `due at revision ${rev + 1}`);
    // A compacted store: the snapshot holds only the newest change.
    await a.log.saveSnapshot({ revision: rev + 1, compactRevision: rev + 1, leases: [], changes: putBatch(rev + 1, 1).changes });
    await a.log.snapshotWritten();
    assert.equal(a.log.snapshotDue, false);
  }
  await a.log.close();
});
