// The noop target in summary.json and report.md: the load generator's ceiling, not graded, and the
// client-bound mark on the other targets' cells.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareRuns, renderComparison } from './compare.ts';
import { targetsBelow } from './fail-under.ts';
import { renderMarkdown } from './markdown.ts';
import { buildSummary } from '../views/summary.ts';
import { fixtureLoadedRun } from './test-fixtures.ts';

// Fixture base figures: large-scale-load 2,000 ops/s, txn-throughput 1,000 ops/s (× speed).
// memory is the fastest real target (×2): 4,000 and 2,000 ops/s. noop ×6: 12,000 and 6,000 ops/s,
// 3× memory, nobody at the ceiling; noop ×2.4: 1.2× memory (within 1.25×: memory at the ceiling)
// and 2.4× etcd (not); noop ×1.2: both at the ceiling.
const run = (noopSpeed: number, over: Parameters<typeof fixtureLoadedRun>[0] = { runId: 'r' }) =>
  buildSummary(fixtureLoadedRun({ targets: ['memory', 'etcd', 'noop'], speed: { memory: 2, noop: noopSpeed }, ...over }));

describe('summary: noop is the ceiling', () => {
  it('gives every other cell the ceiling ratio against the fastest target; at 3× nobody reached it', () => {
    const s = run(6);
    assert.equal(s.ceilingTarget, 'noop');
    const large = s.scenarios.find((x) => x.name === 'large-scale-load');
    assert.ok(large);
    assert.deepEqual(large.results.memory.ceiling, { opsPerSec: 12_000, ratio: 3, clientBound: false });
    assert.deepEqual(large.results.etcd.ceiling, { opsPerSec: 12_000, ratio: 3, clientBound: false });
    assert.equal(large.results.noop.ceiling, undefined);
    assert.deepEqual(large.ceiling, { opsPerSec: 12_000, ratio: 3, clientBound: false, target: 'noop', fastest: 'memory', fastestOpsPerSec: 4000 });
  });

  it('marks only the target within 1.25× of the ceiling, not every target of the scenario', () => {
    const s = run(2.4);
    for (const sc of s.scenarios) {
      assert.equal(sc.results.memory.ceiling?.clientBound, true, sc.name);
      assert.equal(sc.results.etcd.ceiling?.clientBound, false, sc.name);
      assert.equal(sc.ceiling?.clientBound, true, 'the fastest reached it');
      assert.ok(Math.abs((sc.ceiling?.ratio ?? 0) - 1.2) < 1e-9);
    }
    // Exactly 1.25× is below the ceiling.
    assert.equal(run(2.5).scenarios.some((sc) => sc.results.memory.ceiling?.clientBound || sc.ceiling?.clientBound), false);
  });

  it('does not grade noop: no cell grade, no SLO, no overall, no ratio to etcd, never below --fail-under', () => {
    const s = run(1, { runId: 'r', endOver: { 'noop/large-scale-load': { status: 'failed', checks: [{ name: 'read-your-write', ok: false, detail: 'x' }] } } });
    const noop = s.targets.find((t) => t.name === 'noop');
    assert.ok(noop);
    assert.equal(noop.ceiling, true);
    assert.equal(noop.overall, undefined);
    for (const sc of s.scenarios) {
      assert.equal(sc.results.noop.grade, undefined);
      assert.equal(sc.results.noop.slo, undefined);
      assert.equal(sc.results.noop.vsEtcd, undefined);
      assert.ok(sc.results.memory.grade);
    }
    // A failed noop scenario still gives its throughput as the ceiling.
    assert.equal(s.scenarios[0].ceiling?.opsPerSec, 2000);
    assert.deepEqual(targetsBelow(s, 'A+').map((t) => t.target), ['memory', 'etcd'].filter((n) => s.targets.find((t) => t.name === n)?.overall?.grade !== 'A+'));
    assert.equal(targetsBelow(s, 'A+').some((t) => t.target === 'noop'), false);
    // The memory ratio to etcd ignores noop altogether.
    assert.deepEqual(s.scenarios[0].results.memory.vsEtcd?.opsPerSec, 2);
  });

  it('takes the ceiling from a noop target that only failed its scenarios', () => {
    const s = run(6, { runId: 'r', endOver: { 'noop/large-scale-load': { status: 'failed' }, 'noop/txn-throughput': { status: 'failed' } } });
    assert.equal(s.ceilingTarget, 'noop');
    assert.equal(s.scenarios[1].ceiling?.opsPerSec, 6000);
  });

  it('gives no ceiling when noop did not finish the scenario, or did not run', () => {
    const cut = run(6, { runId: 'r', interrupted: ['noop'] });
    assert.ok(cut.scenarios[0].results.memory.ceiling);
    assert.equal(cut.scenarios[1].results.memory.ceiling, undefined);
    assert.equal(cut.scenarios[1].ceiling, undefined);
    const none = buildSummary(fixtureLoadedRun({ runId: 'r', targets: ['memory', 'etcd'] }));
    assert.equal(none.ceilingTarget, undefined);
    assert.equal(none.scenarios.some((sc) => Object.values(sc.results).some((c) => c.ceiling !== undefined)), false);
  });

  it('takes the fastest target even when it failed, but not an aborted one', () => {
    const s = run(6, { runId: 'r', endOver: { 'memory/txn-throughput': { status: 'failed' }, 'etcd/large-scale-load': { status: 'aborted', opsPerSec: 100_000 } } });
    const [large, txn] = s.scenarios;
    assert.equal(txn.ceiling?.fastest, 'memory');
    assert.equal(large.ceiling?.fastest, 'memory');
    assert.equal(large.ceiling?.ratio, 3);
  });
});

