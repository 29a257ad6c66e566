import { test } from 'node:test';
import assert from 'node:assert/strict';
import { render } from 'ink-testing-library';
import { ev, finishedRun, runningRun, T0 } from '../state/fixtures.ts';
import { initialRunState } from '../state/run-state.ts';
import { App } from './App.tsx';
import { RunStore } from '../state/run-store.ts';
import { KEYS, stripAnsi, waitForFrame } from './test-render.ts';

const clock = () => T0 + 18_000;

function setup(events = runningRun()) {
  const store = new RunStore(initialRunState({ targets: ['memory', 'rocksdb'] }));
  store.dispatch(events);
  let quits = 0;
  const r = render(<App store={store} onQuit={() => quits++} ownsRun clock={clock} />);
  const frame = () => stripAnsi(r.lastFrame() ?? '');
  return { store, r, frame, until: (check: RegExp | ((f: string) => boolean)) => waitForFrame(frame, check), quits: () => quits };
}

test('keys: → selects the next target, ↓ a scenario, Enter opens its detail, Esc closes it', async () => {
  const { r, until } = setup();
  // Stacked at 100 columns: the selected target has the full panel.
  await until(/│ ✅ memory completed/);
  r.stdin.write(KEYS.right);
  await until(/│ 🔄 rocksdb running[\s\S]*│ ▸✅ large-scale-load/);
  r.stdin.write(KEYS.down);
  await until(/│ ▸🔄 sustained-load/);
  r.stdin.write(KEYS.enter);
  await until(/rocksdb · sustained-load · running/);
  r.stdin.write(KEYS.escape);
  const f = await until((x) => !/Esc closes/.test(x));
  assert.match(f, /│ ▸🔄 sustained-load/);
  r.unmount();
});

test('keys: Tab cycles targets and wraps; ← goes back', async () => {
  const { r, until } = setup();
  await until(/│ ✅ memory completed/);
  r.stdin.write(KEYS.tab);
  await until(/│ 🔄 rocksdb running/);
  r.stdin.write(KEYS.tab);
  await until(/│ ✅ memory completed/);
  r.stdin.write(KEYS.left);
  await until(/│ 🔄 rocksdb running/);
  r.unmount();
});

test('keys: ? toggles help', async () => {
  const { r, until } = setup();
  await until(/total 75%/);
  r.stdin.write('?');
  await until(/stop the run gracefully/);
  r.stdin.write('?');
  await until((f) => !/stop the run gracefully/.test(f) && /rocksdb/.test(f));
  r.unmount();
});

test('keys: q and Ctrl-C ask to quit; other keys do not', async () => {
  const { r, until, quits } = setup();
  await until(/total 75%/);
  r.stdin.write('x');
  r.stdin.write('q');
  r.stdin.write(KEYS.ctrlC);
  const deadline = Date.now() + 3000;
  while (quits() < 2 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 10));
  assert.equal(quits(), 2);
  r.unmount();
});

test('live: new events re-render the panels; a scenario-end adds a feed line', async () => {
  const { store, r, until, frame } = setup();
  await until(/total 75%/);
  assert.doesNotMatch(frame(), /rocksdb · sustained-load · passed/);
  store.dispatch([ev.scenarioEnd('rocksdb', T0 + 20_000, 'sustained-load', { opsPerSec: 777 })]);
  await until(/✅ rocksdb · sustained-load · passed · 777 ops\/s/);
  store.dispatch([ev.scenarioStart('rocksdb', T0 + 20_000, 'mixed-workload')]);
  await until(/rocksdb\s+running\s+66%\s+mixed-workload 0%/);
  r.unmount();
});

test('a finished run shows ETA done', async () => {
  const { r, until } = setup(finishedRun());
  await until(/ETA done/);
  r.unmount();
});
