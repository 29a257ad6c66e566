// The dashboard at every terminal size (issue 13 item 8): 80×24 keeps elapsed and ETA and
// scrolls the results and the detail, 100×30 keeps p99 and ×etcd, the too-narrow message fits,
// and an ended target shows its stopped server and the scenarios it never ran.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { render } from 'ink';
import type { RunnerEvent } from '../events/schema.ts';
import { ev, T0, targetRun } from '../state/fixtures.ts';
import { initialRunState } from '../state/run-state.ts';
import { RunStore } from '../state/run-store.ts';
import type { RunModel } from '../state/run-store.ts';
import { App } from './App.tsx';
import { Dashboard } from './Dashboard.tsx';
import type { DashboardProps } from './Dashboard.tsx';
import { FakeStdin, FakeStdout, KEYS, renderAt, stripAnsi, waitForFrame } from './test-render.ts';
import { INITIAL_UI } from './ui-state.ts';

/** The six built-in scenarios, as a real run lists them. */
const SIX = ['large-scale-load', 'sustained-load', 'mixed-workload', 'watch-scalability', 'txn-throughput', 'compaction'];
const TARGETS = ['memory', 'rocksdb', 'etcd'];
const RUN_ID = '20261201-235620-abcf';
const sec = (n: number): number => T0 + n * 1000;

/** `target` through the first `upTo` of SIX (2 s each, one progress event), then run-end `end` unless absent. */
function sixRun(target: string, startSec: number, scale: number, upTo = SIX.length, end: 'completed' | 'interrupted' | undefined = 'completed'): RunnerEvent[] {
  const out: RunnerEvent[] = [ev.runStart(target, sec(startSec), { runId: RUN_ID, seed: 335856765, client: 'native', scenarios: SIX })];
  let at = startSec;
  for (const name of SIX.slice(0, upTo)) {
    out.push(ev.scenarioStart(target, sec(at), name), ev.progress(target, sec(at + 1), name, { windowOpsPerSec: 1000 * scale }));
    at += 2;
    out.push(ev.scenarioEnd(target, sec(at), name, { opsPerSec: 1000 * scale, durationMs: 2000 }));
  }
  if (end) out.push(ev.runEnd(target, sec(at), end, { durationMs: (at - startSec) * 1000 }));
  return out;
}

const finishedSix = (): RunnerEvent[] => [...sixRun('memory', 0, 1), ...sixRun('rocksdb', 12, 0.5), ...sixRun('etcd', 24, 2)];

function modelOf(events: readonly RunnerEvent[]): RunModel {
  const store = new RunStore(initialRunState({ targets: TARGETS, scenarios: SIX }));
  store.dispatch(events);
  return store.getSnapshot();
}

function frameAt(model: RunModel, columns: number, rows: number, props: Partial<DashboardProps> = {}): string {
  const r = renderAt(<Dashboard model={model} ui={INITIAL_UI} size={{ columns, rows }} nowMs={model.run.lastT ?? T0} interactive ownsRun feed={false} {...props} />, columns, rows);
  const f = stripAnsi(r.lastFrame());
  r.unmount();
  return f;
}

/** Every line fits the width and the frame stays below the last row. */
function assertFits(f: string, columns: number, rows: number): void {
  // Ink's live output ends its frame with a newline: that is not a row of the frame.
  const lines = f.replace(/\n$/, '').split('\n');
  assert.ok(lines.length <= rows - 1, `frame is ${lines.length} rows, the terminal ${rows}`);
  for (const l of lines) assert.ok([...l].length <= columns, `wider than ${columns}: ${l}`);
}

