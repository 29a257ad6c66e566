import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SCENARIO_STATES, TARGET_STATES } from '../state/run-state.ts';
import { gradeColour, scenarioColour, scenarioIcon, targetColour, targetIcon } from './status-style.ts';

test('each target state has its own colour and icon, as the panels show them', () => {
  assert.deepEqual(
    TARGET_STATES.map((s) => [s, targetColour(s), targetIcon(s)]),
    [
      ['waiting', 'gray', '⏳'],
      ['starting', 'blue', '🔄'],
      ['running', 'cyan', '🔄'],
      ['completed', 'green', '✅'],
      ['interrupted', 'yellow', '⛔'],
      ['crashed', 'red', '❌'],
      ['unavailable', 'magenta', '🚫'],
    ],
  );
  // Final states must be told apart at a glance: no two share a colour.
  const finals = (['completed', 'interrupted', 'crashed', 'unavailable'] as const).map(targetColour);
  assert.equal(new Set(finals).size, finals.length);
});

test("scenario states: the brief's icons, and a colour that says pass, fail or cut off", () => {
  assert.deepEqual(
    SCENARIO_STATES.map((s) => [s, scenarioColour(s), scenarioIcon(s)]),
    [
      ['queued', 'gray', '⏳'],
      ['running', 'cyan', '🔄'],
      ['passed', 'green', '✅'],
      ['failed', 'red', '❌'],
      ['aborted', 'yellow', '⛔'],
    ],
  );
  // Never started on an ended target: a dash, two columns wide like the icons it replaces.
  assert.deepEqual([scenarioColour('not-run'), scenarioIcon('not-run')], ['gray', '– ']);
});

test('grade colours go from green (A+, A) to red (F)', () => {
  assert.deepEqual((['A+', 'A', 'B', 'C', 'D', 'F'] as const).map(gradeColour), ['green', 'green', 'cyan', 'yellow', 'magenta', 'red']);
});

test('an unknown state is an error, not a silent default', () => {
  assert.throws(() => targetColour('bogus' as never), /unhandled state: "bogus"/);
  assert.throws(() => scenarioIcon('bogus' as never), /unhandled state: "bogus"/);
  assert.throws(() => gradeColour('E' as never), /unhandled state: "E"/);
});
