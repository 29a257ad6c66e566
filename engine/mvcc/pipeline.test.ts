// The commit pipeline seen from the engine's side: which requests share a batch (group commit,
// barriers, lone compactions), that nothing is visible or acknowledged before the engine's
// commit resolves, that a failed commit fails its batch and every later write, and that close
// drains the queue.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Backend, CommitBatch } from '../backend/backend.ts';
import { createMemoryBackend } from '../backend/memory/index.ts';
import { tempDir } from '../testing/harness.ts';
import { ErrorMessages } from './errors.ts';
import { MvccStore } from './store.ts';

const b = (s: string): Buffer => Buffer.from(s);

/** The memory engine with its commits recorded and, on demand, held back or failed. */
class ObservedBackend {
  readonly batches: CommitBatch[] = [];
  hold: Promise<void> | undefined;
  failWith: Error | undefined;

  constructor(readonly inner: Backend) {}

  wrap(): Backend {
    const inner = this.inner;
    return new Proxy(inner, {
      get: (target, prop, receiver) => {
        // Hide the memory engine's keyed fast path so every batch goes through `commit`.
        if (prop === 'commitKeyed') return undefined;
        if (prop === 'commit') {
          return async (batch: CommitBatch) => {
            this.batches.push(batch);
            if (this.hold !== undefined) await this.hold;
            if (this.failWith !== undefined) throw this.failWith;
            return inner.commit(batch);
          };
        }
        const v = Reflect.get(target, prop, receiver) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
  }
}

async function withObserved(body: (s: MvccStore, o: ObservedBackend) => Promise<void>): Promise<void> {
  const { dir, remove } = await tempDir('pipeline');
  const o = new ObservedBackend(createMemoryBackend({ dataDir: dir, sync: 'none' }));
  const store = await MvccStore.open(o.wrap());
  try {
    await body(store, o);
  } finally {
    o.hold = undefined;
    o.failWith = undefined;
    await store.close();
    await remove();
  }
}

describe('commit pipeline', () => {
  it('commits concurrent writers as one batch with consecutive revisions', async () => {
    await withObserved(async (s, o) => {
      const res = await Promise.all(Array.from({ length: 50 }, (_, i) => s.put({ key: b(`k${i}`), value: b('v') })));
      assert.deepEqual(res.map((r) => r.header.revision), Array.from({ length: 50 }, (_, i) => i + 2));
      assert.equal(o.batches.length, 1);
      assert.equal(o.batches[0].requests, 50);
      assert.equal(o.batches[0].revision, 51);
    });
  });

  it('starts a new batch at a range delete after writes, and isolates compactions', async () => {
    await withObserved(async (s, o) => {
      await s.put({ key: b('x'), value: b('1') });
      o.batches.length = 0;
      await Promise.all([
        s.put({ key: b('a'), value: b('1') }),
        s.put({ key: b('b'), value: b('1') }),
        s.deleteRange({ key: b('a'), rangeEnd: b('c') }),
        s.put({ key: b('c'), value: b('1') }),
        s.compact({ revision: 2 }),
        s.put({ key: b('d'), value: b('1') }),
      ]);
      assert.deepEqual(
        o.batches.map((x) => x.requests),
        [2, 2, 1, 1],
      );
      assert.equal(o.batches[2].compact, 2);
      assert.equal(o.batches[2].changes.length, 0);
    });
  });

  it('neither shows nor acknowledges a write before the engine commit resolves', async () => {
    await withObserved(async (s, o) => {
      let release!: () => void;
      o.hold = new Promise((r) => (release = r));
      let acked = false;
      const p = s.put({ key: b('k'), value: b('v') }).then((r) => {
        acked = true;
        return r;
      });
      for (let spins = 0; o.batches.length === 0; spins++) {
        assert.ok(spins < 10_000, 'the pipeline never called commit');
        await new Promise((r) => setImmediate(r));
      }
      assert.equal((await s.range({ key: b('k') })).count, 0);
      assert.equal(s.header().revision, 1);
      assert.equal(acked, false);
      release();
      const r = await p;
      assert.equal(r.header.revision, 2);
      assert.equal((await s.range({ key: b('k') })).count, 1);
    });
  });

  it('fails the batch and every later write when the engine cannot commit', async () => {
    await withObserved(async (s, o) => {
      await s.put({ key: b('ok'), value: b('1') });
      o.failWith = new Error('disk on fire');
      const results = await Promise.allSettled([s.put({ key: b('a'), value: b('1') }), s.put({ key: b('b'), value: b('1') })]);
      for (const r of results) {
        assert.equal(r.status, 'rejected');
        assert.match((r as PromiseRejectedResult).reason.message, /commit failed: disk on fire/);
        assert.equal((r as PromiseRejectedResult).reason.cause.message, 'disk on fire');
      }
      o.failWith = undefined;
      await assert.rejects(s.put({ key: b('c'), value: b('1') }), /commit failed/);
      assert.equal(s.header().revision, 2);
    });
  });

  it('answers the queued writes before close resolves, then refuses new ones', async () => {
    await withObserved(async (s) => {
      const pending = Array.from({ length: 20 }, (_, i) => s.put({ key: b(`q${i}`), value: b('v') }));
      const closed = s.close();
      await assert.rejects(s.put({ key: b('late'), value: b('v') }), { message: ErrorMessages.stopped });
      const res = await Promise.all(pending);
      assert.equal(res.at(-1)!.header.revision, 21);
      await closed;
    });
  });

  it('answers a read-only txn without the pipeline', async () => {
    await withObserved(async (s, o) => {
      await s.put({ key: b('a'), value: b('1') });
      o.batches.length = 0;
      const r = await s.txn({ compare: [{ key: b('a'), target: 'VALUE', result: 'EQUAL', value: b('1') }], success: [{ requestRange: { key: b('a') } }] });
      assert.equal(r.succeeded, true);
      assert.equal(r.header.revision, 2);
      assert.equal(o.batches.length, 0);
    });
  });
});

describe('store options', () => {
  it('refuses bad tuning values before touching the data directory', async () => {
    const { dir, remove } = await tempDir('options');
    try {
      const backend = createMemoryBackend({ dataDir: dir, sync: 'none' });
      await assert.rejects(MvccStore.open(backend, { leaseCheckIntervalMs: 0 }), {
        message: 'store option leaseCheckIntervalMs is 0; expected a positive integer',
      });
      await assert.rejects(MvccStore.open(backend, { minLeaseTtlSec: 1.5 }), /minLeaseTtlSec is 1.5/);
      const s = await MvccStore.open(backend, {});
      await s.close();
    } finally {
      await remove();
    }
  });
});