/** The App at `columns × rows` with a terminal-like stdin, for keys. */
function appAt(t: { after(fn: () => void): void }, model: RunModel, columns: number, rows: number) {
  const store = new RunStore(model.run);
  const stdout = new FakeStdout(columns, rows);
  const stdin = new FakeStdin();
  const inst = render(<App store={store} onQuit={() => {}} ownsRun clock={() => model.run.lastT ?? T0} />, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    // Every frame written whole: without it Ink draws nothing while CI is set (is-in-ci).
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  t.after(() => inst.unmount());
  const frame = (): string => stripAnsi(stdout.lastFrame());
  return { press: (k: string) => stdin.press(k), until: (check: RegExp | ((f: string) => boolean)) => waitForFrame(frame, check) };
}

/** The results rows of a frame (lines after the column heads, before the footer). */
function resultNames(f: string): string[] {
  const lines = f.split('\n');
  const head = lines.findIndex((l) => l.startsWith('scenario '));
  const foot = lines.findIndex((l) => l.startsWith('q quit'));
  return lines.slice(head + 1, foot).map((l) => l.split(/\s+/)[0]);
}

test('80×24: the header keeps elapsed and ETA; the results show their position and the frame fits', () => {
  const f = frameAt(modelOf(finishedSix()), 80, 24);
  const header = f.split('\n')[0];
  assert.match(header, /^metabench .*elapsed \d+s · ETA done/);
  assert.match(f, /^Results rows 3–6 of 6 ↑ \(j\/k PgUp\/PgDn\)/m);
  assert.deepEqual(resultNames(f), ['mixed-workload', 'watch-scalability', 'txn-throughput', 'compaction']);
  // A short terminal folds the panel's rows: server with CPU/RSS, progress with the last figures.
  assert.match(f, /│ done in \d+s · last: 1,000 ops\/s · p50 2\.5 ms · p99 13 ms · 0 err\s+│/);
  // p99 stays at 80 columns (×etcd is the first to go, see planTable).
  assert.match(f, /ops\/s\s+p99ms\s+grade\s+ops\/s/);
  assert.match(f, /j\/k results · \? help$/m);
  assertFits(f, 80, 24);
});

test('80 columns, a live run: elapsed and ETA survive a long run id, seed and client', () => {
  const live = [...sixRun('memory', 0, 1, 2, undefined), ev.scenarioStart('memory', sec(4), 'mixed-workload'), ev.progress('memory', sec(5), 'mixed-workload', { elapsedMs: 1000, done: 250, totalOps: 1000 })];
  const header = frameAt(modelOf(live), 80, 24).split('\n')[0];
  assert.match(header, /elapsed \d+s · ETA \d+/);
  assert.doesNotMatch(header, /seed/);
  assert.ok(header.length <= 80);
});

test('80×24 keys: k, PgUp and Home scroll the results up, j and End back; ↑/↓ bring the selected scenario\'s row into view', async (t) => {
  const { press, until } = appAt(t, modelOf(finishedSix()), 80, 24);
  await until(/rows 3–6 of 6/);
  press('k');
  let f = await until(/rows 2–5 of 6 ↑↓/);
  assert.deepEqual(resultNames(f), ['sustained-load', 'mixed-workload', 'watch-scalability', 'txn-throughput']);
  press(KEYS.pageUp);
  f = await until(/rows 1–4 of 6 ↓/);
  assert.deepEqual(resultNames(f), ['large-scale-load', 'sustained-load', 'mixed-workload', 'watch-scalability']);
  press('j');
  await until(/rows 2–5 of 6 ↑↓/);
  press(KEYS.end);
  await until(/rows 3–6 of 6 ↑ /);
  press(KEYS.home);
  await until(/rows 1–4 of 6 ↓/);
  // Selecting the fifth scenario scrolls its row into view (and highlights the panel's line).
  for (let i = 0; i < 4; i++) press(KEYS.down);
  f = await until(/rows 2–5 of 6 ↑↓/);
  assert.match(f, /▸✅ txn-throughput/);
  assert.equal(resultNames(f).at(-1), 'txn-throughput');
});

test('80×24 detail: it scrolls line by line and by page, with its position on the last row', async (t) => {
  const { press, until } = appAt(t, modelOf(finishedSix()), 80, 24);
  await until(/rows 3–6 of 6/);
  press(KEYS.enter);
  let f = await until(/memory · large-scale-load · passed/);
  const pos = /lines 1–(\d+) of (\d+) ↓ · ↑\/↓ j\/k PgUp\/PgDn scroll/.exec(f);
  assert.ok(pos, f);
  const [shown, total] = [Number(pos[1]), Number(pos[2])];
  assert.ok(total > shown, 'the detail is longer than the screen');
  assert.doesNotMatch(f, /more lines \(enlarge the terminal\)/);
  assert.match(f, /Esc back · ↑\/↓ j\/k PgUp\/PgDn scroll/);
  assertFits(f, 80, 24);
  press(KEYS.down);
  f = await until(new RegExp(`lines 2–${shown + 1} of ${total} ↑`));
  assert.doesNotMatch(f, /grade A — set by/);
  press(KEYS.pageDown);
  press(KEYS.pageDown);
  // The end: the last lines (the checks) are in view.
  f = await until(new RegExp(`lines ${total - shown + 1}–${total} of ${total} ↑ `));
  assert.match(f, /✅ read-your-write/);
  press('k');
  await until(new RegExp(`lines ${total - shown}–${total - 1} of ${total} ↑↓`));
  press(KEYS.home);
  await until(new RegExp(`lines 1–${shown} of ${total} ↓`));
});

test('80×24 detail: a line longer than the screen is cut, not wrapped, so the frame keeps its height', () => {
  const events = finishedSix().map((e) => (e.kind === 'scenario-end' && e.target === 'memory' && e.scenario === 'large-scale-load' ? { ...e, headline: 'watch-delivery-after-reconnect', error: 'x'.repeat(200) } : e));
  const f = frameAt(modelOf(events), 80, 24, { ui: { ...INITIAL_UI, view: 'detail' } });
  assert.match(f, /latency \(ms\) · ◂ headline \(watch-delivery-after-reconnect\)/);
  assert.match(f, /lines 1–\d+ of \d+ ↓/);
  assertFits(f, 80, 24);
});

test('100×30: the results keep p99 and ×etcd for memory, rocksdb and etcd', () => {
  const f = frameAt(modelOf(finishedSix()), 100, 30);
  assert.match(f, /scenario\s+ops\/s\s+p99ms\s+grade\s+×etcd\s+ops\/s\s+p99ms\s+grade\s+×etcd\s+ops\/s\s+p99ms\s+grade\s*$/m);
  assert.match(f, /^compaction\s+1,000\s+10\s+A\s+0\.50×\s+500\s+10\s+A\s+0\.25×\s+2,000\s+10\s+A\s*$/m);
  assert.match(f.split('\n')[0], /elapsed \d+s · ETA done/);
  assertFits(f, 100, 30);
});

for (const columns of [70, 40, 20]) {
  test(`${columns} columns: the whole too-narrow message shows, wrapped`, () => {
    const f = frameAt(modelOf(finishedSix()), columns, 24);
    const lines = f.split('\n');
    for (const l of lines) assert.ok([...l].length <= columns && !l.startsWith(' '), `wider than ${columns} or indented: '${l}'`);
    assert.equal(lines.map((l) => l.trim()).join(' '), `metabench: the terminal is too narrow (${columns} columns, needs 80); widen it or use \`metabench run --json\``);
  });
}

test('a finished target: its server shows as stopped with its peak CPU and last RSS, not as a live sample', () => {
  const events = [...targetRun('memory', 0, { end: 'completed' }), ...targetRun('rocksdb', 12, { stopAfter: 2 })];
  const f = frameAt(modelOf(events), 160, 45);
  // The fixture's samples: 55.5% CPU, 120 MiB.
  assert.match(f, /✅ memory completed[^\n]*🔄 rocksdb running/);
  assert.match(f, /│ server stopped · pid 4242 · 127\.0\.0\.1:23790\s+│ │ pid 4242 · 127\.0\.0\.1:23790\s+│/);
  assert.match(f, /│ peak CPU 56% · RSS 120 MiB at end\s+│ │ CPU 56% · RSS 120 MiB\s+│/);
  // A short terminal folds both rows into one: still stopped, not live.
  assert.match(frameAt(modelOf(events), 80, 24, { ui: { ...INITIAL_UI, target: 0 } }), /│ server stopped · peak CPU 56% · RSS 120 MiB at end · pid 4242 · 127\.0\.0\./);
});

test('an interrupted run: unstarted scenarios show – (not run), not ⏳, in the panels, the results and the detail', () => {
  const events = [
    ...sixRun('memory', 0, 1, 2, undefined),
    ev.scenarioStart('memory', sec(4), 'mixed-workload'),
    ev.progress('memory', sec(5), 'mixed-workload'),
    ev.runEnd('memory', sec(6), 'interrupted', { durationMs: 6000 }),
    ev.runEnd('rocksdb', sec(6), 'interrupted', { durationMs: 0, error: 'run stopped before this target started' }),
    ev.runEnd('etcd', sec(6), 'interrupted', { durationMs: 0, error: 'run stopped before this target started' }),
  ];
  const model = modelOf(events);
  const f = frameAt(model, 160, 45);
  assert.match(f, /⛔ memory interrupted/);
  assert.match(f, /│ {2}✅ sustained-load[^\n]*│ {2}– {2}sustained-load/);
  assert.match(f, /│ never started\s+│/);
  assert.match(f, /│ {2}⛔ mixed-workload/);
  assert.match(f, /│ {2}– {2}watch-scalability\s+–\s+│/);
  assert.doesNotMatch(f, /⏳/);
  // Results: memory's figures, the targets that never started marked not run.
  assert.match(f, /^large-scale-load\s+1,000\s+10 ms\s+A\s+–\s+–\s*$/m);
  assert.match(f, /peak CPU 56% · RSS 120 MiB at end/);
  const detail = frameAt(model, 160, 45, { ui: { target: 0, scenario: 3, view: 'detail' } });
  assert.match(detail, /– {2}memory · watch-scalability · not run/);
  assert.match(detail, /not run: the target ended \(interrupted\) before this scenario started/);
});

test('80×24 help: every key and mark fits, with the header and footer', () => {
  const f = frameAt(modelOf(finishedSix()), 80, 24, { ui: { ...INITIAL_UI, view: 'help' } });
  assert.match(f, /j\/k\s+scroll the results table/);
  assert.match(f, /PgUp\/PgDn\s+a page up/);
  assert.match(f, /❌ ⛔ –\s+failed · aborted \(cut off by an interrupt or crash\) · not run/);
  assert.match(f, /\*\s+graded by this target's own SLO/);
  assert.match(f, /Esc or \? close · q quit$/m);
  assertFits(f, 80, 24);
});

test('80×16 help: it scrolls with the detail\'s keys to its last mark, the frame fits, the footer says how', async (t) => {
  const f = frameAt(modelOf(finishedSix()), 80, 16, { ui: { ...INITIAL_UI, view: 'help' } });
  assert.match(f, /lines 1–\d+ of 17 ↓ · ↑\/↓ j\/k PgUp\/PgDn scroll/);
  assert.match(f, /Esc or \? close · ↑\/↓ j\/k PgUp\/PgDn scroll · q quit$/m);
  assertFits(f, 80, 16);
  const { press, until } = appAt(t, modelOf(finishedSix()), 80, 16);
  await until(/q quit/);
  press('?');
  await until(/lines 1–\d+ of 17 ↓/);
  press('j');
  await until(/lines 2–\d+ of 17 ↑↓/);
  press(KEYS.end);
  const end = await until(/lines \d+–17 of 17 ↑ /);
  assert.match(end, /\*\s+graded by this target's own SLO/);
  assertFits(end, 80, 16);
  press(KEYS.home);
  await until(/lines 1–\d+ of 17 ↓/);
});
