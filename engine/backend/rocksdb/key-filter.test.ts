import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Backend } from '../backend.ts';
import { createRocksdbBackend } from './index.ts';
import { KeyFilter } from './key-filter.ts';
import { MiniStore, str, tempDir } from './test-support.ts';

const b = (s: string) => Buffer.from(s);

describe('key filter', () => {
  it('never forgets an added key, and rarely claims one it never saw', () => {
    const f = new KeyFilter(1 << 20);
    const n = 100_000;
    for (let i = 0; i < n; i++) f.add(`put/${i % 64}/${i}`);
    for (let i = 0; i < n; i++) assert.equal(f.mayHave(`put/${i % 64}/${i}`), true, `key ${i}`);
    let false_ = 0;
    for (let i = 0; i < n; i++) if (f.mayHave(`other/${i}`)) false_++;
    assert.ok(false_ < n / 100, `${false_} false positives in ${n}`);
    assert.equal(new KeyFilter(0).mayHave('x'), false);
    const zeros = new KeyFilter(64);
    zeros.add('\0');
    assert.equal(zeros.mayHave('\0'), true);
  });

  it('answers reads of a new database without RocksDB, and versions stay right through a reopen', async () => {
    const d = await tempDir();
    let be: Backend = createRocksdbBackend({ dataDir: d.dir, sync: 'always', log: () => {} });
    await be.open();
    try {
      let s = new MiniStore(be);
      await s.txn([{ put: 'a' }, { put: 'b' }]); // 2
      await s.txn([{ put: 'a' }, { del: 'b' }]); // 3
      await be.prefetch!([b('a'), b('b'), b('c')], 3);
      assert.equal(str(await be.get(b('a'), 3)), 'a=a@3 c2 m3 v2');
      assert.equal(str(await be.get(b('a'), 2)), 'a=a@2 c2 m2 v1');
      assert.equal(await be.get(b('b'), 3), undefined);
      assert.equal(str(await be.get(b('b'), 2)), 'b=b@2 c2 m2 v1');
      assert.equal(await be.get(b('c'), 3), undefined);
      await be.close();
      // Reopened with data: no filter (every read goes to RocksDB), same answers.
      be = createRocksdbBackend({ dataDir: d.dir, sync: 'always', log: () => {} });
      await be.open();
      s = new MiniStore(be, 3);
      assert.equal(str(await be.get(b('a'), 3)), 'a=a@3 c2 m3 v2');
      assert.equal(str(await be.get(b('b'), 2)), 'b=b@2 c2 m2 v1');
      assert.equal(await be.get(b('c'), 3), undefined);
    } finally {
      await be.close();
      await d.cleanup();
    }
  });
});
