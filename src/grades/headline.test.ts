// The headline operation type (issue 13 item 2): one named type per scenario gives every target's
// p99 and grade, so a row never compares compaction's single compact RPC on one target with its
// overwrite pass on another.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { latency } from '../state/fixtures.ts';
import { headlineLatency } from './headline.ts';
import { gradeOutcome } from './scenario-grade.ts';

const SLO = { maxErrorRate: 0.01, maxP99Ms: 200, minOpsPerSec: 100 };

describe('headlineLatency', () => {
  // Target A: compact was slow (one sample); target B: overwrite was slow.
  const a = { put: latency(10, 80), overwrite: latency(10, 40), compact: latency(170, 170, 1), get: latency(5, 30) };
  const b = { put: latency(10, 80), overwrite: latency(20, 150), compact: latency(20, 20, 1), get: latency(5, 30) };

  it('takes the named type for every target', () => {
    assert.deepEqual(headlineLatency(a, 'overwrite'), { op: 'overwrite', p50Ms: 10, p99Ms: 40 });
    assert.deepEqual(headlineLatency(b, 'overwrite'), { op: 'overwrite', p50Ms: 20, p99Ms: 150 });
  });
  it('without a name, the worst type — which differs by target (the problem the name solves)', () => {
    assert.equal(headlineLatency(a)?.op, 'compact');
    assert.equal(headlineLatency(b)?.op, 'overwrite');
  });
  it('falls back to the worst type when the named one has no samples', () => {
    assert.equal(headlineLatency({ put: latency(1, 9), get: latency(1, 3) }, 'watch-delivery')?.op, 'put');
  });
  it('is what the grade judges', () => {
    const figures = { status: 'passed' as const, ops: 2000, opsPerSec: 1000, errors: { total: 0, byKind: {} }, checks: [], latency: a };
    assert.match(gradeOutcome({ ...figures, headline: 'overwrite' }, SLO).reason, /p99 40 ms ≤ 200 ms/);
    assert.match(gradeOutcome(figures, SLO).reason, /p99 170 ms ≤ 200 ms/);
  });
});
