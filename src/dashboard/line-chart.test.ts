import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChartLine, ChartView } from './chart-model.ts';
import { drawChart, LABEL_COLUMNS, MARK } from './line-chart.ts';
import type { ChartRow } from './line-chart.ts';

const text = (r: ChartRow) => r.map((s) => s.text).join('');
const line = (target: string, colour: ChartLine['colour'], pts: [number, number][], joinSec = 2.5): ChartLine => ({
  target,
  colour,
  pieces: [{ joinSec, points: pts.map(([xSec, opsPerSec]) => ({ xSec, opsPerSec })) }],
});
/** The segment covering plot cell `c` of a row. */
function cell(r: ChartRow, c: number) {
  let at = 0;
  for (const s of r) {
    if (c + LABEL_COLUMNS < at + s.text.length) return { ...s, text: s.text[c + LABEL_COLUMNS - at] };
    at += s.text.length;
  }
  throw new Error(`cell ${c} beyond the row`);
}

test('drawChart: title with the unit, y labels, plot rows and x axis, each row at most the width', () => {
  const view: ChartView = { kind: 'scenario', scenario: 'sustained-load', xMaxSec: 30, front: line('memory', 'cyan', [[1, 7200], [2, 7000]]), behind: [] };
  const f = drawChart(view, { width: 60, height: 8 });
  assert.equal(f.rows.length, 10);
  assert.match(text(f.rows[0]), /^ops\/s {2}sustained-load · seconds into it$/);
  assert.deepEqual(
    f.rows.slice(1, 9).map((r) => text(r).slice(0, LABEL_COLUMNS)),
    ['   8k ┤', '      │', '   6k ┤', '      │', '   4k ┤', '   2k ┤', '      │', '    0 ┤'],
  );
  assert.match(text(f.rows[9]), /^ {7}0s\s+15s\s+30s$/);
  for (const r of f.rows.slice(1)) assert.equal([...text(r)].length, 60);
  // No legend with nothing to compare to.
  assert.ok(!text(f.rows[0]).includes('━'));
});

test('drawChart: the live line wins a shared cell; lines behind are dimmed, in their own colour', () => {
  // Both at the top of the first cell: live at x=0, behind at x=0.1 (same pixel column) and on.
  const view: ChartView = {
    kind: 'scenario',
    scenario: 's',
    xMaxSec: 59,
    front: line('rocksdb', 'magenta', [[0, 100]]),
    behind: [line('memory', 'cyan', [[0.1, 100], [59, 100]], 60)],
  };
  const f = drawChart(view, { width: LABEL_COLUMNS + 30, height: 2 });
  const top = f.rows[1];
  // Cell 0: the live dot only (x=0, y=0 → ⠁), magenta, not dimmed, though memory's line passes too.
  assert.deepEqual(cell(top, 0), { text: '⠁', colour: 'magenta' });
  // Cells 1..29: memory's line alone, cyan and dim.
  for (let c = 1; c < 30; c++) assert.deepEqual(cell(top, c), { text: '⠉', colour: 'cyan', dim: true }, `cell ${c}`);
  assert.match(text(f.rows[0]), /━ rocksdb {2}━ memory$/);
  const legend = f.rows[0].filter((s) => s.text.includes('━'));
  assert.deepEqual(legend.map((s) => [s.colour, s.bold ?? false, s.dim ?? false]), [['magenta', true, false], ['cyan', false, true]]);
});

test('drawChart: one axis for every line; a gap in the data stays open', () => {
  const view: ChartView = {
    kind: 'scenario',
    scenario: 's',
    xMaxSec: 19,
    front: line('a', 'cyan', [[0, 50], [1, 50], [17, 50], [19, 50]], 2.5),
    behind: [line('b', 'blue', [[0, 4000]])],
  };
  const f = drawChart(view, { width: LABEL_COLUMNS + 10, height: 4 });
  assert.equal(f.y.top, 4000);
  const bottom = f.rows[4];
  const lit = [...Array(10).keys()].filter((c) => cell(bottom, c).text !== ' ');
  // Pixels 0,1 (cell 0) and 17..19 (cells 8, 9): nothing drawn over the 16 s pause.
  assert.deepEqual(lit, [0, 8, 9]);
});

test('drawChart, span view: a mark at each scenario start where no line passes, names above their marks', () => {
  const view: ChartView = {
    kind: 'span',
    xMaxSec: 30,
    front: { target: 'memory', colour: 'cyan', pieces: [line('memory', 'cyan', [[1, 10], [9, 10]], 10).pieces[0], line('memory', 'cyan', [[11, 10], [29, 10]], 20).pieces[0]] },
    marks: [
      { xSec: 0, scenario: 'large-scale-load' },
      { xSec: 10, scenario: 'sustained-load' },
    ],
  };
  const f = drawChart(view, { width: LABEL_COLUMNS + 31, height: 3 });
  // x=10 s of 30 on 62 pixels → pixel 20 → cell 10.
  assert.equal(text(f.rows[0]), 'ops/s  large-sc… sustained-load');
  assert.deepEqual(cell(f.rows[1], 10), { text: MARK, dim: true });
  assert.deepEqual(cell(f.rows[1], 0), { text: MARK, dim: true });
  // The line (at the top of the axis) is drawn between the marks.
  assert.deepEqual(cell(f.rows[1], 5), { text: '⠉', colour: 'cyan' });
  assert.match(text(f.rows[4]), /^ {7}0s\s+15s\s+30s$/);
});

test('drawChart: nothing to draw yet is an empty chart with its axes', () => {
  const f = drawChart(undefined, { width: 30, height: 3 });
  assert.equal(f.rows.length, 5);
  assert.equal(text(f.rows[0]).trim(), 'ops/s');
  assert.ok(!/[⠀-⣿]/.test(f.rows.map(text).join('')));
});
