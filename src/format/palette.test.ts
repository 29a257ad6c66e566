// One palette for every view: while the dashboard still has its own copy of the state colours
// (src/dashboard/status-style.ts), this holds the two to the same colour for every state.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as dashboard from '../dashboard/status-style.ts';
import { gradeColour, scenarioColour, targetColour, verdictColour } from './palette.ts';

describe('palette', () => {
  it('gives every grade and state the dashboard colour', () => {
    for (const g of ['A+', 'A', 'B', 'C', 'D', 'F'] as const) assert.equal(gradeColour(g), dashboard.gradeColour(g), g);
    for (const s of ['waiting', 'starting', 'running', 'completed', 'interrupted', 'crashed', 'unavailable'] as const) assert.equal(targetColour(s), dashboard.targetColour(s), s);
    for (const s of ['queued', 'running', 'passed', 'failed', 'aborted'] as const) assert.equal(scenarioColour(s), dashboard.scenarioColour(s), s);
  });
  it('colours a regression as a failure and an improvement as a pass', () => {
    assert.equal(verdictColour('regression'), scenarioColour('failed'));
    assert.equal(verdictColour('improvement'), scenarioColour('passed'));
  });
});
