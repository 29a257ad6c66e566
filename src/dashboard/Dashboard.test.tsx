import { test } from 'node:test';
import assert from 'node:assert/strict';
import { render } from 'ink-testing-library';
import { crashedRun, ev, finishedRun, runningRun, T0, targetRun } from '../state/fixtures.ts';
import { initialRunState, reduceRunEvents } from '../state/run-state.ts';
import type { RunnerEvent } from '../events/schema.ts';
import { Dashboard } from './Dashboard.tsx';
import type { DashboardProps } from './Dashboard.tsx';
import { RunStore } from '../state/run-store.ts';
import type { RunModel } from '../state/run-store.ts';
import { normalise, renderAt, stripAnsi } from './test-render.ts';
import { INITIAL_UI } from './ui-state.ts';

function modelOf(events: readonly RunnerEvent[], targets?: string[]): RunModel {
  const store = new RunStore(initialRunState(targets ? { targets } : undefined));
  store.dispatch(events);
  return store.getSnapshot();
}

function frameAt(props: Partial<DashboardProps> & { model: RunModel }, columns = 160, rows = 45): string {
  const lastT = props.model.run.lastT ?? T0;
  const r = renderAt(<Dashboard ui={INITIAL_UI} size={{ columns, rows }} nowMs={lastT} interactive ownsRun={false} feed={false} {...props} />, columns, rows);
  const frame = stripAnsi(r.lastFrame());
  r.unmount();
  return frame;
}

test('running run, 160×45: header progress, both panels side by side, bar, live figures, chart, results so far', () => {
  const f = frameAt({ model: modelOf(runningRun()) });
  assert.match(f, /run run-fixture · profile quick · seed 42 · elapsed 18s · ETA 6s/);
  assert.match(f, /memory 100% \| rocksdb 50% \| total 75%/);
  // Side by side: both names on the same row.
  assert.match(f, /✅ memory completed 100%.*🔄 rocksdb running 50%/);
  assert.match(f, /🔄 sustained-load\s+50%/);
  assert.match(f, /⏳ mixed-workload\s+…/);
  assert.match(f, /█+░+\s+50% 500\/1000 ETA 2s/);
  assert.match(f, /145 ops\/s · p50 2\.5 ms · p99 13 ms · 0 err/);
  assert.match(f, /last: 290 ops\/s/);
  assert.match(f, /pid 4242 · 127\.0\.0\.1:23790/);
  assert.match(f, /CPU 56% · RSS 120 MiB/);
  // rocksdb's chart: seconds into sustained-load, memory's run of it behind; memory's: its own span.
  assert.match(f, /ops\/s {2}sustained-load · seconds into it\s+━ rocksdb {2}━ memory/);
  assert.match(f, /ops\/s {2}large-scale-load\s+sustained-load\s+mixed-workload/);
  assert.match(f, /0s\s+6s\s+12s.*0s\s+2s\s+4s/);
  assert.match(f, /[⠁-⣿]/);
  assert.match(f, /large-scale-load\s+250\s+10 ms\s+A\s+125\s+10 ms\s+A/);
  assert.doesNotMatch(f, /×etcd/);
  const lines = f.split('\n');
  assert.ok(lines.length <= 44, `frame is ${lines.length} rows, must stay below the terminal's 45`);
  for (const l of lines) assert.ok([...l].length <= 160, `line wider than the terminal: ${l}`);
});

test('crashed target: ❌, its error and stderr tail, while the other target goes on', () => {
  const model = modelOf(crashedRun());
  const f = frameAt({ model, stderrTails: { rocksdb: ['Error: IO error: No space left on device', '    at Backend.put (index.ts:120)'] } });
  assert.match(f, /❌ rocksdb crashed/);
  assert.match(f, /❌ runner exited with code 1/);
  assert.match(f, /No space left on device/);
  assert.match(f, /at Backend\.put/);
  assert.match(f, /🔄 memory running/);
  assert.match(f, /⛔ large-scale-load/);
  assert.match(f, /parallel/);
});

