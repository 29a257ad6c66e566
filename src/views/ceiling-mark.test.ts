import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REACHED_CEILING_MARGIN, RUNNER_BOUND_CPU_PERCENT, ceilingMark, ceilingVerdict, clientBoundExplanation, clientBoundNotes, clientBoundReasons, clientBoundText, fmtCeilingRatio, isClientBound, isNoopKind, reachedCeiling, runnerBoundExplanation } from './ceiling.ts';

describe('reachedCeiling: the noop figure under 1.25× the target\'s', () => {
  const cases: Array<{ name: string; noop: number | undefined; target: number | undefined; want: boolean }> = [
    { name: 'exactly 1.25× has not reached it (the rule is "under")', noop: 1250, target: 1000, want: false },
    { name: 'just under 1.25× has', noop: 1249.999, target: 1000, want: true },
    { name: 'just over 1.25× has not', noop: 1250.001, target: 1000, want: false },
    { name: 'equal to the ceiling', noop: 950, target: 950, want: true },
    { name: 'faster than the ceiling (noise)', noop: 900, target: 1200, want: true },
    { name: 'half the ceiling', noop: 2000, target: 1000, want: false },
    { name: 'no ceiling figure', noop: undefined, target: 1000, want: false },
    { name: 'no target figure', noop: 1000, target: undefined, want: false },
    { name: 'target 0 ops/s', noop: 1000, target: 0, want: false },
    { name: 'NaN', noop: Number.NaN, target: 1000, want: false },
  ];
  for (const c of cases) it(c.name, () => assert.equal(reachedCeiling(c.noop, c.target), c.want));
  it('the margin is 1.25', () => assert.equal(REACHED_CEILING_MARGIN, 1.25));
});

describe('ceilingMark: the ratio to the fastest is information, the verdict is the cell\'s own', () => {
  it('a cell well below the ceiling on a scenario whose fastest target reached it is not marked', () => {
    // The old rule (noop ≥ 3× the fastest) marked both: 2.0× here.
    const fast = ceilingMark(10_000, 5000, 5000);
    const slow = ceilingMark(10_000, 5000, 2000);
    assert.deepEqual(fast, { opsPerSec: 10_000, ratio: 2, clientBound: false });
    assert.deepEqual(slow, { opsPerSec: 10_000, ratio: 2, clientBound: false });
    assert.deepEqual(ceilingMark(10_000, 8500, 8500), { opsPerSec: 10_000, ratio: 10_000 / 8500, clientBound: true });
    assert.deepEqual(ceilingMark(10_000, 8500, 4000)?.clientBound, false);
  });
  it('without a target figure it judges the fastest (the scenario\'s verdict)', () => {
    assert.equal(ceilingMark(1200, 1000)?.clientBound, true);
    assert.equal(ceilingMark(3000, 1000)?.clientBound, false);
  });
  it('gives no mark when no ratio can be taken', () => {
    for (const [noop, fastest] of [[undefined, 1000], [3000, undefined], [3000, 0], [0, 1000], [Number.NaN, 1000], [3000, Number.POSITIVE_INFINITY]] as const) {
      assert.equal(ceilingMark(noop, fastest), undefined, `${noop} / ${fastest}`);
    }
  });
});

