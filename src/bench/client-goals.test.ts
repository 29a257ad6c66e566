import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateGoals, type Measured } from './client-goals.ts';

const row = (shape: string, opsPerSec: number, more: Partial<Measured> = {}): Measured => ({ target: 'etcd', shape, client: 'native', threads: 1, opsPerSec, status: 'passed', ...more });

describe('bench:client goals', () => {
  it('judges each goal on the etcd row of the native client with one thread; unmeasured ones say so', () => {
    const goals = evaluateGoals([
      row('put-50', 9000, { runnerCpuUsPerOp: 35, client: 'etcd3' }), // not the native client: ignored
      row('put-50', 8000, { runnerCpuUsPerOp: 38 }),
      row('put-20', 7000),
      row('txn-10', 3000),
      { ...row('rss', 0), target: 'memory', rssRatio: 1.05 },
    ]);
    assert.deepEqual(
      goals.map((g) => [g.measured, g.met]),
      [
        ['38 µs', true],
        ['7,000 /s', true],
        ['8,000 /s', false],
        ['3,000 /s', false],
        ['7,000 /s', true],
        ['-', undefined],
        ['3,000 /s', false],
        ['1.05×', true],
      ],
    );
  });
});
