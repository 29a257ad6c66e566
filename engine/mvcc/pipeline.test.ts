// The commit pipeline seen from the engine's side: which requests share a batch (group commit,
// barriers, lone compactions), that nothing is visible or acknowledged before the engine's
// commit resolves, that a failed commit fails its batch and every later write, and that close
// drains the queue. Then the same with an engine that takes concurrent commits (overlap): later
// batches see earlier unsynced ones, answers and visibility stay in order and durable-only.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Backend, CommitBatch } from '../backend/backend.ts';
import { createMemoryBackend } from '../backend/memory/index.ts';
import { tempDir } from '../testing/harness.ts';
import { ErrorMessages } from './errors.ts';
import { MvccStore } from './store.ts';

const b = (s: string): Buffer => Buffer.from(s);

/**
 * The memory engine with its commits recorded and, on demand, held back or failed. `concurrent`
 * passes through the engine's `concurrentCommits`; otherwise it is hidden (one commit at a time).
 */
class ObservedBackend {
  readonly batches: CommitBatch[] = [];
  hold: Promise<void> | undefined;
  failWith: Error | undefined;
  /** Commits called and not yet resolved, and the most seen at once. */
  inFlight = 0;
  maxInFlight = 0;

  constructor(
    readonly inner: Backend,
    readonly concurrent = false,
  ) {}

