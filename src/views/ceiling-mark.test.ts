import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLIENT_BOUND_RATIO, RUNNER_BOUND_CPU_PERCENT, RUNNER_BOUND_EXPLANATION, ceilingMark, clientBoundNotes, clientBoundText, fmtCeilingRatio, isClientBound, isNoopKind } from './ceiling.ts';

describe('ceilingMark: client-bound when the no-op ceiling is under 3× the fastest target', () => {
  const cases: Array<{ name: string; noop: number | undefined; fastest: number | undefined; want: { ratio: number; clientBound: boolean } | undefined }> = [
    { name: 'exactly 3× is not client-bound (the goal is ≥ 3×)', noop: 3000, fastest: 1000, want: { ratio: 3, clientBound: false } },
    { name: 'just under 3× is client-bound', noop: 2999.999, fastest: 1000, want: { ratio: 2.999999, clientBound: true } },
    { name: 'just over 3× is not', noop: 3000.001, fastest: 1000, want: { ratio: 3.000001, clientBound: false } },
    { name: 'ceiling equal to the target', noop: 950, fastest: 950, want: { ratio: 1, clientBound: true } },
    { name: 'target faster than the ceiling (noise)', noop: 900, fastest: 1200, want: { ratio: 0.75, clientBound: true } },
    { name: 'far above', noop: 100_000, fastest: 1000, want: { ratio: 100, clientBound: false } },
    { name: 'no ceiling figure', noop: undefined, fastest: 1000, want: undefined },
    { name: 'no target figure', noop: 3000, fastest: undefined, want: undefined },
    { name: 'fastest target 0 ops/s: no ratio', noop: 3000, fastest: 0, want: undefined },
    { name: 'ceiling 0 ops/s: no ratio', noop: 0, fastest: 1000, want: undefined },
    { name: 'NaN: no ratio', noop: Number.NaN, fastest: 1000, want: undefined },
    { name: 'infinite target: no ratio', noop: 3000, fastest: Number.POSITIVE_INFINITY, want: undefined },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = ceilingMark(c.noop, c.fastest);
      if (c.want === undefined) return assert.equal(got, undefined);
      assert.ok(got);
      assert.equal(got.opsPerSec, c.noop);
      assert.ok(Math.abs(got.ratio - c.want.ratio) < 1e-9, `ratio ${got.ratio} vs ${c.want.ratio}`);
      assert.equal(got.clientBound, c.want.clientBound);
    });
  }

  it('the threshold is the issue rule, 3', () => assert.equal(CLIENT_BOUND_RATIO, 3));
});

describe('isNoopKind and clientBoundText', () => {
  it('recognises only the noop kind', () => {
    assert.deepEqual(['noop', 'memory', 'etcd', 'endpoint', 'NOOP', undefined].map(isNoopKind), [true, false, false, false, false, false]);
  });
  it('says client-bound with the ratio only when marked', () => {
    assert.equal(clientBoundText({ ceiling: { opsPerSec: 1200, ratio: 1.2, clientBound: true } }), 'client-bound (ceiling 1.20×)');
    assert.equal(clientBoundText({ ceiling: { opsPerSec: 4000, ratio: 4, clientBound: false } }), '');
    assert.equal(clientBoundText(undefined), '');
  });
  it('marks a cell whose runner used ≥ 90% of a core, without any noop target (issue 13 item 7)', () => {
    assert.equal(RUNNER_BOUND_CPU_PERCENT, 90);
    assert.equal(clientBoundText({ runnerCpuPercent: 96.4 }), 'client-bound (runner CPU 96%)');
    assert.equal(isClientBound({ runnerCpuPercent: 90 }), true);
    assert.equal(isClientBound({ runnerCpuPercent: 89.9 }), false);
    assert.equal(clientBoundText({ runnerCpuPercent: 95, ceiling: { opsPerSec: 1200, ratio: 1.2, clientBound: true } }), 'client-bound (ceiling 1.20×, runner CPU 95%)');
    assert.deepEqual(clientBoundNotes([{ runnerCpuPercent: 95 }, {}]), [RUNNER_BOUND_EXPLANATION]);
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
