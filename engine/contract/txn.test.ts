// Txn contract: compares on every target with every result, over a key or a range; success
// and failure branches with nested txns; etcd's validation (op count, duplicate keys).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorMessages } from '../mvcc/errors.ts';
import type { Compare, RequestOp } from '../mvcc/types.ts';
import { engines } from '../testing/engines.ts';
import { b, withStore } from '../testing/harness.ts';

const put = (k: string, v: string): RequestOp => ({ requestPut: { key: b(k), value: b(v) } });
const get = (k: string, end?: string): RequestOp => ({ requestRange: { key: b(k), rangeEnd: end === undefined ? undefined : b(end) } });
const del = (k: string, end?: string): RequestOp => ({ requestDeleteRange: { key: b(k), rangeEnd: end === undefined ? undefined : b(end) } });

for (const engine of engines) {
  describe(`txn contract: ${engine.name}`, () => {
    it('evaluates compares on value, version, create, mod and lease', async () => {
      await withStore(engine, async (s) => {
        const lease = await s.leaseGrant(60);
        await s.put({ key: b('k'), value: b('m') }); // 2
        await s.put({ key: b('k'), value: b('m'), lease: lease.id }); // 3: version 2
        const holds = async (c: Omit<Compare, 'key'>): Promise<boolean> =>
          (await s.txn({ compare: [{ key: b('k'), ...c }] })).succeeded;
        assert.equal(await holds({ target: 'VALUE', result: 'EQUAL', value: b('m') }), true);
        assert.equal(await holds({ target: 'VALUE', result: 'GREATER', value: b('a') }), true);
        assert.equal(await holds({ target: 'VALUE', result: 'LESS', value: b('a') }), false);
        assert.equal(await holds({ target: 'VALUE', result: 'NOT_EQUAL', value: b('m') }), false);
        assert.equal(await holds({ target: 'VERSION', result: 'EQUAL', version: 2 }), true);
        assert.equal(await holds({ target: 'VERSION', result: 'GREATER', version: 1 }), true);
        assert.equal(await holds({ target: 'CREATE', result: 'EQUAL', createRevision: 2 }), true);
        assert.equal(await holds({ target: 'MOD', result: 'LESS', modRevision: 4 }), true);
        assert.equal(await holds({ target: 'MOD', result: 'NOT_EQUAL', modRevision: 3 }), false);
        assert.equal(await holds({ target: 'LEASE', result: 'EQUAL', lease: lease.id }), true);
      });
    });

    it('compares a missing key as the zero kv, except on its value', async () => {
      await withStore(engine, async (s) => {
        const r = await s.txn({ compare: [{ key: b('nope'), target: 'VERSION', result: 'EQUAL', version: 0 }] });
        assert.equal(r.succeeded, true);
        const mod = await s.txn({ compare: [{ key: b('nope'), target: 'MOD', result: 'GREATER', modRevision: 0 }] });
        assert.equal(mod.succeeded, false);
        const value = await s.txn({ compare: [{ key: b('nope'), target: 'VALUE', result: 'NOT_EQUAL', value: b('x') }] });
        assert.equal(value.succeeded, false);
      });
    });

    it('compares over a range: every key must match', async () => {
      await withStore(engine, async (s) => {
        await s.put({ key: b('r/1'), value: b('x') });
        await s.put({ key: b('r/2'), value: b('x') });
        const all = { key: b('r/'), rangeEnd: b('r0') };
        assert.equal((await s.txn({ compare: [{ ...all, target: 'VALUE', result: 'EQUAL', value: b('x') }] })).succeeded, true);
        await s.put({ key: b('r/3'), value: b('y') });
        assert.equal((await s.txn({ compare: [{ ...all, target: 'VALUE', result: 'EQUAL', value: b('x') }] })).succeeded, false);
        assert.equal((await s.txn({ compare: [{ ...all, target: 'CREATE', result: 'GREATER', createRevision: 1 }] })).succeeded, true);
      });
    });

    it('runs the success branch in one revision, seeing its own writes', async () => {
      await withStore(engine, async (s) => {
        await s.put({ key: b('gone'), value: b('1') }); // 2
        const r = await s.txn({
          compare: [{ key: b('a'), target: 'VERSION', result: 'EQUAL', version: 0 }],
          success: [put('a', '1'), put('b', '2'), del('gone'), get('a'), get('a', 'c')],
          failure: [get('a')],
        });
        assert.equal(r.succeeded, true);
        assert.equal(r.header.revision, 3);
        assert.equal(r.responses.length, 5);
        assert.equal(r.responses[2].responseDeleteRange?.deleted, 1);
        const own = r.responses[3].responseRange!;
        assert.equal(own.kvs[0].value.toString(), '1');
        assert.equal(own.kvs[0].modRevision, 3);
        assert.deepEqual(r.responses[4].responseRange!.kvs.map((kv) => kv.key.toString()), ['a', 'b']);
        const a = (await s.range({ key: b('a') })).kvs[0];
        const bb = (await s.range({ key: b('b') })).kvs[0];
        assert.deepEqual([a.modRevision, bb.modRevision, s.header().revision], [3, 3, 3]);
      });
    });

    it('runs the failure branch when a compare fails, without a revision for reads', async () => {
      await withStore(engine, async (s) => {
        await s.put({ key: b('a'), value: b('1') }); // 2
        const r = await s.txn({
          compare: [{ key: b('a'), target: 'VERSION', result: 'EQUAL', version: 0 }],
          success: [put('a', 'x')],
          failure: [get('a')],
        });
        assert.equal(r.succeeded, false);
        assert.equal(r.header.revision, 2);
        assert.equal(r.responses[0].responseRange!.kvs[0].value.toString(), '1');
        assert.equal(s.header().revision, 2);
      });
    });

    it('runs nested txns inside a branch', async () => {
      await withStore(engine, async (s) => {
        const r = await s.txn({
          success: [
            put('outer', '1'),
            {
              requestTxn: {
                compare: [{ key: b('outer'), target: 'VALUE', result: 'EQUAL', value: b('1') }],
                success: [put('inner', 'yes')],
                failure: [put('inner', 'no')],
              },
            },
          ],
        });
        assert.equal(r.succeeded, true);
        assert.equal(r.responses[1].responseTxn?.succeeded, true);
        assert.equal((await s.range({ key: b('inner') })).kvs[0].value.toString(), 'yes');
        assert.equal((await s.range({ key: b('inner') })).kvs[0].modRevision, 2);
      });
    });

    it('rejects too many ops and duplicate keys as etcd does', async () => {
      await withStore(engine, async (s) => {
        const many = Array.from({ length: 129 }, (_, i) => put(`k${i}`, 'v'));
        await assert.rejects(s.txn({ success: many }), { message: ErrorMessages.tooManyOps });
        await s.txn({ success: many.slice(0, 128) });
        await assert.rejects(s.txn({ success: [put('a', '1'), put('a', '2')] }), { message: ErrorMessages.duplicateKey });
        await assert.rejects(s.txn({ success: [del('a', 'c'), put('b', '2')] }), { message: ErrorMessages.duplicateKey });
        await assert.rejects(
          s.txn({ success: [put('a', '1'), { requestTxn: { success: [put('a', '2')] } }] }),
          { message: ErrorMessages.duplicateKey },
        );
        // The same key in the two branches of a nested txn is fine: only one of them runs.
        await s.txn({ success: [{ requestTxn: { success: [put('x', '1')], failure: [put('x', '2')] } }] });
        // Puts in different top-level branches never clash.
        await s.txn({ success: [put('y', '1')], failure: [put('y', '2')] });
        await assert.rejects(s.txn({ success: [put('', '1')] }), { message: ErrorMessages.emptyKey });
      });
    });

    it('fails as a whole when an op fails, leaving no trace', async () => {
      await withStore(engine, async (s) => {
        await s.put({ key: b('a'), value: b('1') }); // 2
        await assert.rejects(
          s.txn({ success: [put('b', '1'), { requestPut: { key: b('c'), value: b('x'), lease: 999 } }] }),
          { message: ErrorMessages.leaseNotFound },
        );
        await assert.rejects(s.txn({ success: [{ requestRange: { key: b('a'), revision: 50 } }, put('z', '1')] }), {
          message: ErrorMessages.futureRev,
        });
        assert.equal(s.header().revision, 2);
        assert.equal((await s.range({ key: b('b') })).count, 0);
        const after = await s.put({ key: b('d'), value: b('1') });
        assert.equal(after.header.revision, 3);
      });
    });

    it('serialises concurrent compare-and-swap increments', async () => {
      await withStore(engine, async (s) => {
        await s.put({ key: b('ctr'), value: b('0') });
        let successes = 0;
        await Promise.all(
          Array.from({ length: 8 }, async () => {
            for (let done = 0; done < 10; ) {
              const cur = (await s.range({ key: b('ctr') })).kvs[0];
              const next = String(Number(cur.value.toString()) + 1);
              const r = await s.txn({
                compare: [{ key: b('ctr'), target: 'MOD', result: 'EQUAL', modRevision: cur.modRevision }],
                success: [put('ctr', next)],
              });
              if (r.succeeded) {
                successes++;
                done++;
              }
            }
          }),
        );
        assert.equal(successes, 80);
        assert.equal((await s.range({ key: b('ctr') })).kvs[0].value.toString(), '80');
      });
    });

    it('deletes a range and puts in later requests of the same batch consistently', async () => {
      await withStore(engine, async (s) => {
        for (let i = 0; i < 5; i++) await s.put({ key: b(`d/${i}`), value: b('old') });
        const [p1, d, p2] = await Promise.all([
          s.put({ key: b('d/9'), value: b('early') }),
          s.deleteRange({ key: b('d/'), rangeEnd: b('d0'), prevKv: true }),
          s.put({ key: b('d/1'), value: b('late') }),
        ]);
        assert.equal(d.deleted, 6);
        assert.ok(p1.header.revision < d.header.revision && d.header.revision < p2.header.revision);
        const left = await s.range({ key: b('d/'), rangeEnd: b('d0') });
        assert.deepEqual(left.kvs.map((kv) => `${kv.key}=${kv.value}`), ['d/1=late']);
      });
    });
  });
}
