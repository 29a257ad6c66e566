// chalk colours compare's verdicts on a terminal and nothing on a pipe (issue 13 item 10).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Chalk } from 'chalk';
import { verdictPainter } from './colour.ts';

describe('verdictPainter', () => {
  it('colours regressions red and improvements green at a colour level', () => {
    const paint = verdictPainter(new Chalk({ level: 1 }));
    assert.equal(paint('regression', 'regression (ops/s worse)'), '\u001b[31mregression (ops/s worse)\u001b[39m');
    assert.equal(paint('improvement', 'improvement'), '\u001b[32mimprovement\u001b[39m');
  });
  it('leaves text plain at level 0 (a pipe, NO_COLOR)', () => {
    const paint = verdictPainter(new Chalk({ level: 0 }));
    for (const v of ['regression', 'improvement', 'within noise', 'not comparable'] as const) assert.equal(paint(v, v), v);
  });
});
