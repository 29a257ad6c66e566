import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Check } from '../events/schema.ts';
import { gradeRank } from './letters.ts';
import { gradeCause, gradeScenario, type GradeInput } from './rubric.ts';

const SLO = { maxErrorRate: 0.01, maxP99Ms: 200, minOpsPerSec: 500 };
const ok: Check = { name: 'read-your-write', ok: true, detail: '50,000 reads matched' };

/** A comfortable A+ scenario; each row changes one figure. */
function input(over: Partial<GradeInput> = {}): GradeInput {
  return { status: 'passed', ops: 100_000, errors: 0, opsPerSec: 100_000, p99Ms: 1, checks: [ok], slo: SLO, ...over };
}

describe('gradeScenario bands', () => {
  // Every band edge on each judged metric, one value on the edge and one just past it.
  const rows: Array<[string, Partial<GradeInput>, string]> = [
    ['p99 at 8× headroom', { p99Ms: 25 }, 'A+'],
    ['p99 just under 8×', { p99Ms: 25.001 }, 'A'],
    ['p99 at 4×', { p99Ms: 50 }, 'A'],
    ['p99 just under 4×', { p99Ms: 50.001 }, 'B'],
    ['p99 at 2×', { p99Ms: 100 }, 'B'],
    ['p99 just under 2×', { p99Ms: 100.001 }, 'C'],
    ['p99 exactly at the SLO', { p99Ms: 200 }, 'C'],
    ['p99 just over the SLO', { p99Ms: 200.001 }, 'D'],
    ['p99 at twice the SLO', { p99Ms: 400 }, 'D'],
    ['p99 past twice the SLO', { p99Ms: 400.001 }, 'F'],
    ['p99 of zero', { p99Ms: 0 }, 'A+'],
    ['throughput at 8× floor', { opsPerSec: 4000 }, 'A+'],
    ['throughput just under 8×', { opsPerSec: 3999.99 }, 'A'],
    ['throughput at 4×', { opsPerSec: 2000 }, 'A'],
    ['throughput just under 4×', { opsPerSec: 1999.99 }, 'B'],
    ['throughput at 2×', { opsPerSec: 1000 }, 'B'],
    ['throughput just under 2×', { opsPerSec: 999.99 }, 'C'],
    ['throughput exactly at the floor', { opsPerSec: 500 }, 'C'],
    ['throughput just under the floor', { opsPerSec: 499.99 }, 'D'],
    ['throughput at half the floor', { opsPerSec: 250 }, 'D'],
    ['throughput under half the floor', { opsPerSec: 249.99 }, 'F'],
    ['no errors', { errors: 0 }, 'A+'],
    ['errors at 1/8 of the budget', { errors: 125 }, 'A+'],
    ['errors just over 1/8', { errors: 126 }, 'A'],
    ['errors at 1/4 of the budget', { errors: 250 }, 'A'],
    ['errors just over 1/4', { errors: 251 }, 'B'],
    ['errors at half the budget', { errors: 500 }, 'B'],
    ['errors just over half', { errors: 501 }, 'C'],
    ['errors exactly at the budget', { errors: 1000 }, 'C'],
    ['errors just over the budget', { errors: 1001 }, 'D'],
    ['errors at twice the budget', { errors: 2000 }, 'D'],
    ['errors past twice the budget', { errors: 2001 }, 'F'],
    ['the weakest metric decides', { p99Ms: 30, opsPerSec: 1500, errors: 10 }, 'B'],
  ];
  for (const [name, over, want] of rows) {
    it(`${name} → ${want}`, () => {
      assert.equal(gradeScenario(input(over)).grade, want);
    });
  }
});

describe('gradeScenario gates', () => {
  const rows: Array<[string, Partial<GradeInput>, string]> = [
    ['a failed check', { checks: [ok, { name: 'watch-exactly-once', ok: false, detail: '3 events lost' }] }, 'F: check watch-exactly-once failed (3 events lost)'],
    [
      'two failed checks',
      { status: 'failed', checks: [{ name: 'a', ok: false, detail: 'x' }, { name: 'b', ok: false, detail: 'multi\nline' }] },
      'F: 2 checks failed: a (x), b (multi line)',
    ],
    ['a crash', { status: 'failed', error: 'target went away' }, 'F: scenario failed: target went away'],
    ['a failure without a reason', { status: 'failed' }, 'F: scenario failed (crash or error)'],
    ['an interrupted scenario', { status: 'aborted', error: 'interrupted' }, 'F: scenario aborted before completion: interrupted'],
    ['no operations', { ops: 0, opsPerSec: 0 }, 'F: no operations completed'],
    ['a NaN measurement', { p99Ms: Number.NaN }, 'F: invalid measurement (errors 0, ops/s 100000, p99 NaN)'],
  ];
  for (const [name, over, want] of rows) {
    it(`${name} is F`, () => {
      assert.deepEqual(gradeScenario(input(over)), { grade: 'F', reason: want });
    });
  }
});

