// The report on a terminal: the same Markdown, coloured where it carries meaning.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stripVTControlCharacters } from 'node:util';
import { NO_PAINT, painterAt } from './colour.ts';
import { paintMarkdown } from './markdown-colour.ts';

const ESC = '\u001b';
const MD = [
  '# metabench report — r1',
  '',
  '| target | status | grade | why |',
  '|---|---|---|---|',
  '| memory | crashed | F | F: crashed |',
  '| etcd | completed | B | B: weakest of 2 scenarios |',
  '',
  '| scenario | memory |',
  '|---|---|',
  '| s1 | **A** · 0 errors · checks 1/1 ✓ · **client-bound (at ceiling 1.20×)** |',
  '| s2 | **F** · 3 errors · checks 0/1 ✗ order |',
  '',
  '- **s1** on **memory**: A: every SLO met',
  'A plain line that mentions B: and crashed stays plain.',
].join('\n');

describe('paintMarkdown', () => {
  const painted = paintMarkdown(MD, painterAt(1));
  const lines = painted.split('\n');
  it('only adds escape codes: stripped, it is the Markdown again', () => {
    assert.notEqual(painted, MD);
    assert.equal(stripVTControlCharacters(painted), MD);
  });
  it('colours grade and state cells, bold grades, marks and reasons', () => {
    assert.equal(lines[0], `${ESC}[1m# metabench report — r1${ESC}[22m`);
    assert.equal(lines[4], `| memory | ${ESC}[31mcrashed${ESC}[39m | ${ESC}[1m${ESC}[31mF${ESC}[39m${ESC}[22m | ${ESC}[1m${ESC}[31mF${ESC}[39m${ESC}[22m: crashed |`);
    assert.ok(lines[9].includes(`${ESC}[1m${ESC}[32m**A**${ESC}[39m${ESC}[22m`), lines[9]);
    assert.ok(lines[9].includes(`${ESC}[32m✓${ESC}[39m`), lines[9]);
    assert.ok(lines[9].includes(`${ESC}[33mclient-bound (at ceiling 1.20×)${ESC}[39m`), lines[9]);
    assert.ok(lines[10].includes(`${ESC}[31m✗ order ${ESC}[39m|`), lines[10]);
    assert.equal(lines[12], `- **s1** on **memory**: ${ESC}[1m${ESC}[32mA${ESC}[39m${ESC}[22m: every SLO met`);
    assert.equal(lines[13], 'A plain line that mentions B: and crashed stays plain.');
    assert.equal(lines[3], '|---|---|---|---|');
  });
  it('returns the text unchanged without colour', () => {
    assert.equal(paintMarkdown(MD, NO_PAINT), MD);
  });
});