describe('report.md with a noop target', () => {
  it('shows the ceiling column, the mark with noop ÷ the target on the target at the ceiling only, the explanation and the ceiling table', () => {
    const md = renderMarkdown(run(2.4));
    assert.match(md, /\| Targets \| memory, etcd 3\.4\.23, noop \(no-op ceiling, not graded\) \|/);
    assert.match(md, /\| noop \| completed \| — \| not graded: a no-op server, the load generator's ceiling \|/);
    assert.match(md, /\| scenario \| memory \| etcd \| noop \(ceiling\) \|/);
    assert.match(md, /\| large-scale-load \| 4,000 · 10 \/ 40 · 2\.0× \/ 1\.0× etcd · \*\*client-bound \(at ceiling 1\.20×\)\*\* \| 2,000 · 10 \/ 40 \| 4,800 · 10 \/ 40 \|/);
    assert.match(md, /\| txn-throughput \| \*\*A\*\* · 0 errors · checks 1\/1 ✓ \| \*\*[A-F]\+?\*\* · 0 errors · checks 1\/1 ✓ \| not graded \(ceiling\) · 0 errors · checks 1\/1 ✓ \|/);
    assert.match(md, /Marked client-bound \(at ceiling N×\): this target came within 1\.25× of what the load generator \(.*\) reached against a no-op server/);
    assert.doesNotMatch(md, /Marked client-bound \(runner CPU/);
    assert.match(md, /## Load generator's ceiling/);
    assert.match(md, /\| large-scale-load \| 4,800 \| memory \| 4,000 \| 1\.20× \| \*\*client-bound\*\*: memory at the ceiling \(< 1\.25×\) \|/);
    assert.match(renderMarkdown(run(1.2)), /\| large-scale-load \| 2,400 \| memory \| 4,000 \| 0\.60× \| \*\*client-bound\*\*: memory, etcd at the ceiling \(< 1\.25×\) \|/);
    assert.doesNotMatch(md, /on \*\*noop\*\*/);
  });

  it('shows no mark when every target is below the ceiling and the runner had headroom', () => {
    const md = renderMarkdown(run(6));
    assert.doesNotMatch(md, /\*\*client-bound/);
    assert.doesNotMatch(md, /^Marked client-bound/m);
    assert.match(md, /\| txn-throughput \| 6,000 \| memory \| 2,000 \| 3\.00× \| below the ceiling \(≥ 1\.25× every target\) \|/);
  });

  it('marks a result whose runner used ≥ 90% of a core though the target is below the ceiling', () => {
    const md = renderMarkdown(run(6, { runId: 'r', endOver: { 'etcd/txn-throughput': { extra: { runnerCpuPercent: 96 } } } }));
    assert.match(md, /\| txn-throughput \| [^|]* \| 1,000 · 5\.0 \/ 20 · \*\*client-bound \(runner CPU 96%\)\*\* \|/);
    assert.match(md, /^Marked client-bound \(runner CPU N%\): the load generator/m);
    assert.doesNotMatch(md, /client-bound \(at ceiling/);
    assert.match(md, /\| txn-throughput \| 6,000 \| memory \| 2,000 \| 3\.00× \| below the ceiling/);
  });

  it('has no ceiling section without a noop target', () => {
    assert.doesNotMatch(renderMarkdown(buildSummary(fixtureLoadedRun({ runId: 'r' }))), /ceiling/i);
  });
});

describe('compare with a noop target', () => {
  it('says so when either side is client-bound, with each side ratio', () => {
    const a = run(6, { runId: 'a' });
    const b = run(2.4, { runId: 'b' });
    const c = compareRuns(a, b);
    const mem = c.rows.find((r) => r.scenario === 'large-scale-load' && r.target === 'memory');
    assert.ok(mem);
    assert.deepEqual(mem.clientBound, { b: 'at ceiling 1.20×' });
    assert.equal(c.rows.find((r) => r.scenario === 'large-scale-load' && r.target === 'etcd')?.clientBound, undefined, 'etcd is 2.4× below the ceiling');
    const noopRow = c.rows.find((r) => r.target === 'noop');
    assert.equal(noopRow?.clientBound, undefined);
    assert.equal(noopRow?.ceiling, true);
    assert.equal(mem.ceiling, undefined);
    const text = renderComparison(c);
    assert.match(text, /^large-scale-load\s+memory\s+4,000 → 4,000\s+\+0\.0%.*noise unknown; client-bound in B \(at ceiling 1\.20×\)$/m);
    assert.match(text, /^large-scale-load\s+noop \(ceiling\)\s+12,000 → 4,800/m);
    assert.match(text, /^2 rows client-bound in at least one run \(within 1\.25× of the no-op ceiling, or runner CPU ≥ 90% of a core\)/m);
    const both = compareRuns(b, run(1.2, { runId: 'c' }));
    assert.deepEqual(both.rows.find((r) => r.target === 'memory')?.clientBound, { a: 'at ceiling 1.20×', b: 'at ceiling 0.60×' });
    assert.deepEqual(both.rows.find((r) => r.target === 'etcd')?.clientBound, { b: 'at ceiling 1.20×' });
    assert.match(renderComparison(both), /client-bound in A \(at ceiling 1\.20×\) and B \(at ceiling 0\.60×\)/);
  });

  it('says nothing of the kind when neither side is client-bound', () => {
    const c = compareRuns(run(6, { runId: 'a' }), run(7, { runId: 'b' }));
    assert.equal(c.rows.some((r) => r.clientBound !== undefined), false);
    assert.doesNotMatch(renderComparison(c), /client-bound/);
  });
});
