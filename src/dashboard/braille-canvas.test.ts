import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BrailleCanvas, brailleGlyph } from './braille-canvas.ts';

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

test('BrailleCanvas: bits() reads one cell back (0 outside), brailleGlyph() turns it into its character', () => {
  const c = new BrailleCanvas(2, 1);
  c.set(1, 3);
  c.set(2, 0);
  assert.equal(c.bits(0, 0), 0x80);
  assert.equal(c.bits(1, 0), 0x01);
  assert.equal(c.bits(2, 0), 0);
  assert.equal(c.bits(0, -1), 0);
  assert.equal(brailleGlyph(c.bits(0, 0)), '⢀');
  assert.equal(brailleGlyph(0), '\u2800');
});
