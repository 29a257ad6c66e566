import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runningRun } from '../state/fixtures.ts';
import { initialRunState, reduceRunEvents } from '../state/run-state.ts';
import { clampUi, INITIAL_UI, reduceUi } from './ui-state.ts';
import type { UiKey, UiState } from './ui-state.ts';

const run = reduceRunEvents(initialRunState(), runningRun());
const press = (keys: UiKey[], from: UiState = INITIAL_UI): UiState => keys.reduce((ui, k) => reduceUi(ui, k, run), from);

const cases: [string, UiKey[], UiState][] = [
  ['right then left', ['right', 'left'], { target: 0, scenario: 0, view: 'main' }],
  ['tab wraps around', ['tab', 'tab'], { target: 0, scenario: 0, view: 'main' }],
  ['shift-tab from the first goes to the last', ['shift-tab'], { target: 1, scenario: 0, view: 'main' }],
  ['down stops at the last scenario', ['down', 'down', 'down', 'down'], { target: 0, scenario: 2, view: 'main' }],
  ['up stops at the first', ['up'], INITIAL_UI],
  ['enter opens, escape closes', ['down', 'enter'], { target: 0, scenario: 1, view: 'detail' }],
  ['escape from detail', ['enter', 'escape'], INITIAL_UI],
  ['help toggles', ['help'], { ...INITIAL_UI, view: 'help' }],
  ['arrows do not move targets under help', ['help', 'right'], { ...INITIAL_UI, view: 'help' }],
];

for (const [name, keys, want] of cases) test(`reduceUi: ${name}`, () => assert.deepEqual(press(keys), want));

test('reduceUi: no targets, nothing moves and enter does nothing', () => {
  const empty = initialRunState();
  assert.deepEqual(reduceUi(INITIAL_UI, 'right', empty), INITIAL_UI);
  assert.deepEqual(reduceUi(INITIAL_UI, 'enter', empty), INITIAL_UI);
});

test('clampUi keeps indices in range and identity when nothing changes', () => {
  assert.deepEqual(clampUi({ target: 5, scenario: 9, view: 'main' }, run), { target: 1, scenario: 2, view: 'main' });
  assert.equal(clampUi(INITIAL_UI, run), INITIAL_UI);
});
