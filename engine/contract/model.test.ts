// Model-based property test: random sequences of put / delete / txn / range / historical range
// / compact run against each engine and against a plain model that keeps a full copy of the
// key space per revision. Every response must match. Consecutive writes are issued together so
// they share commit batches (exercising the batch overlay and range barriers).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { EtcdError, ErrorMessages } from '../mvcc/errors.ts';
import type { MetaStore } from '../mvcc/kv.ts';
import type { KeyValue } from '../mvcc/types.ts';
import { engines } from '../testing/engines.ts';
import { tempDir, WatchRecorder } from '../testing/harness.ts';

interface MKv {
  key: string;
  value: string;
  create: number;
  mod: number;
  version: number;
}

type Op =
  | { t: 'put'; key: string; value: string }
  | { t: 'del'; key: string; end?: string }
  | { t: 'txn'; key: string; version: number; put: string; del: string; value: string }
  | { t: 'range'; key: string; end?: string; limit: number; back: number }
  | { t: 'compact'; back: number };

const isWrite = (op: Op): boolean => op.t === 'put' || op.t === 'del' || op.t === 'txn' || op.t === 'compact';

/** The whole key space per revision: obviously right, and small enough for short sequences. */
class Model {
  rev = 1;
  compactRev = 0;
  private states = new Map<number, Map<string, MKv>>([[1, new Map()]]);
  /** Every event in revision order, as a watcher would see it. */
  readonly events: string[] = [];

  private get current(): Map<string, MKv> {
    return this.states.get(this.rev)!;
  }

  private inRange(k: string, key: string, end: string | undefined): boolean {
    if (end === undefined) return k === key;
    if (end === '\0') return k >= key;
    return k >= key && k < end;
  }

  private write(mutate: (next: Map<string, MKv>, rev: number) => boolean): number {
    const next = new Map(this.current);
    if (mutate(next, this.rev + 1)) {
      this.rev++;
      this.states.set(this.rev, next);
    }
    return this.rev;
  }

  put(key: string, value: string): { rev: number; prev?: MKv } {
    const prev = this.current.get(key);
    const rev = this.write((next, r) => {
      next.set(key, { key, value, create: prev?.create ?? r, mod: r, version: (prev?.version ?? 0) + 1 });
      this.events.push(`PUT ${key}=${value}@${r}`);
      return true;
    });
    return { rev, prev };
  }

  del(key: string, end: string | undefined): { rev: number; prevs: MKv[] } {
    const prevs = this.sorted(this.current).filter((kv) => this.inRange(kv.key, key, end));
    const rev = this.write((next, r) => {
      for (const kv of prevs) {
        next.delete(kv.key);
        this.events.push(`DELETE ${kv.key}@${r}`);
      }
      return prevs.length > 0;
    });
    return { rev, prevs };
  }

  txn(op: Extract<Op, { t: 'txn' }>): { rev: number; ok: boolean; got?: MKv } | { error: string } {
    // etcd validates before it evaluates: a put inside a delete of the same branch always fails.
    if (op.put === op.del) return { error: ErrorMessages.duplicateKey };
    const ok = (this.current.get(op.key)?.version ?? 0) === op.version;
    if (!ok) return { rev: this.rev, ok, got: this.current.get(op.key) };
    const prev = this.current.get(op.put);
    const rev = this.write((next, r) => {
      next.set(op.put, { key: op.put, value: op.value, create: prev?.create ?? r, mod: r, version: (prev?.version ?? 0) + 1 });
      this.events.push(`PUT ${op.put}=${op.value}@${r}`);
      if (next.delete(op.del)) this.events.push(`DELETE ${op.del}@${r}`);
      return true;
    });
    return { rev, ok };
  }

  range(key: string, end: string | undefined, limit: number, at: number): { kvs: MKv[]; count: number; more: boolean } | { error: string } {
    if (at > this.rev) return { error: ErrorMessages.futureRev };
    if (at < this.compactRev) return { error: ErrorMessages.compacted };
    const all = this.sorted(this.states.get(at)!).filter((kv) => this.inRange(kv.key, key, end));
    const kvs = limit > 0 ? all.slice(0, limit) : all;
    return { kvs, count: all.length, more: kvs.length < all.length };
  }

  compact(rev: number): { rev: number } | { error: string } {
    if (rev <= this.compactRev) return { error: ErrorMessages.compacted };
    if (rev > this.rev) return { error: ErrorMessages.futureRev };
    this.compactRev = rev;
    return { rev: this.rev };
  }