describe('the client-bound rule: runner CPU, reached the ceiling, or neither', () => {
  // The header's worked example: noop 10,000 ops/s, memory 8,500, etcd 4,000.
  const noop = { opsPerSec: 10_000, ratio: 10_000 / 8500, clientBound: true };
  it('marks a target that reached the ceiling, with noop ÷ its own figure (rounded down)', () => {
    const memory = { opsPerSec: 8500, ceiling: noop, runnerCpuPercent: 60 };
    assert.deepEqual(clientBoundReasons(memory), ['ceiling']);
    assert.equal(clientBoundText(memory), 'client-bound (at ceiling 1.17×)');
  });
  it('leaves a target well below the ceiling unmarked while its runner has headroom', () => {
    const etcd = { opsPerSec: 4000, ceiling: noop, runnerCpuPercent: 60 };
    assert.equal(isClientBound(etcd), false);
    assert.equal(clientBoundText(etcd), '');
    assert.equal(isClientBound({ opsPerSec: 8000, ceiling: noop }), false, 'exactly 1.25×');
  });
  it('marks a cell whose runner used ≥ 90% of a core, with or without a noop target', () => {
    assert.equal(RUNNER_BOUND_CPU_PERCENT, 90);
    assert.equal(clientBoundText({ runnerCpuPercent: 96.4 }), 'client-bound (runner CPU 96%)');
    assert.equal(isClientBound({ runnerCpuPercent: 90 }), true);
    assert.equal(isClientBound({ runnerCpuPercent: 89.9 }), false);
    assert.equal(clientBoundText({ opsPerSec: 4000, ceiling: noop, runnerCpuPercent: 93 }), 'client-bound (runner CPU 93%)');
    assert.equal(clientBoundText({ opsPerSec: 9000, ceiling: noop, runnerCpuPercent: 95 }), 'client-bound (at ceiling 1.11×, runner CPU 95%)');
  });
  it('judges the figures, not a stored verdict (summary.json written under the 3× rule)', () => {
    const old = { opsPerSec: 4000, ceiling: { opsPerSec: 10_000, ratio: 2.5, clientBound: true } };
    assert.equal(isClientBound(old), false);
    assert.equal(isClientBound({ ...old, ceiling: { ...old.ceiling, clientBound: false }, opsPerSec: 9000 }), true);
    assert.equal(clientBoundText(undefined), '');
  });
  it('explains each reason present once, naming the run\'s client', () => {
    assert.deepEqual(clientBoundNotes([{ runnerCpuPercent: 95 }, {}]), [runnerBoundExplanation()]);
    assert.deepEqual(clientBoundNotes([{ opsPerSec: 9000, ceiling: noop }, { runnerCpuPercent: 95 }, { opsPerSec: 9500, ceiling: noop }], 'native'), [clientBoundExplanation('native'), runnerBoundExplanation('native')]);
    assert.match(clientBoundExplanation('native'), /^client-bound \(at ceiling N×\): this target came within 1\.25× of what the load generator \(the native client\) reached against a no-op server/);
    assert.match(runnerBoundExplanation(), /the load generator \(metabench's client\) used ≥ 90% of a core/);
    assert.doesNotMatch(clientBoundExplanation('native') + runnerBoundExplanation('native'), /etcd3/);
  });
  it('names the targets at the ceiling in a scenario\'s verdict', () => {
    const results = { memory: { opsPerSec: 8500, ceiling: noop }, etcd: { opsPerSec: 4000, ceiling: noop, runnerCpuPercent: 95 }, noop: { opsPerSec: 10_000 } };
    assert.deepEqual(ceilingVerdict(results), { atCeiling: ['memory'], text: 'memory at the ceiling (< 1.25×)' });
    assert.deepEqual(ceilingVerdict({ etcd: results.etcd }), { atCeiling: [], text: 'below the ceiling (≥ 1.25× every target)' });
  });
});

describe('isNoopKind', () => {
  it('recognises only the noop kind', () => {
    assert.deepEqual(['noop', 'memory', 'etcd', 'endpoint', 'NOOP', undefined].map(isNoopKind), [true, false, false, false, false, false]);
  });
});

describe('fmtCeilingRatio never shows a ratio on the wrong side of the threshold', () => {
  const cases: Array<[number, string]> = [
    [3, '3.00×'],
    [2.996, '2.99×'],
    [2.9999999, '2.99×'],
    [3.004, '3.00×'],
    [0.29, '0.29×'],
    [1.2, '1.20×'],
    [12.345, '12.34×'],
    [150, '150×'],
  ];
  for (const [x, want] of cases) it(`${x} → ${want}`, () => assert.equal(fmtCeilingRatio(x), want));
});