test('finished run: every target completed, ETA done, results with ratios to etcd', () => {
  const f = frameAt({ model: modelOf(finishedRun()) }, 160, 50);
  assert.match(f, /ETA done/);
  assert.match(f, /memory 100% \| rocksdb 100% \| etcd 100% \| total 100%/);
  assert.match(f, /✅ memory completed.*✅ rocksdb completed.*✅ etcd completed/);
  assert.match(f, /❌ mixed-workload\s+F/);
  assert.match(f, /ops\/s\s+p99\s+grade ×etcd/);
  assert.match(f, /large-scale-load\s+250\s+10 ms\s+A\s+0\.50×\s+125\s+10 ms\s+A\s+0\.25×\s+500\s+10 ms\s+A\s*$/m);
  assert.match(f, /mixed-workload.*F\s+0\.25×/);
});

test('normalised frame of the finished run is stable (digits and ANSI stripped)', () => {
  const a = normalise(frameAt({ model: modelOf(finishedRun()) }, 160, 50));
  assert.match(a, /seed ## · elapsed ##s/);
  assert.match(a, /memory ###% \| rocksdb ###%/);
});

test('finished scenarios go to <Static> once, in the order they finished', () => {
  const model = modelOf(finishedRun());
  const r = renderAt(<Dashboard model={model} ui={INITIAL_UI} size={{ columns: 160, rows: 50 }} nowMs={T0} interactive ownsRun={false} />, 160, 50);
  const f = stripAnsi(r.lastFrame());
  r.unmount();
  const feed = f.split('\n').filter((l) => / · (passed|failed) · /.test(l));
  assert.equal(feed.length, 9);
  assert.match(feed[0], /✅ memory · large-scale-load · passed · 250 ops\/s · p99 10 ms · A/);
  assert.match(feed[5], /❌ rocksdb · mixed-workload · failed .* · F/);
});

test('stacked below 120 columns (ink-testing-library, 100 columns): one full panel, one summary row', () => {
  const model = modelOf(runningRun());
  const ui = { ...INITIAL_UI, target: 1 };
  const { lastFrame, unmount } = render(<Dashboard model={model} ui={ui} size={{ columns: 100, rows: 45 }} nowMs={model.run.lastT!} interactive ownsRun={false} feed={false} />);
  const f = stripAnsi(lastFrame() ?? '');
  unmount();
  assert.match(f, /^✅ memory\s+completed\s+100%/m);
  assert.match(f, /│ 🔄 rocksdb running 50%/);
  assert.doesNotMatch(f, /│ ✅ memory completed/);
});

test('below 80 columns: says the terminal is too narrow', () => {
  const f = frameAt({ model: modelOf(runningRun()) }, 70, 30);
  assert.match(f, /terminal is too narrow \(70 columns, needs 80\)/);
  assert.doesNotMatch(f, /rocksdb/);
});

test('waiting target and no events: panels say so', () => {
  const f = frameAt({ model: modelOf([], ['memory', 'rocksdb']) });
  assert.match(f, /⏳ memory waiting 0%/);
  assert.match(f, /waiting for its turn/);
  assert.match(f, /total 0%/);
});

test('unavailable target: reason and hint, n/a in the header', () => {
  const f = frameAt({ model: modelOf([ev.unavailable('etcd', T0), ...runningRun()]) });
  assert.match(f, /etcd n\/a/);
  assert.match(f, /🚫 etcd unavailable/);
  assert.match(f, /etcd not found on PATH/);
  assert.match(f, /hint: apt-get install etcd-server/);
});

test('detail view: grade, percentiles per op type, percentile bars, mix, checks', () => {
  const model = modelOf(finishedRun());
  const f = frameAt({ model, ui: { target: 1, scenario: 2, view: 'detail' } }, 160, 50);
  assert.match(f, /❌ rocksdb · mixed-workload · failed/);
  assert.match(f, /grade F — set by check failed: realised mix/);
  assert.match(f, /op\s+count\s+p50\s+p90\s+p99\s+p99\.9\s+max/);
  assert.match(f, /put\s+1,000\s+2\.0\s+6\.0\s+10\s+15\s+20/);
  assert.match(f, /p99\.9\s+█+/);
  assert.match(f, /operation mix/);
  assert.match(f, /put\s+█+░+ 50%/);
  assert.match(f, /❌ realised mix — GET 47% vs 40% ±2/);
  assert.doesNotMatch(f, /╭─+╮ ╭/);
});

test('detail view: server CPU per operation with its unit, when the runner measured it', () => {
  const events = finishedRun().map((e) => (e.kind === 'scenario-end' && e.target === 'rocksdb' && e.scenario === 'mixed-workload' ? { ...e, extra: { ...e.extra, serverCpuUsPerOp: 38.2 } } : e));
  const f = frameAt({ model: modelOf(events), ui: { target: 1, scenario: 2, view: 'detail' } }, 160, 50);
  assert.match(f, / · server CPU 38 µs\/op/);
  assert.doesNotMatch(f, /serverCpuUsPerOp/);
});

test('detail of a running scenario shows live figures', () => {
  const model = modelOf(runningRun());
  const f = frameAt({ model, ui: { target: 1, scenario: 1, view: 'detail' } });
  assert.match(f, /running: 50% · 145 ops\/s/);
});

test('help view lists the keys; quitting is described per mode', () => {
  const model = modelOf(runningRun());
  assert.match(frameAt({ model, ui: { ...INITIAL_UI, view: 'help' }, ownsRun: true }), /stop the run gracefully/);
  assert.match(frameAt({ model, ui: { ...INITIAL_UI, view: 'help' } }), /leave the monitor \(the run goes on\)/);
});

test('micro results: a table per case and engine', () => {
  const events = [...finishedRun(), ev.micro('micro', T0 + 40_000, 'memory', 'put', 120_000), ev.micro('micro', T0 + 40_000, 'rocksdb', 'put', 40_000), ev.micro('micro', T0 + 40_000, 'memory', 'get-hit', 900_000)];
  const f = frameAt({ model: modelOf(events) }, 160, 60);
  assert.match(f, /Micro-benchmarks/);
  assert.match(f, /case\s+memory: ops\/s\s+p99\s+rocksdb: ops\/s/);
  // The same fmtNs as report.md: 25,000 ns is `25.0 µs` everywhere.
  assert.match(f, /put\s+120k\s+25\.0 µs\s+40k\s+75\.0 µs/);
  assert.match(f, /get-hit\s+900k\s+3\.33 µs\s+—/);
  // The micro-only target gets no panel.
  assert.doesNotMatch(f, /micro waiting/);
});

test('a selected scenario is highlighted in the selected panel only', () => {
  const model = modelOf(runningRun());
  const r = renderAt(<Dashboard model={model} ui={{ target: 1, scenario: 2, view: 'main' }} size={{ columns: 160, rows: 45 }} nowMs={T0} interactive ownsRun={false} feed={false} />, 160, 45);
  const f = stripAnsi(r.lastFrame());
  r.unmount();
  assert.match(f, /│ {2}✅ mixed-workload.*│ │ ▸⏳ mixed-workload/);
  assert.equal((f.match(/▸/g) ?? []).length, 1);
});

test('reduceRunEvents and the store agree', () => {
  const events = crashedRun();
  assert.deepEqual(modelOf(events).run, reduceRunEvents(initialRunState(), events));
});

test('micro-benchmarks after the scenarios: the panel says so', () => {
  const events = [...targetRun('memory', 0), ev.micro('memory', T0 + 13_000, 'memory', 'put', 100_000)];
  const f = frameAt({ model: modelOf(events) });
  assert.match(f, /micro-benchmarks: 1 cases done/);
  assert.match(f, /put\s+100k/);
});
