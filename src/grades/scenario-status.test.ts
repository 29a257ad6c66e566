import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scenarioStatus } from './scenario-status.ts';

const slo = { maxErrorRate: 0.01 };
const errors = (total: number, byKind: Record<string, number> = total > 0 ? { GRPCUnavailableError: total } : {}) => ({ total, byKind });

describe('scenarioStatus', () => {
  it('keeps a pass within the SLO, exactly at the limit included', () => {
    assert.deepEqual(scenarioStatus({ status: 'passed', ops: 100, errors: errors(0) }, slo), { status: 'passed' });
    assert.deepEqual(scenarioStatus({ status: 'passed', ops: 100, errors: errors(1) }, slo), { status: 'passed' });
  });

  it('fails over the limit, with no success, or with nothing attempted', () => {
    assert.deepEqual(scenarioStatus({ status: 'passed', ops: 100, errors: errors(2) }, slo), {
      status: 'failed',
      error: "error rate 2% (2 of 100 operations failed: 2 GRPCUnavailableError) is over the SLO's maxErrorRate 1%",
    });
    assert.deepEqual(scenarioStatus({ status: 'passed', ops: 82, errors: errors(82) }, {}), { status: 'failed', error: 'no successful operation: 82 of 82 failed: 82 GRPCUnavailableError' });
    assert.deepEqual(scenarioStatus({ status: 'passed', ops: 0, errors: errors(0) }, slo), { status: 'failed', error: 'no operation was attempted' });
  });

  it('names the three most frequent kinds, and how many more', () => {
    const byKind = { a: 1, b: 5, c: 3, d: 2, e: 1 };
    assert.equal(scenarioStatus({ status: 'passed', ops: 12, errors: errors(12, byKind) }, slo).error, 'no successful operation: 12 of 12 failed: 5 b, 3 c, 2 d, 2 more kinds');
  });

  it('leaves failed and aborted scenarios as they are', () => {
    assert.deepEqual(scenarioStatus({ status: 'aborted', ops: 0, errors: errors(0), error: 'interrupted' }, slo), { status: 'aborted', error: 'interrupted' });
    assert.deepEqual(scenarioStatus({ status: 'failed', ops: 10, errors: errors(10), error: 'check x failed' }, slo), { status: 'failed', error: 'check x failed' });
  });
});
