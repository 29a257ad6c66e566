import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupWidth, planLayout, planTable } from './layout.ts';
import type { LayoutInput, TableRole } from './layout.ts';

const base: LayoutInput = { columns: 160, rows: 45, targets: 2, scenarios: 6, resultRows: 6, microRows: 0 };

const cases: { name: string; input: Partial<LayoutInput>; expect: Record<string, unknown> }[] = [
  { name: '160×45, two targets: side by side, full chart', input: {}, expect: { mode: 'side', panelWidth: 79, chartRows: 8, resultRows: 6 } },
  { name: '79 columns: too narrow', input: { columns: 79 }, expect: { mode: 'too-narrow', columns: 79 } },
  { name: '80 columns: stacked', input: { columns: 80 }, expect: { mode: 'stacked', panelWidth: 80 } },
  { name: '119 columns: stacked', input: { columns: 119 }, expect: { mode: 'stacked' } },
  { name: '120 columns, 3 targets: side by side (39 each)', input: { columns: 120, targets: 3 }, expect: { mode: 'side', panelWidth: 39 } },
  { name: '120 columns, 4 targets: too thin, stacked', input: { columns: 120, targets: 4 }, expect: { mode: 'stacked' } },
  { name: '30 rows: chart shrinks', input: { rows: 30 }, expect: { mode: 'side', chartRows: 2 } },
  { name: '30 rows, nothing cut: full panels', input: { rows: 30 }, expect: { compactPanel: false } },
  { name: '24 rows: chart dropped, compact panels keep every result row', input: { rows: 24 }, expect: { chartRows: 0, resultRows: 6, compactPanel: true } },
  { name: '20 rows: compact panels, results trimmed', input: { rows: 20 }, expect: { chartRows: 0, resultRows: 2, compactPanel: true } },
  { name: 'micro table trimmed before results', input: { rows: 30, microRows: 12 }, expect: { chartRows: 0, resultRows: 6, microRows: 4, compactPanel: true } },
  { name: 'too short for any results row: still one (it scrolls)', input: { rows: 18 }, expect: { resultRows: 1 } },
];

for (const c of cases) {
  test(`planLayout: ${c.name}`, () => {
    const got = planLayout({ ...base, ...c.input }) as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(c.expect)) assert.equal(got[k], v, k);
  });
}

test('planLayout: the planned frame never reaches the last terminal row', () => {
  for (let rows = 20; rows <= 60; rows++) {
    const l = planLayout({ ...base, rows });
    if (l.mode === 'too-narrow') continue;
    const height = 3 + (l.compactPanel ? 5 : 7) + base.scenarios + (l.chartRows > 0 ? l.chartRows + 2 : 0) + (l.resultRows > 0 ? 3 + l.resultRows : 0) + (l.microRows > 0 ? 2 + l.microRows : 0);
    // Below this the panel alone fills the screen; the results table keeps one row regardless.
    const roomForOneRow = 3 + 5 + base.scenarios + 4 <= rows - 1;
    if (roomForOneRow) assert.ok(height <= rows - 1, `rows ${rows}: frame ${height}`);
  }
});

const tableWidth = (columns: number, roles: TableRole[], longest = 17): { step: string; width: number } => {
  const plan = planTable(columns, roles, longest);
  return { step: plan.step, width: plan.nameWidth + roles.reduce((a, r) => a + groupWidth(plan, r, roles.includes('baseline')), 0) };
};
const DEFAULT_TARGETS: TableRole[] = ['graded', 'graded', 'baseline'];

test('planTable: wide terminals get the roomy full table', () => {
  assert.deepEqual(tableWidth(160, DEFAULT_TARGETS), { step: 'full', width: 116 });
});

test('planTable: memory, rocksdb and etcd at 100 columns keep p99 and ×etcd (tight)', () => {
  const plan = planTable(100, DEFAULT_TARGETS, 17);
  assert.equal(plan.step, 'tight');
  assert.ok(plan.p99 > 0 && plan.ratio > 0);
  assert.ok(tableWidth(100, DEFAULT_TARGETS).width <= 100);
});

test('planTable: fields give way in the documented order as the terminal narrows', () => {
  const withNoop: TableRole[] = [...DEFAULT_TARGETS, 'ceiling'];
  const steps = [160, 120, 100, 90, 80, 60, 20].map((c) => tableWidth(c, withNoop));
  assert.deepEqual(steps.map((s) => s.step), ['full', 'tight', 'no-ratio', 'compact', 'compact', 'short-names', 'short-names']);
  // Each plan fits its terminal, except the last resort (rows are then cut at the edge).
  for (const [i, c] of [160, 120, 100, 90, 80].entries()) assert.ok(steps[i].width <= c, `${c}: ${steps[i].width}`);
  // Three targets at 80 columns still show p99 (only ×etcd went).
  assert.equal(planTable(80, DEFAULT_TARGETS, 17).step, 'no-ratio');
});
