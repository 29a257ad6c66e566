// scenario-end `extra.serverCpuUsPerOp` (server CPU µs per operation) in every view that shows
// a scenario's figures: the summary.json cell, report.md and (Dashboard.test.tsx) the detail view.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { renderMarkdown } from '../report/markdown.ts';
import { fixtureLoadedRun } from '../report/test-fixtures.ts';
import { buildSummary } from './summary.ts';

it('carries server CPU per op into summary.json and report.md, with its unit', () => {
  const s = buildSummary(fixtureLoadedRun({ runId: 'cpu', endOver: { 'memory/large-scale-load': { extra: { serverCpuUsPerOp: 38.2 } } } }));
  const large = s.scenarios.find((sc) => sc.name === 'large-scale-load');
  assert.equal(large?.results.memory.serverCpuUsPerOp, 38.2);
  assert.equal(large?.results.etcd.serverCpuUsPerOp, undefined);
  const md = renderMarkdown(s);
  assert.match(md, /\| large-scale-load \| 2,000 · 10 \/ 40 · 1\.0× \/ 1\.0× etcd · server CPU 38 µs\/op \| 2,000 · 10 \/ 40 \|/);
});
