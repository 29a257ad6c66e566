import { test } from 'node:test';
import assert from 'node:assert/strict';
import { xAxisRow, yScale } from './chart-axes.ts';

const labels = (max: number, rows: number) => yScale(max, rows).ticks.map((t) => `${t.label}@${t.row}`);

test('yScale: round tops, 3–5 labels on distinct rows from 3 rows up, k/M units', () => {
  assert.deepEqual(labels(7200, 8), ['8k@0', '6k@2', '4k@4', '2k@5', '0@7']);
  assert.deepEqual(labels(2400, 8), ['3k@0', '2k@2', '1k@5', '0@7']);
  assert.deepEqual(labels(290, 5), ['300@0', '200@1', '100@3', '0@4']);
  assert.deepEqual(labels(9100, 8), ['10k@0', '7.5k@2', '5k@4', '2.5k@5', '0@7']);
  assert.deepEqual(labels(1_800_000, 4), ['2M@0', '1M@2', '0@3']);
  assert.equal(yScale(7200, 8).top, 8000);
  for (let rows = 3; rows <= 8; rows++) {
    for (const max of [3, 17, 950, 1234, 7200, 49_000, 123_456]) {
      const t = yScale(max, rows).ticks;
      assert.ok(t.length >= 3 && t.length <= 5, `max ${max} rows ${rows}: ${t.length} labels`);
      assert.equal(new Set(t.map((x) => x.row)).size, t.length, `max ${max} rows ${rows}: rows repeat`);
      assert.ok(t[0].value >= max, 'top at or above the data');
    }
  }
});

test('yScale: two rows give top and 0; no data gives a 0–1 axis', () => {
  assert.deepEqual(labels(7200, 2), ['10k@0', '0@1']);
  assert.deepEqual(labels(0, 4), ['1@0', '0@3']);
});

test('xAxisRow: 0 on the left, the end on the right, the middle when there is room', () => {
  const row = xAxisRow(30, 40);
  assert.equal(row.length, 40);
  assert.match(row, /^0s\s+15s\s+30s$/);
  assert.match(xAxisRow(150, 40), /^0s\s+1m 15s\s+2m 30s$/);
  assert.match(xAxisRow(30, 8), /^0s\s+30s$/);
  assert.equal(xAxisRow(30, 3), '30s');
});
