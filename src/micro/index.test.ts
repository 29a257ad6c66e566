import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MicroResultEvent, type EventBody } from '../events/schema.ts';
import { openStore } from '../../engine/index.ts';
import { compactAll } from './cases.ts';
import { MICRO_CASES, runMicro } from './index.ts';

let tmp: string;
before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'metabench-micro-test-'));
});
after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('runMicro', () => {
  it('has the cases the design lists', () => {
    const names = MICRO_CASES.map((c) => c.name);
    assert.ok(names.length >= 14);
    for (const n of ['put', 'get-hit', 'get-miss', 'delete', 'range-10', 'range-100', 'range-1000', 'txn', 'watch-notify', 'lease-grant-put-revoke', 'value-100B', 'value-1MiB', 'compaction', 'log-append-fsync']) {
      assert.ok(names.includes(n), n);
    }
    assert.equal(new Set(names).size, names.length);
  });

  it('emits one valid micro event per case against the memory engine (quick) and cleans up', async () => {
    const events: EventBody[] = [];
    const out = await runMicro({ engine: 'memory', profile: 'quick', signal: new AbortController().signal, emit: (e) => events.push(e), tmpDir: tmp });
    assert.deepEqual(out.failed, []);
    assert.equal(out.aborted, false);
    const micro = events.filter((e) => e.kind === 'micro');
    assert.deepEqual(
      micro.map((e) => e.case),
      MICRO_CASES.map((c) => c.name),
    );
    assert.deepEqual(out.completed, MICRO_CASES.map((c) => c.name));
    for (const e of micro) {
      // Valid against the shared schema once stamped, with sane figures.
      MicroResultEvent.parse({ ...e, v: 1, t: 0, target: 'memory' });
      assert.equal(e.engine, 'memory');
      assert.ok(e.opsPerSec > 0 && Number.isFinite(e.opsPerSec), `${e.case} opsPerSec ${e.opsPerSec}`);
      assert.ok(e.meanNs > 0 && e.p99Ns > 0, `${e.case} times`);
      assert.ok(e.samples >= 5, `${e.case} samples ${e.samples}`);
    }
    assert.deepEqual(events[0], { kind: 'log', level: 'info', message: `micro memory: ${MICRO_CASES.length} cases, quick profile (40 ms each)` });
    assert.deepEqual(await readdir(tmp), []);
  });

  it('stops before the next case once aborted and reports no partial figures', async () => {
    const ac = new AbortController();
    const events: EventBody[] = [];
    const out = await runMicro({
      engine: 'memory',
      profile: 'quick',
      cases: ['get-hit', 'get-miss', 'put'],
      signal: ac.signal,
      tmpDir: tmp,
      emit: (e) => {
        events.push(e);
        if (e.kind === 'micro') ac.abort();
      },
    });
    // Cases run in suite order: put comes first.
    assert.deepEqual(out, { completed: ['put'], failed: [], aborted: true });
    assert.deepEqual(
      events.filter((e) => e.kind === 'micro').map((e) => e.case),
      ['put'],
    );
    assert.deepEqual(await readdir(tmp), []);
  });

  it('compacts to the head twice in a row without the compacted-revision error', async () => {
    const dir = await mkdtemp(join(tmp, 'store-'));
    const store = await openStore({ engine: 'memory', dataDir: dir, sync: 'none' });
    try {
      await store.put({ key: Buffer.from('k'), value: Buffer.from('v') });
      await compactAll(store);
      await compactAll(store);
      assert.equal((await store.status()).compactRevision, store.header().revision);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses an unknown case by name', async () => {
    await assert.rejects(
      runMicro({ engine: 'memory', profile: 'quick', cases: ['put', 'nope'], signal: new AbortController().signal, emit: () => {}, tmpDir: tmp }),
      /micro: unknown case 'nope'; expected one of put, get-hit/,
    );
  });
});