  wrap(): Backend {
    const inner = this.inner;
    return new Proxy(inner, {
      get: (target, prop, receiver) => {
        // Hide the memory engine's keyed fast path so every batch goes through `commit`.
        if (prop === 'commitKeyed') return undefined;
        if (prop === 'concurrentCommits') return this.concurrent ? inner.concurrentCommits : undefined;
        if (prop === 'commit') {
          return async (batch: CommitBatch) => {
            this.batches.push(batch);
            this.inFlight++;
            this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
            try {
              const hold = this.hold;
              if (hold !== undefined) await hold;
              if (this.failWith !== undefined) throw this.failWith;
              return await inner.commit(batch);
            } finally {
              this.inFlight--;
            }
          };
        }
        const v = Reflect.get(target, prop, receiver) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
  }
}

async function withObserved(body: (s: MvccStore, o: ObservedBackend) => Promise<void>, concurrent = false): Promise<void> {
  const { dir, remove } = await tempDir('pipeline');
  const o = new ObservedBackend(createMemoryBackend({ dataDir: dir, sync: 'none' }), concurrent);
  const store = await MvccStore.open(o.wrap(), { commitOverlap: concurrent ? 'always' : 'never' });
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

  it('groups closed-loop txns as it groups puts: one commit per round of all clients', async () => {
    // bench:serve's txn shape (etcd's txn-put): If(Version(k) = 0) Then Put(k) Else Range(k),
    // 10 clients each waiting for its answer before the next. Every round of 10 txns must share
    // one commit (one WAL record and one fdatasync on the memory engine), not one each.
    await withObserved(async (s, o) => {
      const clients = 10;
      const rounds = 20;
      const succeeded: boolean[] = [];
      await Promise.all(
        Array.from({ length: clients }, async (_, c) => {
          for (let j = 0; j < rounds; j++) {
            const key = b(`txn/client-${c}/key-${j}`);
            const r = await s.txn({
              compare: [{ key, target: 'VERSION', result: 'EQUAL', version: 0 }],
              success: [{ requestPut: { key, value: b('v') } }],
              failure: [{ requestRange: { key } }],
            });
            succeeded.push(r.succeeded);
          }
        }),
      );
      assert.equal(succeeded.length, clients * rounds);
      assert.ok(succeeded.every((x) => x));
      assert.deepEqual(o.batches.map((x) => x.requests), Array.from({ length: rounds }, () => clients));
      assert.equal(s.header().revision, 1 + clients * rounds);
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

/** Spins the event loop until `cond` holds (bounded, so a broken pipeline fails the test). */
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let spins = 0; !cond(); spins++) {
    assert.ok(spins < 10_000, `never happened: ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

describe('commit pipeline over an engine with concurrent commits', () => {
  const withConcurrent = (body: (s: MvccStore, o: ObservedBackend) => Promise<void>): Promise<void> => withObserved(body, true);

  it('is off by default: without commitOverlap the engine gets one batch at a time', async () => {
    const { dir, remove } = await tempDir('pipeline');
    const o = new ObservedBackend(createMemoryBackend({ dataDir: dir, sync: 'none' }), true);
    const store = await MvccStore.open(o.wrap());
    try {
      await Promise.all(Array.from({ length: 50 }, (_, i) => store.put({ key: b(`k${i}`), value: b('v') })));
      assert.deepEqual(o.batches.map((x) => x.requests), [50]);
      assert.equal(o.maxInFlight, 1);
    } finally {
      await store.close();
      await remove();
    }
  });

  it('splits a full queue in two batches that are in flight together, numbered in order', async () => {
    await withConcurrent(async (s, o) => {
      const res = await Promise.all(Array.from({ length: 50 }, (_, i) => s.put({ key: b(`k${i}`), value: b('v') })));
      assert.deepEqual(res.map((r) => r.header.revision), Array.from({ length: 50 }, (_, i) => i + 2));
      assert.deepEqual(o.batches.map((x) => [x.requests, x.revision]), [[25, 26], [25, 51]]);
      assert.equal(o.maxInFlight, 2);
    });
  });

  it('a stacked batch reads what the unsynced batch below wrote, but reads and answers wait for durability', async () => {
    await withConcurrent(async (s, o) => {
      await s.put({ key: b('k'), value: b('v1') });
      let release!: () => void;
      o.hold = new Promise((r) => (release = r));
      o.batches.length = 0;
      const answered: string[] = [];
      const first = s.put({ key: b('k'), value: b('v2') }).then((r) => (answered.push('first'), r));
      await until(() => o.batches.length === 1, 'first batch handed over');
      // Stacked over the held batch: its previous value is v2, which no reader may see yet.
      const second = s.put({ key: b('k'), value: b('v3'), prevKv: true }).then((r) => (answered.push('second'), r));
      const failedTxn = s
        .txn({ compare: [{ key: b('k'), target: 'VALUE', result: 'EQUAL', value: b('nope') }], success: [{ requestPut: { key: b('x'), value: b('1') } }], failure: [{ requestRange: { key: b('k') } }] })
        .then((r) => (answered.push('txn'), r));
      await until(() => o.batches.length === 2, 'second batch handed over while the first is held');
      assert.equal(o.inFlight, 2);
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
      assert.deepEqual(answered, []);
      assert.equal(s.header().revision, 2);
      assert.equal((await s.range({ key: b('k') })).kvs[0].value.toString(), 'v1');
      release();
      const [r1, r2, t] = await Promise.all([first, second, failedTxn]);
      assert.deepEqual(answered, ['first', 'second', 'txn']);
      assert.equal(r1.header.revision, 3);
      assert.equal(r2.header.revision, 4);
      assert.equal(r2.prevKv?.value.toString(), 'v2');
      assert.equal(r2.prevKv?.version, 2);
      assert.equal(t.succeeded, false);
      assert.equal(t.responses[0].responseRange?.kvs[0].value.toString(), 'v3');
      const now = await s.range({ key: b('k') });
      assert.equal(now.kvs[0].value.toString(), 'v3');
      assert.equal(now.kvs[0].version, 3);
    });
  });

  it('a range delete waits until every batch below it is durable, and later writes wait for it', async () => {
    await withConcurrent(async (s, o) => {
      let release!: () => void;
      o.hold = new Promise((r) => (release = r));
      const puts = [s.put({ key: b('a'), value: b('1') }), s.put({ key: b('b'), value: b('1') })];
      await until(() => o.batches.length === 2, 'both halves handed over');
      const del = s.deleteRange({ key: b('a'), rangeEnd: b('c') });
      const after = s.put({ key: b('c'), value: b('1') });
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
      assert.equal(o.batches.length, 2, 'the range delete was handed over before the batches below it were durable');
      release();
      await Promise.all(puts);
      assert.equal((await del).deleted, 2);
      await after;
      assert.deepEqual(o.batches.map((x) => x.requests), [1, 1, 1, 1]);
      assert.equal(o.maxInFlight, 2);
    });
  });

  it('a failed commit fails the batches stacked on it, even if theirs would succeed', async () => {
    await withConcurrent(async (s, o) => {
      await s.put({ key: b('ok'), value: b('1') });
      let release!: () => void;
      o.hold = new Promise((r) => (release = r));
      o.batches.length = 0;
      const results = Promise.allSettled(Array.from({ length: 4 }, (_, i) => s.put({ key: b(`f${i}`), value: b('1') })));
      await until(() => o.batches.length === 2, 'both halves handed over');
      o.failWith = new Error('disk on fire');
      release();
      for (const r of await results) {
        assert.equal(r.status, 'rejected');
        assert.match((r as PromiseRejectedResult).reason.message, /commit failed: disk on fire/);
      }
      o.failWith = undefined;
      await assert.rejects(s.put({ key: b('c'), value: b('1') }), /commit failed/);
      assert.equal(s.header().revision, 2);
      assert.equal((await s.range({ key: b('f0') })).count, 0);
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
      await assert.rejects(MvccStore.open(backend, { commitOverlap: 'sometimes' as never }), {
        message: 'store option commitOverlap is sometimes; expected always or never',
      });
      const s = await MvccStore.open(backend, {});
      await s.close();
    } finally {
      await remove();
    }
  });
});
