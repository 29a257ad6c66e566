// The dashboard in a run with repeats (`--repeat N`): the header names the repeat, and each
// results cell shows its median throughput with the spread over the repeats.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixtureLoadedRun } from '../report/test-fixtures.ts';
import { resultRows } from '../views/results.ts';
import { Header } from './Header.tsx';
import { ResultsTable } from './ResultsTable.tsx';
import { renderAt, stripAnsi } from './test-render.ts';

describe('dashboard with repeats', () => {
  // Three repeats of memory, ops/s 1,800 / 2,000 / 2,400 on large-scale-load: median 2,000 ±15%.
  const run = fixtureLoadedRun({ runId: 'rep', targets: ['memory'], repeats: [0.9, 1, 1.2] }).state;

  it('shows the median with its spread in the results table', () => {
    const r = renderAt(<ResultsTable rows={resultRows(run)} targets={run.targetOrder} width={120} maxRows={10} />, 120, 10);
    const lines = stripAnsi(r.lastFrame()).split('\n');
    r.unmount();
    assert.match(lines.find((l) => l.startsWith('large-scale-load')) ?? '', /^large-scale-load\s+2,000\s+\S+ ms\s+\S+\s+±15%\s*$/);
  });

  it('names the repeat in the header', () => {
    const r = renderAt(<Header run={run} nowMs={run.lastT ?? 0} width={160} />, 160, 4);
    const text = stripAnsi(r.lastFrame());
    r.unmount();
    assert.match(text, / · repeat 3\/3 · elapsed /);
  });
});
