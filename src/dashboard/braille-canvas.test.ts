import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BrailleCanvas } from './braille-canvas.ts';
import { lineChart, niceCeil } from './line-chart.ts';

test('BrailleCanvas: each of the 8 dots of a cell sets its own bit', () => {
  const expected = [
    [0, 0, 0x01],
    [0, 1, 0x02],
    [0, 2, 0x04],
    [0, 3, 0x40],
    [1, 0, 0x08],
    [1, 1, 0x10],
    [1, 2, 0x20],
    [1, 3, 0x80],
  ] as const;
  for (const [x, y, bit] of expected) {
    const c = new BrailleCanvas(1, 1);
    c.set(x, y);
    assert.equal(c.rows()[0], String.fromCharCode(0x2800 + bit), `dot (${x},${y})`);
  }
  const all = new BrailleCanvas(1, 1);
  for (const [x, y] of expected) all.set(x, y);
  assert.equal(all.rows()[0], '⣿');
});

test('BrailleCanvas: empty canvas is blank braille, out-of-range dots ignored', () => {
  const c = new BrailleCanvas(3, 2);
  c.set(-1, 0);
  c.set(6, 0);
  c.set(0, 8);
  assert.deepEqual(c.rows(), ['⠀⠀⠀', '⠀⠀⠀']);
  assert.equal(c.widthPx, 6);
  assert.equal(c.heightPx, 8);
});

test('BrailleCanvas: a diagonal line lights one dot per column, ends included', () => {
  const c = new BrailleCanvas(2, 1);
  c.line(0, 0, 3, 3);
  // (0,0) (1,1) in cell 0; (2,2) (3,3) in cell 1.
  assert.equal(c.rows()[0], String.fromCharCode(0x2800 + 0x01 + 0x10) + String.fromCharCode(0x2800 + 0x04 + 0x80));
});

test('BrailleCanvas: refuses a non-positive size with a message naming it', () => {
  assert.throws(() => new BrailleCanvas(0, 2), /size 0×2 cells/);
});

test('niceCeil: 1, 2, 2.5, 5 steps', () => {
  assert.deepEqual([0, 0.7, 1, 1.5, 2.2, 3, 7, 10, 2400, 9100].map(niceCeil), [1, 1, 1, 2, 2.5, 5, 10, 10, 2500, 10000]);
});

test('lineChart: height rows plus an axis row, each as wide as asked, labels on the y axis', () => {
  const chart = lineChart([100, 200, 300, 2400], { width: 40, height: 4 });
  assert.equal(chart.rows.length, 5);
  assert.equal(chart.yMax, 2500);
  for (const r of chart.rows.slice(0, 4)) assert.equal([...r].length, 40);
  assert.match(chart.rows[0], /^\s+2\.5k ┤/);
  assert.match(chart.rows[3], /^\s+0 ┤/);
  assert.match(chart.rows[4], /-66s\s+now$/);
  // Newest value on the right edge: the top row's last cell has a dot (2400 of 2500).
  assert.match(chart.rows[0].at(-1) ?? '', /[⠁-⣿]/);
});

test('lineChart with times: values sit at their own second, a pause is a gap, older ones scroll off', () => {
  const t0 = 1_000_000;
  // 3 s of load, a 20 s pause, 3 s more; 16 columns of plot = 32 pixel columns = 32 s.
  const times = [0, 1, 2, 23, 24, 25].map((s) => t0 + s * 1000);
  const chart = lineChart([1000, 1000, 1000, 1000, 1000, 1000], { width: 23, height: 2, times });
  const top = [...chart.rows[0]].slice(7).join('');
  const dotted = [...top].map((c) => /[⠁-⣿]/.test(c));
  // Columns 13-15 hold seconds 23-25 (pixels 29-31); seconds 0-2 are pixels 6-8 (cells 3-4).
  assert.deepEqual(
    dotted.map((d, i) => (d ? i : -1)).filter((i) => i >= 0),
    [3, 4, 14, 15],
  );
  assert.match(chart.rows[2], /-32s\s+now$/);
  // A point 40 s before the newest is off the left edge and does not set the axis top.
  const older = lineChart([9000, 1000, 1000], { width: 23, height: 2, times: [t0, t0 + 40_000, t0 + 41_000] });
  assert.equal(older.yMax, 1000);
});

test('lineChart: empty series draws an empty plot', () => {
  const chart = lineChart([], { width: 20, height: 2 });
  assert.equal(chart.rows.length, 3);
  assert.ok(!/[⠁-⣿]/.test(chart.rows.slice(0, 2).join('')));
  assert.ok(!chart.rows.join('').includes('\u2800'), 'blank cells are spaces');
});
