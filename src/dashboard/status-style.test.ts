import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SCENARIO_STATES, TARGET_STATES } from '../state/run-state.ts';
import { gradeColour, scenarioColour, scenarioIcon, targetColour, targetIcon } from './status-style.ts';

test('every target and scenario state has a colour and an icon; the brief\'s icons for scenarios', () => {
  for (const s of TARGET_STATES) {
    assert.ok(targetColour(s));
    assert.ok(targetIcon(s));
  }
  for (const s of SCENARIO_STATES) assert.ok(scenarioColour(s));
  assert.deepEqual(SCENARIO_STATES.map(scenarioIcon), ['⏳', '🔄', '✅', '❌', '⛔']);
  assert.equal(targetIcon('crashed'), '❌');
  assert.deepEqual((['A+', 'A', 'B', 'C', 'D', 'F'] as const).map(gradeColour), ['green', 'green', 'cyan', 'yellow', 'magenta', 'red']);
});

test('an unknown state is an error, not a silent default', () => {
  assert.throws(() => targetColour('bogus' as never), /unhandled state: "bogus"/);
});
