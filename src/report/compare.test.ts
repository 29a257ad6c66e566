import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { compareRuns, firstDifference, ParamMismatchError, renderComparison } from './compare.ts';
import { loadFinishedRun } from '../state/load-run.ts';
import { buildSummary } from '../views/summary.ts';
import type { RunSummary } from '../views/summary.ts';
import { fixtureRun, type FixtureRunOptions } from './test-fixtures.ts';

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'metabench-compare-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

async function summary(o: FixtureRunOptions): Promise<RunSummary> {
  return buildSummary(await loadFinishedRun(await fixtureRun(root, o)));
}

describe('compareRuns', () => {
  it('gives no verdict against an interrupted run, showing its figures (issue 13 item 4)', async () => {
    const a = await summary({ runId: 'whole', targets: ['memory', 'etcd'] });
    const b = await summary({ runId: 'cut', targets: ['memory', 'etcd'], interrupted: ['etcd'], speed: { memory: 0.5 } });
    assert.equal(b.status, 'interrupted');
    const c = compareRuns(a, b);
    assert.equal(c.regressions, 0);
    assert.equal(c.improvements, 0);
    assert.ok(c.rows.length > 0);
    for (const r of c.rows) {
      assert.equal(r.verdict, 'not comparable');
      assert.equal(r.note, 'no verdict: cut is interrupted');
    }
    assert.ok(c.rows.some((r) => r.opsPerSec !== undefined), 'figures still shown');
    assert.ok(c.warnings.includes('cut is interrupted: figures shown, no verdict'));
  });

  it('calls changes beyond the repeat spread and the threshold regressions or improvements, and the rest noise', async () => {
    // Three repeats each, ops/s ±1% around the median; p99 the same in every repeat.
    const repeats = [0.99, 1, 1.01];
    const a = await summary({ runId: 'base', targets: ['memory', 'etcd'], repeats });
    // memory: ops/s -10% (regression); etcd: ops/s +4% (under the threshold) and p99 -20% (improvement).
    const b = await summary({ runId: 'next', targets: ['memory', 'etcd'], speed: { memory: 0.9, etcd: 1.04 }, slowness: { etcd: 0.8 }, repeats });
    const c = compareRuns(a, b);
    assert.deepEqual(
      c.rows.map((r) => [r.scenario, r.target, r.verdict, r.note]),
      [
        ['large-scale-load', 'memory', 'regression', 'ops/s worse'],
        ['large-scale-load', 'etcd', 'improvement', undefined],
        ['txn-throughput', 'memory', 'regression', 'ops/s worse'],
        ['txn-throughput', 'etcd', 'improvement', undefined],
      ],
    );
    assert.equal(c.regressions, 2);
    assert.equal(c.improvements, 2);
    const mem = c.rows[0];
    assert.equal(mem.opsPerSec?.a, 2000);
    assert.equal(mem.opsPerSec?.b, 1800);
    assert.ok(Math.abs((mem.opsPerSec?.change ?? 0) + 0.1) < 1e-12);
    // Half of A's range (1,980–2,020) plus half of B's (1,782–1,818), as a share of A's median.
    assert.ok(Math.abs((mem.opsPerSec?.noise ?? 0) - (20 + 18) / 2000) < 1e-12);
    assert.equal(mem.p99Ms?.verdict, 'within noise');
    assert.equal(mem.p99Ms?.noise, 0);
    assert.equal(c.rows[1].opsPerSec?.verdict, 'within noise');
    assert.equal(c.rows[1].p99Ms?.verdict, 'improvement');
    assert.deepEqual(c.warnings, []);

    const text = renderComparison(c);
    assert.match(text, /^metabench compare base → next \(threshold ±5%; a change is called only beyond it and the runs' combined spread\)\n/);
    assert.match(text, /large-scale-load\s+memory\s+2,000 → 1,800\s+-10\.0% ±1\.9%\s+40 → 40\s+\+0\.0% ±0\.0%\s+A → B\s+regression \(ops\/s worse\)/);
    assert.match(text, /\n2 regressions, 2 improvements, 0 within noise\n$/);
  });

  it('calls a change inside the repeat spread within noise, even beyond the threshold', async () => {
    // ±15% between repeats: an 8% drop of the median is inside that spread.
    const repeats = [0.85, 1, 1.15];
    const a = await summary({ runId: 'wide1', targets: ['memory'], repeats });
    const b = await summary({ runId: 'wide2', targets: ['memory'], speed: { memory: 0.92 }, repeats });
    const c = compareRuns(a, b);
    const row = c.rows[0];
    assert.equal(row.opsPerSec?.verdict, 'within noise');
    assert.ok(Math.abs((row.opsPerSec?.change ?? 0) + 0.08) < 1e-12);
    // Half-ranges 300 (1,700–2,300) and 276 (1,564–2,116) over A's median 2,000.
    assert.ok(Math.abs((row.opsPerSec?.noise ?? 0) - 576 / 2000) < 1e-12);
    assert.deepEqual(c.rows.map((r) => r.verdict), ['within noise', 'within noise']);
    assert.equal(c.regressions, 0);
    // The same drop with a tight spread is a regression; the threshold still sets the smallest change called.
    const tight = [0.99, 1, 1.01];
    const ta = await summary({ runId: 'tight1', targets: ['memory'], repeats: tight });
    const tb = await summary({ runId: 'tight2', targets: ['memory'], speed: { memory: 0.92 }, repeats: tight });
    assert.equal(compareRuns(ta, tb).rows[0].verdict, 'regression');
    assert.equal(compareRuns(ta, tb, 10).rows[0].verdict, 'within noise');
  });

  it('says noise unknown between runs without repeats, however large the change', async () => {
    const a = await summary({ runId: 'n1' });
    const b = await summary({ runId: 'n2', speed: { memory: 0.5 }, slowness: { memory: 2 } });
    const c = compareRuns(a, b);
    assert.deepEqual(new Set(c.rows.map((r) => r.verdict)), new Set(['noise unknown']));
    assert.equal(c.regressions, 0);
    assert.equal(c.improvements, 0);
    assert.equal(c.noiseUnknown, c.rows.length);
    assert.equal(c.rows[0].opsPerSec?.change, -0.5, 'the change is still shown');
    assert.equal(c.rows[0].opsPerSec?.noise, undefined);
    assert.ok(c.warnings.includes('n1 and n2 have no repeats: noise unknown, no change is called (run with --repeat 3)'));
    const text = renderComparison(c);
    assert.match(text, /\n0 regressions, 0 improvements, 0 within noise, 4 noise unknown\nnoise unknown: a run without repeats has no spread/);
    // One side with repeats is not enough: the other's noise is still unknown.
    const r = await summary({ runId: 'n3', repeats: [0.99, 1, 1.01] });
    assert.deepEqual(new Set(compareRuns(r, b).rows.map((x) => x.verdict)), new Set(['noise unknown']));
    assert.ok(compareRuns(r, b).warnings.includes('n2 has no repeats: noise unknown, no change is called (run with --repeat 3)'));
  });

  it('gives no verdict against a run interrupted in a later repeat', async () => {
    const repeats = [0.99, 1, 1.01];
    const a = await summary({ runId: 'rw', targets: ['memory', 'etcd'], repeats });
    const b = await summary({ runId: 'rcut', targets: ['memory', 'etcd'], repeats, interrupted: ['etcd'], interruptedRepeat: 2, speed: { memory: 0.5 } });
    assert.equal(b.status, 'interrupted');
    const etcd = b.targets.find((t) => t.name === 'etcd');
    assert.equal(etcd?.repeatsCompleted, 1);
    const c = compareRuns(a, b);
    assert.equal(c.regressions, 0);
    for (const r of c.rows) assert.deepEqual([r.verdict, r.note], ['not comparable', 'no verdict: rcut is interrupted']);
  });

  it('counts a scenario that stopped passing as a regression', async () => {
    const a = await summary({ runId: 'p1' });
    const b = await summary({ runId: 'p2', endOver: { 'memory/txn-throughput': { status: 'failed', checks: [{ name: 'counters', ok: false, detail: 'off by one' }] } } });
    const row = compareRuns(a, b).rows.find((r) => r.scenario === 'txn-throughput' && r.target === 'memory');
    assert.deepEqual([row?.verdict, row?.note, row?.gradeB], ['regression', 'passed in p1, failed in p2', 'F']);
  });

  it('refuses runs whose scenario parameters differ, naming the difference', async () => {
    const a = await summary({ runId: 'm1' });
    const b = await summary({ runId: 'm2', params: { 'txn-throughput': { clients: 50, opsPerClient: 100 } } });
    assert.throws(
      () => compareRuns(a, b),
      (e: unknown) =>
        e instanceof ParamMismatchError &&
        e.message === 'runs differ in scenario txn-throughput: clients is 10 in m1 but 50 in m2; refusing to compare different experiments',
    );
  });

  it('marks rows present in one run only and warns about context differences', async () => {
    const a = await summary({ runId: 'o1', targets: ['memory'] });
    const b = await summary({ runId: 'o2', targets: ['memory', 'rocksdb'], mode: 'parallel' });
    const c = compareRuns(a, b);
    assert.deepEqual(
      c.rows.filter((r) => r.target === 'rocksdb').map((r) => [r.verdict, r.note]),
      [
        ['not comparable', 'only in o2'],
        ['not comparable', 'only in o2'],
      ],
    );
    assert.deepEqual(c.warnings, ['modes differ (sequential vs parallel): parallel runs skew each other', 'o1 and o2 have no repeats: noise unknown, no change is called (run with --repeat 3)']);
  });

  it('compares micro-benchmark cases per engine, without a verdict (they run once per run)', async () => {
    const a = await summary({ runId: 'mi1', micro: true, repeats: [1, 1, 1] });
    const b = await summary({ runId: 'mi2', micro: true, microSpeed: 0.5, repeats: [1, 1, 1] });
    const micro = compareRuns(a, b).rows.filter((r) => r.scenario.startsWith('micro/'));
    assert.deepEqual(
      micro.map((r) => [r.scenario, r.target, r.verdict, r.opsPerSec?.change, r.p99Ms?.change]),
      [
        ['micro/put', 'memory', 'noise unknown', -0.5, 1],
        ['micro/put', 'rocksdb', 'noise unknown', -0.5, 1],
        ['micro/get-hit', 'memory', 'noise unknown', -0.5, 1],
      ],
    );
  });

  it('refuses runs with nothing in common', async () => {
    const a = await summary({ runId: 'x1', targets: ['memory'] });
    const b: RunSummary = { ...a, runId: 'x2', scenarios: [] };
    assert.throws(() => compareRuns(a, b), (e: unknown) => e instanceof ParamMismatchError && e.message === 'runs x1 and x2 share no scenario; nothing to compare');
    // Micro cases alone are something in common.
    const ma = await summary({ runId: 'x3', targets: ['memory'], micro: true });
    const mb: RunSummary = { ...ma, runId: 'x4', scenarios: [] };
    assert.equal(compareRuns({ ...ma, scenarios: [] }, mb).rows.length, 3);
  });

  it('rejects a bad threshold', async () => {
    const a = await summary({ runId: 't1' });
    assert.throws(() => compareRuns(a, a, -1), /threshold '-1' is not a percentage/);
    assert.throws(() => compareRuns(a, a, Number.NaN), /threshold 'NaN' is not a percentage/);
  });
});

describe('firstDifference', () => {
  it('finds the first differing path in sorted key order', () => {
    assert.equal(firstDifference({ a: 1, mix: { put: 40 } }, { a: 1, mix: { put: 40 } }), undefined);
    assert.deepEqual(firstDifference({ b: 1, mix: { put: 40, get: 40 } }, { b: 1, mix: { put: 40, get: 30 } }), { path: 'mix.get', a: 40, b: 30 });
    assert.deepEqual(firstDifference({ durationMs: 1000 }, { opsPerClient: 10 }), { path: 'durationMs', a: 1000, b: undefined });
  });
});
