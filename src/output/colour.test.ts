// When the text outputs colour (flag, FORCE_COLOR, NO_COLOR, terminal or pipe) and in which
// colours (the dashboard's palette), issue 13 items 9 and 10.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { colourLevel, NO_PAINT, painterAt, streamColourLevel, verdictPainter, type ColourContext } from './colour.ts';

const ESC = '\u001b';

describe('colourLevel', () => {
  const tty: ColourContext = { env: {}, isTTY: true, ttyLevel: 2 };
  const pipe: ColourContext = { env: {}, isTTY: false };
  const cases: [string, ColourContext, number][] = [
    ['a terminal at its depth', tty, 2],
    ['a pipe: none', pipe, 0],
    ['TERM=dumb: none', { ...tty, env: { TERM: 'dumb' } }, 0],
    ['NO_COLOR=1 on a terminal: none', { ...tty, env: { NO_COLOR: '1' } }, 0],
    ['an empty NO_COLOR is not set', { ...tty, env: { NO_COLOR: '' } }, 2],
    ['FORCE_COLOR=1 on a pipe', { ...pipe, env: { FORCE_COLOR: '1' } }, 1],
    ['FORCE_COLOR=3 on a pipe', { ...pipe, env: { FORCE_COLOR: '3' } }, 3],
    ['FORCE_COLOR= (empty) means 1', { ...pipe, env: { FORCE_COLOR: '' } }, 1],
    ['FORCE_COLOR=0 on a terminal: none', { ...tty, env: { FORCE_COLOR: '0' } }, 0],
    ['FORCE_COLOR=false: none', { ...tty, env: { FORCE_COLOR: 'false' } }, 0],
    ['FORCE_COLOR beats NO_COLOR (as in Node)', { ...pipe, env: { FORCE_COLOR: '1', NO_COLOR: '1' } }, 1],
    ['an unknown FORCE_COLOR is ignored', { ...pipe, env: { FORCE_COLOR: 'yes' } }, 0],
    ['--no-color beats FORCE_COLOR', { ...tty, env: { FORCE_COLOR: '3' }, flag: false }, 0],
    ['--color on a pipe', { ...pipe, flag: true }, 1],
    ['--color beats NO_COLOR', { ...pipe, env: { NO_COLOR: '1' }, flag: true }, 1],
    ['--color with FORCE_COLOR=2', { ...pipe, env: { FORCE_COLOR: '2' }, flag: true }, 2],
    ['--color with FORCE_COLOR=0 still colours', { ...pipe, env: { FORCE_COLOR: '0' }, flag: true }, 1],
  ];
  for (const [name, ctx, want] of cases) it(name, () => assert.equal(colourLevel(ctx), want));

  it('reads a stream: not a terminal without isTTY, a terminal at getColorDepth', () => {
    assert.equal(streamColourLevel({}, {}), 0);
    assert.equal(streamColourLevel({ isTTY: true, getColorDepth: () => 8 }, {}), 2);
    assert.equal(streamColourLevel({ isTTY: true, getColorDepth: () => 24 }, { NO_COLOR: 'x' }), 0);
  });
});

describe('painter', () => {
  const p = painterAt(1);
  it('colours grades, states and verdicts as the dashboard does', () => {
    assert.equal(p.grade('F'), `${ESC}[1m${ESC}[31mF${ESC}[39m${ESC}[22m`);
    assert.equal(p.grade('B', 'grade B'), `${ESC}[1m${ESC}[36mgrade B${ESC}[39m${ESC}[22m`);
    assert.equal(p.target('crashed'), `${ESC}[31mcrashed${ESC}[39m`);
    assert.equal(p.scenario('passed', 'ok'), `${ESC}[32mok${ESC}[39m`);
    assert.equal(p.mark('warning', 'client-bound'), `${ESC}[33mclient-bound${ESC}[39m`);
    const paint = verdictPainter(p);
    assert.equal(paint('regression', 'regression (ops/s worse)'), `${ESC}[31mregression (ops/s worse)${ESC}[39m`);
    assert.equal(paint('improvement', 'improvement'), `${ESC}[32mimprovement${ESC}[39m`);
  });
  it('leaves text plain at level 0 (a pipe, NO_COLOR)', () => {
    const paint = verdictPainter(NO_PAINT);
    for (const v of ['regression', 'improvement', 'within noise', 'not comparable'] as const) assert.equal(paint(v, v), v);
    assert.equal(NO_PAINT.grade('A+'), 'A+');
    assert.equal(NO_PAINT.target('unavailable', 'x'), 'x');
  });
});
