import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planLayout } from './layout.ts';
import type { LayoutInput } from './layout.ts';

const base: LayoutInput = { columns: 160, rows: 45, targets: 2, scenarios: 6, resultRows: 6, microRows: 0 };

const cases: { name: string; input: Partial<LayoutInput>; expect: Record<string, unknown> }[] = [
  { name: '160×45, two targets: side by side, full chart', input: {}, expect: { mode: 'side', panelWidth: 79, chartRows: 8, resultRows: 6, compactTable: false } },
  { name: '79 columns: too narrow', input: { columns: 79 }, expect: { mode: 'too-narrow', columns: 79 } },
  { name: '80 columns: stacked', input: { columns: 80 }, expect: { mode: 'stacked', panelWidth: 80 } },
  { name: '119 columns: stacked', input: { columns: 119 }, expect: { mode: 'stacked' } },
  { name: '120 columns, 3 targets: side by side (39 each)', input: { columns: 120, targets: 3 }, expect: { mode: 'side', panelWidth: 39 } },
  { name: '120 columns, 4 targets: too thin, stacked', input: { columns: 120, targets: 4 }, expect: { mode: 'stacked' } },
  { name: '30 rows: chart shrinks', input: { rows: 30 }, expect: { mode: 'side', chartRows: 2 } },
  { name: '24 rows: chart dropped, results trimmed', input: { rows: 24 }, expect: { chartRows: 0, resultRows: 4 } },
  { name: 'micro table trimmed before results', input: { rows: 30, microRows: 12 }, expect: { chartRows: 0, resultRows: 6, microRows: 2 } },
  { name: 'three targets at 100 columns: compact table', input: { columns: 100, targets: 3 }, expect: { compactTable: true } },
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
    const height = 3 + 7 + base.scenarios + (l.chartRows > 0 ? l.chartRows + 2 : 0) + (l.resultRows > 0 ? 3 + l.resultRows : 0) + (l.microRows > 0 ? 2 + l.microRows : 0);
    if (l.resultRows > 0) assert.ok(height <= rows - 1, `rows ${rows}: frame ${height}`);
  }
});