describe('gradeScenario SLO coverage', () => {
  it('caps a scenario without latency or throughput SLO at C', () => {
    assert.deepEqual(gradeScenario(input({ slo: { maxErrorRate: 0.01 } })), {
      grade: 'C',
      reason: 'C: no latency or throughput SLO declared, capped at C; 0 errors, p99 1.0 ms, 100,000 ops/s',
    });
  });
  it('keeps a worse grade under the cap', () => {
    assert.equal(gradeScenario(input({ slo: { maxErrorRate: 0.01 }, errors: 1500 })).grade, 'D');
  });
  it('grades with no SLO at all as C', () => {
    assert.equal(gradeScenario(input({ slo: {} })).grade, 'C');
  });
  it('judges a single declared SLO and ignores unknown keys', () => {
    assert.equal(gradeScenario(input({ slo: { maxP99Ms: 200, somethingElse: 1 }, p99Ms: 60 })).grade, 'B');
  });
  it('fails any error against a zero error budget', () => {
    assert.equal(gradeScenario(input({ slo: { ...SLO, maxErrorRate: 0 }, errors: 1 })).grade, 'F');
    assert.equal(gradeScenario(input({ slo: { ...SLO, maxErrorRate: 0 }, errors: 0 })).grade, 'A+');
  });
  it('is exact on edges reached through float division', () => {
    // 0.02 / (250 / 100000) and 0.01 / (1/800) are not exact in binary floating point.
    assert.equal(gradeScenario(input({ slo: { ...SLO, maxErrorRate: 0.02 }, errors: 250 })).grade, 'A+');
    assert.equal(gradeScenario(input({ ops: 800, errors: 1, slo: { ...SLO } })).grade, 'A+');
  });
});

describe('gradeScenario reasons', () => {
  it('reads like the issue example when every SLO has room', () => {
    assert.deepEqual(gradeScenario(input({ p99Ms: 14, opsPerSec: 9800 })), {
      grade: 'A+',
      reason: 'A+: every SLO met, weakest p99 14.3×; 0 errors, p99 14 ms ≤ 200 ms, 9,800 ops/s = 19.6× floor',
    });
  });
  it('names the weakest metric below A+', () => {
    assert.deepEqual(gradeScenario(input({ p99Ms: 40, opsPerSec: 2400 })), {
      grade: 'A',
      reason: 'A: every SLO met, weakest throughput 4.8×; 0 errors, p99 40 ms ≤ 200 ms, 2,400 ops/s = 4.8× floor',
    });
  });
  it('says which SLO was missed and by how much', () => {
    assert.deepEqual(gradeScenario(input({ errors: 1200, p99Ms: 340, opsPerSec: 180, slo: { maxErrorRate: 0.01, maxP99Ms: 300, minOpsPerSec: 200 } })), {
      grade: 'D',
      reason: 'D: errors SLO missed by 1.2×; 1,200 errors = 1.2% > 1%, p99 340 ms > 300 ms, 180 ops/s < floor 200 (0.90×)',
    });
  });
  it('leads with what set the grade, for status lines', () => {
    assert.equal(gradeCause(gradeScenario(input({ p99Ms: 20, opsPerSec: 247, slo: SLO })).reason), 'F: throughput SLO missed by 2.0×');
    assert.equal(gradeCause('F: check watch-exactly-once failed (3 events lost)'), 'F: check watch-exactly-once failed (3 events lost)');
  });
  it('shows tiny error rates without rounding them to zero', () => {
    assert.match(gradeScenario(input({ ops: 1_000_000, errors: 1 })).reason, /1 error = 0\.0001% ≤ 1%/);
  });
  it('is deterministic', () => {
    const a = gradeScenario(input({ p99Ms: 77.7, opsPerSec: 1234.5, errors: 17 }));
    const b = gradeScenario(input({ p99Ms: 77.7, opsPerSec: 1234.5, errors: 17 }));
    assert.deepEqual(a, b);
  });
});

describe('gradeScenario properties', () => {
  // Improving any one figure (fewer errors, lower p99, more ops/s) never lowers the grade.
  it('is monotonic in every judged figure', () => {
    const figures = fc.record({
      errors: fc.integer({ min: 0, max: 5000 }),
      p99Ms: fc.double({ min: 0, max: 1000, noNaN: true }),
      opsPerSec: fc.double({ min: 0, max: 20_000, noNaN: true }),
    });
    fc.assert(
      fc.property(figures, fc.double({ min: 0, max: 1, noNaN: true }), (f, k) => {
        const base = gradeScenario(input(f));
        const better = [
          input({ ...f, errors: Math.floor(f.errors * k) }),
          input({ ...f, p99Ms: f.p99Ms * k }),
          input({ ...f, opsPerSec: f.opsPerSec / Math.max(k, 1e-9) }),
        ];
        for (const b of better) assert.ok(gradeRank(gradeScenario(b).grade) <= gradeRank(base.grade), `${JSON.stringify(b)} vs ${base.reason}`);
      }),
      { seed: 20261125, numRuns: 500 },
    );
  });

  it('starts every reason with its letter and keeps it on one line', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.double({ min: 0, max: 1e4, noNaN: true }), fc.double({ min: 0, max: 1e6, noNaN: true }), (errors, p99Ms, opsPerSec) => {
        const g = gradeScenario(input({ errors, p99Ms, opsPerSec }));
        assert.ok(g.reason.startsWith(`${g.grade}: `));
        assert.ok(!g.reason.includes('\n'));
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});
