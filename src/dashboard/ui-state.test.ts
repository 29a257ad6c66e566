import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runningRun } from '../state/fixtures.ts';
import { initialRunState, reduceRunEvents } from '../state/run-state.ts';
import { clampUi, INITIAL_UI, reduceUi } from './ui-state.ts';
import type { UiKey, UiState, Viewport } from './ui-state.ts';

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

// Scrolling: the viewport says what fits; the runningRun fixture's results are its three scenarios.
const vp: Viewport = { resultRows: 2, resultNames: ['large-scale-load', 'sustained-load', 'mixed-workload'], detailRows: 5, detailLines: 12, helpRows: 4, helpLines: 10 };
const scroll = (keys: UiKey[], from: UiState = INITIAL_UI): UiState => keys.reduce((ui, k) => reduceUi(ui, k, run, vp), from);

test('reduceUi: the results table follows the newest rows until scrolled, and again at the bottom', () => {
  assert.equal(scroll(['line-up']).resultsTop, 0);
  assert.equal(scroll(['line-up', 'line-up', 'line-up']).resultsTop, 0);
  assert.equal(scroll(['line-up', 'line-down']).resultsTop, undefined);
  assert.equal(scroll(['page-up']).resultsTop, 0);
  assert.equal(scroll(['home']).resultsTop, 0);
  assert.equal(scroll(['home', 'end']).resultsTop, undefined);
  assert.equal(scroll(['home', 'page-down']).resultsTop, undefined);
});

test('reduceUi: ↑/↓ bring the selected scenario\'s results row into view', () => {
  // Following the end shows rows 2–3; selecting the first scenario scrolls up to it.
  const top = scroll(['down', 'up']);
  assert.equal(top.scenario, 0);
  assert.equal(top.resultsTop, 0);
  assert.equal(scroll(['down', 'up', 'down', 'down']).resultsTop, undefined);
});

test('reduceUi: the detail scrolls by line and page within its lines; opening and ←/→ start at the top', () => {
  const open = scroll(['enter']);
  assert.equal(open.view, 'detail');
  assert.equal(scroll(['down', 'down'], open).detailTop, 2);
  assert.equal(scroll(['line-down', 'page-down', 'page-down'], open).detailTop, 7);
  assert.equal(scroll(['end', 'up'], open).detailTop, 6);
  assert.equal(scroll(['end', 'home'], open).detailTop, undefined);
  assert.equal(scroll(['page-down', 'right'], open).detailTop, undefined);
  // ↑/↓ scroll the detail, they do not change its scenario.
  assert.equal(scroll(['down'], open).scenario, 0);
  assert.equal(scroll(['page-down', 'escape'], open).detailTop, undefined);
});

test('reduceUi: under help ←/→ and Enter do nothing; it scrolls within its lines; ? and Esc close it, and it opens at the top', () => {
  const help = scroll(['help']);
  assert.equal(scroll(['left', 'tab', 'enter', 'up'], help), help);
  assert.equal(scroll(['down', 'line-down'], help).helpTop, 2);
  assert.equal(scroll(['page-down', 'page-down'], help).helpTop, 6);
  assert.equal(scroll(['end', 'line-up'], help).helpTop, 5);
  assert.equal(scroll(['end', 'home'], help).helpTop, undefined);
  assert.equal(scroll(['escape'], help).view, 'main');
  assert.equal(scroll(['end', 'help', 'help'], help).helpTop, undefined);
  // Nothing out of view (no viewport): the keys leave it as it is.
  assert.equal(press(['down', 'page-down'], help), help);
});
