// One palette for every view: the dashboard (src/dashboard/status-style.ts) re-exports it, so
// these rules hold on the screen and in the text outputs alike.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gradeColour, MARK_COLOUR, scenarioColour, targetColour, verdictColour } from './palette.ts';

describe('palette', () => {
  it('gives grades B to F a colour each, A+ and A the passing green, F the failing red', () => {
    const letters = ['B', 'C', 'D', 'F'] as const;
    assert.equal(new Set(letters.map(gradeColour)).size, letters.length);
    assert.equal(gradeColour('A+'), scenarioColour('passed'));
    assert.equal(gradeColour('A'), scenarioColour('passed'));
    assert.equal(gradeColour('F'), scenarioColour('failed'));
  });
  it('draws a crash as an error and a completed target as a pass', () => {
    assert.equal(targetColour('crashed'), MARK_COLOUR.error);
    assert.equal(targetColour('completed'), MARK_COLOUR.ok);
  });
  it('colours a regression as a failure and an improvement as a pass', () => {
    assert.equal(verdictColour('regression'), scenarioColour('failed'));
    assert.equal(verdictColour('improvement'), scenarioColour('passed'));
  });
});
