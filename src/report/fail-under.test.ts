import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { applyFailUnder, targetsBelow } from './fail-under.ts';
import { loadRun } from '../state/load-run.ts';
import { buildSummary } from '../views/summary.ts';
import { fixtureRun } from './test-fixtures.ts';

let root: string;
let dir: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'metabench-failunder-'));
  // memory: A+ and A → overall A; etcd: A and B → overall B.
  dir = await fixtureRun(root, { runId: 'fu', targets: ['memory', 'etcd'], speed: { memory: 2 }, slowness: { memory: 0.5 } });
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('--fail-under', () => {
  it('lists the targets whose overall grade is below the bar', async () => {
    const s = buildSummary(await loadRun(dir));
    assert.deepEqual(targetsBelow(s, 'C'), []);
    assert.deepEqual(targetsBelow(s, 'B'), []);
    assert.deepEqual(
      targetsBelow(s, 'A').map((b) => b.line),
      ['--fail-under A: etcd is B (B: weakest of 2 scenarios is txn-throughput (B); others A ×1)'],
    );
    assert.deepEqual(
      targetsBelow(s, 'A+').map((b) => b.target),
      ['memory', 'etcd'],
    );
  });

  it('turns a completed run into exit 1 only when a target is below', async () => {
    const summary = buildSummary(await loadRun(dir));
    const lines: string[] = [];
    assert.equal(applyFailUnder(0, summary, 'B', (l) => lines.push(l)), 0);
    assert.equal(applyFailUnder(0, summary, 'A', (l) => lines.push(l)), 1);
    assert.equal(lines.length, 1);
    // No bar, or a run that already failed or was interrupted: the code stands.
    assert.equal(applyFailUnder(0, summary, undefined, () => {}), 0);
    assert.equal(applyFailUnder(130, summary, 'A+', () => {}), 130);
    assert.equal(applyFailUnder(1, summary, 'F', () => {}), 1);
  });
});
