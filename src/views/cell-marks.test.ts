// The marks a results cell carries besides its figures (issue 13): `cb` when the runner's own CPU
// was at ≥ 90% of a core (no noop target needed), and the own-SLO mark when a user gave the
// target its own SLO in the scenario file.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunnerEvent } from '../events/schema.ts';
import { finishedRun } from '../state/fixtures.ts';
import { initialRunState, reduceRunEvents } from '../state/run-state.ts';
import { isClientBound } from './ceiling.ts';
import { resultRows } from './results.ts';

/** The fixture run with memory's large-scale-load runner at `cpu` % of a core. */
function withRunnerCpu(cpu: number): RunnerEvent[] {
  return finishedRun().map((e) => (e.kind === 'scenario-end' && e.target === 'memory' && e.scenario === 'large-scale-load' ? { ...e, extra: { ...(e.extra ?? {}), runnerCpuPercent: cpu } } : e));
}

describe('the client-bound rule from the runner CPU', () => {
  it('marks the cell at ≥ 90% of a core without any noop target, and only that cell', () => {
    const rows = resultRows(reduceRunEvents(initialRunState(), withRunnerCpu(93.5)));
    const load = rows.find((r) => r.name === 'large-scale-load')!;
    assert.equal(load.results.memory.runnerCpuPercent, 93.5);
    assert.equal(isClientBound(load.results.memory), true);
    assert.equal(isClientBound(load.results.etcd), false);
    assert.equal(load.ceiling, undefined, 'no noop ran: no ceiling');
  });
  it('leaves a cell at 89% unmarked', () => {
    const rows = resultRows(reduceRunEvents(initialRunState(), withRunnerCpu(89)));
    assert.equal(isClientBound(rows[0].results.memory), false);
  });
});

describe('own SLO mark', () => {
  const plan = (sloByTarget: Record<string, object>) => ({
    targets: [
      { name: 'memory', kind: 'memory' },
      { name: 'rocksdb', kind: 'rocksdb' },
      { name: 'etcd', kind: 'etcd' },
    ],
    scenarios: [{ name: 'large-scale-load', sloByTarget }, { name: 'sustained-load' }, { name: 'mixed-workload' }],
  });
  it('is absent by default: one SLO per scenario for every target', () => {
    const rows = resultRows(reduceRunEvents(initialRunState(plan({})), finishedRun()));
    for (const r of rows) for (const c of Object.values(r.results)) assert.equal(c.ownSlo, undefined, r.name);
  });
  it('marks exactly the cells of a target a user gave its own SLO', () => {
    const rows = resultRows(reduceRunEvents(initialRunState(plan({ rocksdb: { maxP99Ms: 300 } })), finishedRun()));
    const marked = rows.flatMap((r) => Object.entries(r.results).filter(([, c]) => c.ownSlo).map(([t]) => `${r.name}/${t}`));
    assert.deepEqual(marked, ['large-scale-load/rocksdb']);
  });
});
