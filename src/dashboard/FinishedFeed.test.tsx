// The status line of a finished scenario: `✅ … passed … F` must say what set the F (issue 13 item 1).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gradeScenario } from '../grades/rubric.ts';
import { FinishedFeed } from './FinishedFeed.tsx';
import { renderAt, stripAnsi } from './test-render.ts';

describe('FinishedFeed', () => {
  it('gives the cause next to a D or F, and only the letter above', () => {
    const f = gradeScenario({ status: 'passed', ops: 1000, errors: 0, opsPerSec: 247, p99Ms: 113, checks: [], slo: { maxErrorRate: 0.01, maxP99Ms: 200, minOpsPerSec: 500 } });
    const a = gradeScenario({ status: 'passed', ops: 1000, errors: 0, opsPerSec: 4000, p99Ms: 10, checks: [], slo: { maxErrorRate: 0.01, maxP99Ms: 200, minOpsPerSec: 500 } });
    const feed = [
      { key: 'memory/a', target: 'memory', scenario: 'large-scale-load', state: 'passed' as const, opsPerSec: 247, p99Ms: 113, grade: f.grade, gradeCause: f.reason.split('; ')[0].slice(3) },
      { key: 'memory/b', target: 'memory', scenario: 'sustained-load', state: 'passed' as const, opsPerSec: 4000, p99Ms: 10, grade: a.grade, gradeCause: 'every SLO met' },
    ];
    const r = renderAt(<FinishedFeed feed={feed} />, 160, 10);
    const lines = stripAnsi(r.lastFrame()).split('\n');
    r.unmount();
    assert.match(lines[0], /large-scale-load · passed · 247 ops\/s · p99 113 ms · F \(throughput SLO missed by 2\.0×\)$/);
    assert.match(lines[1], /sustained-load · passed · 4,000 ops\/s · p99 10 ms · A\+$/);
  });
});
