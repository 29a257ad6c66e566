// The noop target in the reducer and the results table: its kind from the manifest or run-start,
// its cells ungraded, and the client-bound mark on the other targets' cells.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { finishedRun, targetRun } from '../state/fixtures.ts';
import { initialRunState, reduceRunEvents } from '../state/run-state.ts';
import { isClientBound, targetsAtCeiling } from './ceiling.ts';
import { ceilingTarget, isCeilingTarget, resultRows } from './results.ts';

// Fixture figures: memory 250, rocksdb 125, etcd 500 ops/s (etcd fastest); noop 250 × scale.
const withNoop = (scale: number) => reduceRunEvents(initialRunState(), [...finishedRun(), ...targetRun('noop', 36, { scale, end: 'completed' })]);

describe('state: the noop target', () => {
  it('is known as the ceiling from run-start', () => {
    const s = withNoop(6);
    assert.equal(ceilingTarget(s), 'noop');
    assert.equal(isCeilingTarget(s, 'noop'), true);
    assert.equal(isCeilingTarget(s, 'etcd'), false);
  });

  it('is known as the ceiling from the manifest before it starts, whatever its name', () => {
    const s = initialRunState({ targets: [{ name: 'memory', kind: 'memory' }, { name: 'harness', kind: 'noop' }], scenarios: ['s1'] });
    assert.equal(s.targets.harness.targetKind, 'noop');
    assert.equal(isCeilingTarget(s, 'harness'), true);
    // The ceiling figures come from it only once it has finished a scenario.
    assert.equal(ceilingTarget(s), undefined);
    // An unknown kind (a newer run.json) is left unset rather than trusted.
    assert.equal(initialRunState({ targets: [{ name: 'x', kind: 'quantum' }] }).targets.x.targetKind, undefined);
  });

  // noop ÷ etcd = scale ÷ 2, noop ÷ memory = scale, noop ÷ rocksdb = 2 × scale: a target is at
  // the ceiling when its ratio is under 1.25.
  const cases = [
    { scale: 6, ratio: 3, atCeiling: [] },
    { scale: 2.5, ratio: 1.25, atCeiling: [] },
    { scale: 2.4, ratio: 1.2, atCeiling: ['etcd'] },
    { scale: 1.2, ratio: 0.6, atCeiling: ['memory', 'etcd'] },
    { scale: 0.5, ratio: 0.25, atCeiling: ['memory', 'rocksdb', 'etcd'] },
  ];
  for (const c of cases) {
    it(`noop at ${c.scale}× memory: ceiling ${c.ratio}× the fastest (etcd), at the ceiling: ${c.atCeiling.join(', ') || 'none'}`, () => {
      const rows = resultRows(withNoop(c.scale));
      for (const r of rows) {
        assert.ok(r.ceiling, r.name);
        assert.ok(Math.abs(r.ceiling.ratio - c.ratio) < 1e-9, `${r.name}: ${r.ceiling.ratio}`);
        assert.equal(r.ceiling.clientBound, c.atCeiling.includes('etcd'), 'the scenario verdict: the fastest reached it');
        assert.equal(r.ceiling.fastest, 'etcd');
        for (const t of ['memory', 'rocksdb', 'etcd']) {
          assert.deepEqual(r.results[t].ceiling, { opsPerSec: r.ceiling.opsPerSec, ratio: r.ceiling.ratio, clientBound: c.atCeiling.includes(t) }, `${r.name}/${t}`);
          assert.equal(isClientBound(r.results[t]), c.atCeiling.includes(t), `${r.name}/${t}`);
        }
        assert.deepEqual(targetsAtCeiling(r.results), c.atCeiling);
        assert.equal(r.results.noop.ceiling, undefined);
        assert.equal(r.results.noop.grade, undefined, 'noop is not graded');
        assert.equal(r.results.noop.vsEtcd, undefined, 'noop has no ratio to etcd');
        assert.equal(r.results.memory.grade?.grade, 'A');
      }
    });
  }

  it('gives no mark while noop has not finished the scenario', () => {
    const s = reduceRunEvents(initialRunState(), [...finishedRun(), ...targetRun('noop', 36, { scale: 5, stopAfter: 6 })]);
    const rows = resultRows(s);
    assert.ok(rows[0].ceiling);
    assert.equal(rows[1].ceiling, undefined);
    assert.equal(rows[1].results.memory.ceiling, undefined);
  });
});