  private sorted(m: Map<string, MKv>): MKv[] {
    return [...m.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}

const buf = (s: string): Buffer => Buffer.from(s, 'latin1');
const show = (kv: KeyValue): MKv => ({
  key: kv.key.toString('latin1'),
  value: kv.value.toString('latin1'),
  create: kv.createRevision,
  mod: kv.modRevision,
  version: kv.version,
});

/** Runs one op against the store and returns what the model says it must answer. */
function pair(store: MetaStore, model: Model, op: Op): { actual: Promise<unknown>; expected: unknown } {
  const settle = (p: Promise<unknown>): Promise<unknown> =>
    p.then(
      (v) => v,
      (err: unknown) => {
        if (err instanceof EtcdError) return { error: err.message };
        throw err;
      },
    );
  switch (op.t) {
    case 'put': {
      const e = model.put(op.key, op.value);
      return {
        expected: { rev: e.rev, prev: e.prev },
        actual: settle(store.put({ key: buf(op.key), value: buf(op.value), prevKv: true })).then((r) => {
          const res = r as { header: { revision: number }; prevKv?: KeyValue };
          return { rev: res.header.revision, prev: res.prevKv && show(res.prevKv) };
        }),
      };
    }
    case 'del': {
      const e = model.del(op.key, op.end);
      return {
        expected: e,
        actual: settle(store.deleteRange({ key: buf(op.key), rangeEnd: op.end === undefined ? undefined : buf(op.end), prevKv: true })).then((r) => {
          const res = r as { header: { revision: number }; prevKvs: KeyValue[]; deleted: number };
          assert.equal(res.deleted, res.prevKvs.length);
          return { rev: res.header.revision, prevs: res.prevKvs.map(show) };
        }),
      };
    }
    case 'txn': {
      const e = model.txn(op);
      return {
        expected: e,
        actual: settle(
          store.txn({
            compare: [{ key: buf(op.key), target: 'VERSION', result: 'EQUAL', version: op.version }],
            success: [{ requestPut: { key: buf(op.put), value: buf(op.value) } }, { requestDeleteRange: { key: buf(op.del) } }],
            failure: [{ requestRange: { key: buf(op.key) } }],
          }),
        ).then((r) => {
          if ('error' in (r as object)) return r;
          const res = r as { header: { revision: number }; succeeded: boolean; responses: { responseRange?: { kvs: KeyValue[] } }[] };
          if (res.succeeded) return { rev: res.header.revision, ok: true };
          const kv = res.responses[0].responseRange?.kvs[0];
          return { rev: res.header.revision, ok: false, got: kv && show(kv) };
        }),
      };
    }
    case 'range': {
      const at = Math.max(1, model.rev - op.back);
      const e = model.range(op.key, op.end, op.limit, at);
      return {
        expected: e,
        actual: settle(
          store.range({ key: buf(op.key), rangeEnd: op.end === undefined ? undefined : buf(op.end), limit: op.limit, revision: op.back === 0 ? 0 : at }),
        ).then((r) => {
          if ('error' in (r as object)) return r;
          const res = r as { kvs: KeyValue[]; count: number; more: boolean; header: { revision: number } };
          assert.equal(res.header.revision, model.rev);
          return { kvs: res.kvs.map(show), count: res.count, more: res.more };
        }),
      };
    }
    case 'compact': {
      const e = model.compact(model.rev - op.back);
      return {
        expected: e,
        actual: settle(store.compact({ revision: Math.max(0, model.rev - op.back) })).then((r) =>
          'error' in (r as object) ? r : { rev: (r as { header: { revision: number } }).header.revision },
        ),
      };
    }
  }
}

const key = fc.constantFrom('a', 'a/1', 'a/2', 'b', 'b/1', 'c', '\u00ff');
const end = fc.option(fc.constantFrom('a/', 'a0', 'b', 'b0', 'c', 'd', '\0', '\u00ff\u00ff'), { nil: undefined });
const value = fc.constantFrom('x', 'y', 'zz', '');
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ t: fc.constant('put' as const), key, value }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('del' as const), key, end }) },
  {
    weight: 2,
    arbitrary: fc.record({ t: fc.constant('txn' as const), key, version: fc.integer({ min: 0, max: 3 }), put: key, del: key, value }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ t: fc.constant('range' as const), key, end, limit: fc.integer({ min: 0, max: 3 }), back: fc.integer({ min: 0, max: 8 }) }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('compact' as const), back: fc.integer({ min: 0, max: 6 }) }) },
);

for (const engine of engines) {
  describe(`model-based property: ${engine.name}`, () => {
    it('answers every random operation sequence as the model does', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 60 }), async (ops) => {
          const { dir, remove } = await tempDir(`model-${engine.name}`);
          const store = await engine.open(dir);
          try {
            const model = new Model();
            for (let i = 0; i < ops.length; ) {
              // A run of writes goes out together (one or a few batches); reads go one by one.
              let j = i + 1;
              if (isWrite(ops[i])) while (j < ops.length && isWrite(ops[j]) && j - i < 8) j++;
              const pairs = ops.slice(i, j).map((o) => pair(store, model, o));
              const actual = await Promise.all(pairs.map((p) => p.actual));
              assert.deepEqual(actual, pairs.map((p) => p.expected), `ops ${i}..${j - 1}: ${JSON.stringify(ops.slice(i, j))}`);
              i = j;
            }
            // Replay: a watch on every key from just above the compaction point sees exactly the
            // model's events from there on, in order.
            const from = model.compactRev + 1;
            const expected = model.events.filter((e) => Number(e.slice(e.lastIndexOf('@') + 1)) >= from);
            const w = WatchRecorder.start(store, { key: Buffer.from([0]), rangeEnd: Buffer.from([0]), startRevision: from });
            try {
              await w.waitFor(expected.length);
              await new Promise((r) => setImmediate(r));
              assert.deepEqual(w.events, expected);
            } finally {
              w.handle.cancel();
            }
          } finally {
            await store.close();
            await remove();
          }
        }),
        { numRuns: 40, seed: 20261125 },
      );
    });
  });
}
