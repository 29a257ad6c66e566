/**
 * The dashboard in a real terminal (tmux): keys, resize, exit codes and, once the runner and
 * servers are in place, a real run stopped with `q` leaving no process behind. Skipped when
 * tmux is not installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEventLine } from '../events/schema.ts';
import { finishedRun } from '../state/fixtures.ts';
import { writeFixtureRun } from './fixture-run.ts';
import { isAlive } from '../results/locate-run.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'src', 'bin', 'metabench.js');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
let sessions = 0;

/** A detached tmux session running `command`; its exit code lands in `<dir>/exit-code`. */
function tmuxSession(t: { after(fn: () => void): void }, dir: string, command: string, columns = 160, rows = 45) {
  const name = `mbdash-${process.pid}-${++sessions}`;
  const exitFile = join(dir, 'exit-code');
  // `remain-on-exit` keeps the pane after the command, so the last frame stays readable.
  execFileSync('tmux', ['new-session', '-d', '-s', name, '-x', String(columns), '-y', String(rows), `cd ${ROOT} && ${command}; echo $? > ${exitFile}; sleep 60`]);
  t.after(() => {
    spawnSync('tmux', ['kill-session', '-t', name]);
  });
  const capture = (): string => execFileSync('tmux', ['capture-pane', '-p', '-t', name], { encoding: 'utf8' });
  return {
    capture,
    /** The screen with its SGR escapes (colours) kept. */
    captureEscapes: (): string => execFileSync('tmux', ['capture-pane', '-p', '-e', '-t', name], { encoding: 'utf8' }),
    keys: (...keys: string[]) => execFileSync('tmux', ['send-keys', '-t', name, ...keys]),
    resize: (c: number, r: number) => execFileSync('tmux', ['resize-window', '-t', name, '-x', String(c), '-y', String(r)]),
    async until(check: RegExp, timeoutMs = 30_000): Promise<string> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const screen = capture();
        if (check.test(screen)) return screen;
        if (Date.now() > deadline) throw new Error(`tmux screen never matched ${String(check)}:\n${screen}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async exitCode(timeoutMs = 30_000): Promise<number> {
      const deadline = Date.now() + timeoutMs;
      while (!existsSync(exitFile) || readFileSync(exitFile, 'utf8').trim() === '') {
        if (Date.now() > deadline) throw new Error(`the command did not exit within ${timeoutMs} ms:\n${capture()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      return Number(readFileSync(exitFile, 'utf8').trim());
    },
  };
}

function tmp(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'metabench-dash-e2e-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('tmux: monitor of a finished fixture run — panels, detail, help, resize reflow, too narrow, q exits with the run\'s code', { skip: !hasTmux && 'tmux not installed' }, async (t) => {
  const dir = tmp(t);
  const runDir = writeFixtureRun(join(dir, 'run'), { targets: ['memory', 'rocksdb', 'etcd'], events: finishedRun() });
  // CI=true on purpose: Ink draws nothing live when it sees CI set, which once left this very
  // test (run by CI) staring at an empty screen. The dashboard must draw regardless.
  const s = tmuxSession(t, dir, `CI=true node ${BIN} monitor ${runDir}`);
  let screen = await s.until(/q quit/);
  assert.match(screen, /ETA done/);
  assert.match(screen, /✅ memory completed.*✅ rocksdb completed.*✅ etcd completed/);
  assert.match(screen, /❌ mixed-workload\s+F/);
  assert.match(screen, /large-scale-load\s+250\s+10 ms\s+A\s+0\.50×/);

  s.keys('Right');
  s.keys('Down', 'Down');
  s.keys('Enter');
  screen = await s.until(/rocksdb · mixed-workload · failed · check failed: realised mix \(Esc closes\)/);
  assert.match(screen, /❌ realised mix — GET 47% vs 40% ±2/);
  s.keys('Escape');
  await s.until(/q quit/);
  s.keys('?');
  await s.until(/Keys[\s\S]*leave the monitor/);
  s.keys('?');
  await s.until(/q quit/);

  // Narrower than 120 columns: panels stack (the selected one in full, the others as one row).
  s.resize(100, 45);
  screen = await s.until(/^✅ memory\s+completed/m);
  assert.match(screen, /│ ✅ rocksdb completed/);
  s.resize(70, 45);
  await s.until(/terminal is too narrow \(70 columns/);
  s.resize(160, 45);
  await s.until(/✅ memory completed.*✅ rocksdb completed/);

  s.keys('q');
  // The fixture's rocksdb failed a scenario: the run's exit code is 1.
  assert.equal(await s.exitCode(), 1);
});

test('tmux at 80×24: header keeps elapsed and ETA, the detail scrolls with PgDn/End, help fits, too-narrow wraps at 40', { skip: !hasTmux && 'tmux not installed' }, async (t) => {
  const dir = tmp(t);
  const runDir = writeFixtureRun(join(dir, 'run'), { targets: ['memory', 'rocksdb', 'etcd'], events: finishedRun() });
  const s = tmuxSession(t, dir, `node ${BIN} monitor ${runDir}`, 80, 24);
  let screen = await s.until(/q quit/);
  // The header (below the finished-scenario lines printed once above the live frame).
  assert.match(screen.split('\n').find((l) => l.startsWith('metabench ')) ?? '', /elapsed \d+s · ETA done/);
  // Stacked at 80 columns: p99 stays (×etcd is the first field to go).
  assert.match(screen, /ops\/s\s+p99ms\s+grade/);
  s.keys('Enter');
  screen = await s.until(/memory · large-scale-load · passed[\s\S]*lines 1–\d+ of \d+ ↓/);
  const total = Number(/lines 1–\d+ of (\d+)/.exec(screen)?.[1]);
  s.keys('NPage');
  await s.until(/lines \d+–\d+ of \d+ ↑/);
  s.keys('End');
  screen = await s.until(new RegExp(`lines \\d+–${total} of ${total} ↑ `));
  assert.match(screen, /✅ read-your-write/);
  s.keys('Escape');
  await s.until(/Enter detail/);
  s.keys('?');
  screen = await s.until(/Marks[\s\S]*Esc or \? close/);
  // The whole help, header and footer fit the screen (nothing scrolled off the top).
  assert.match(screen, /^metabench /m);
  s.keys('Escape');
  await s.until(/Enter detail/);
  s.resize(40, 24);
  screen = await s.until(/metabench run --json/);
  assert.match(screen, /\(40 columns, needs 80\); widen it or use\s*\n`metabench run --json`/);
  s.resize(80, 24);
  await s.until(/Enter detail/);
  s.keys('q');
  assert.equal(await s.exitCode(), 1);
});

test('tmux: narrowing the terminal re-wraps the frame drawn; after too narrow and back to wide, no stale line stays and the feed shows once', { skip: !hasTmux && 'tmux not installed' }, async (t) => {
  const dir = tmp(t);
  const runDir = writeFixtureRun(join(dir, 'run'), { targets: ['memory', 'rocksdb', 'etcd'], events: finishedRun() });
  const s = tmuxSession(t, dir, `node ${BIN} monitor ${runDir}`, 60, 30);
  await s.until(/too narrow \(60 columns, needs\s*\n80\)/);
  // 60 → 40: tmux re-wraps the 58-column lines already on screen into more rows than Ink drew.
  s.resize(40, 30);
  await s.until(/too narrow\s*\n\(40 columns/);
  s.resize(160, 45);
  let screen = await s.until(/q quit/);
  assert.doesNotMatch(screen, /too narrow|run --json/);
  assert.equal(screen.match(/^metabench run /gm)?.length, 1, screen);
  // The feed of finished scenarios shows once on screen, not lost and not doubled.
  assert.equal(screen.match(/^✅ memory · large-scale-load · passed/gm)?.length, 1, screen);
  // 160 → 70 → 160: the wide frame re-wrapped at 70 columns leaves nothing behind either.
  s.resize(70, 45);
  await s.until(/too narrow \(70 columns/);
  s.resize(160, 45);
  screen = await s.until(/q quit/);
  assert.doesNotMatch(screen, /too narrow|run --json/);
  assert.equal(screen.match(/^metabench run /gm)?.length, 1, screen);
  for (const line of screen.split('\n')) assert.doesNotMatch(line, /^│\s+│$/, screen);
  s.keys('q');
  assert.equal(await s.exitCode(), 1);
});

test('tmux: NO_COLOR draws the dashboard without colour, as the text outputs; without it grades are coloured', { skip: !hasTmux && 'tmux not installed' }, async (t) => {
  const dir = tmp(t);
  const runDir = writeFixtureRun(join(dir, 'run'), { targets: ['memory', 'rocksdb', 'etcd'], events: finishedRun() });
  // A foreground colour SGR: ESC [ 3x m, or 38;5;n / 38;2;r;g;b, alone or after other attributes.
  const colour = new RegExp(String.raw`${String.fromCharCode(27)}\[(?:[0-9;]*;)?3[0-8][;m]`);
  const plain = tmuxSession(t, dir, `NO_COLOR=1 node ${BIN} monitor ${runDir}`);
  await plain.until(/q quit/);
  assert.doesNotMatch(plain.captureEscapes(), colour);
  plain.keys('q');
  const coloured = tmuxSession(t, dir, `node ${BIN} monitor ${runDir}`);
  await coloured.until(/q quit/);
  assert.match(coloured.captureEscapes(), colour);
  coloured.keys('q');
});

test('tmux: monitor of a folder that is not a run: one line, exit 2', { skip: !hasTmux && 'tmux not installed' }, async (t) => {
  const dir = tmp(t);
  const s = tmuxSession(t, dir, `node ${BIN} monitor ${join(dir, 'nope')}`);
  assert.equal(await s.exitCode(), 2);
  const lines = s.capture().split('\n').filter((l) => l.trim() !== '');
  assert.equal(lines.length, 1);
  assert.match(lines[0], /^metabench: run folder '.*nope' does not exist/);
});

const runnerReady = existsSync(join(ROOT, 'src', 'runner', 'entry.js')) && existsSync(join(ROOT, 'src', 'commands', 'run.ts'));

test('tmux: a real quick run of memory and rocksdb — panels fill, q stops it: exit 130, nothing left running', { skip: (!hasTmux && 'tmux not installed') || (!runnerReady && 'runner not built yet') }, async (t) => {
  const dir = tmp(t);
  const results = join(dir, 'results');
  const s = tmuxSession(t, dir, `node ${BIN} --profile quick --targets memory,rocksdb --results ${results}`);
  // Panels fill: memory's server is up and its first scenario is making progress.
  let screen = await s.until(/🔄 memory running[\s\S]*pid \d+ · 127\.0\.0\.1:\d+[\s\S]*█/, 60_000);
  assert.match(screen, /⏳ rocksdb waiting/);
  assert.match(screen, /memory \d+% \| rocksdb 0% \| total \d+%/);
  s.keys('q');
  assert.equal(await s.exitCode(60_000), 130);
  screen = s.capture();
  assert.match(screen, /⛔ memory interrupted/);

  const runs = readdirSync(results).filter((f) => f !== 'latest');
  assert.equal(runs.length, 1);
  const runDir = join(results, runs[0]);
  const events = readFileSync(join(runDir, 'memory.ndjson'), 'utf8').trim().split('\n').map((l) => parseEventLine(l));
  const last = events.at(-1);
  assert.equal(last?.kind === 'run-end' ? last.status : last?.kind, 'interrupted');
  for (const e of events) if (e.kind === 'run-start' && e.server?.pid) assert.equal(isAlive(e.server.pid), false, `server pid ${e.server.pid} still running`);
  const left = spawnSync('pgrep', ['-f', runDir], { encoding: 'utf8' }).stdout.trim();
  assert.equal(left, '', `processes still running for ${runDir}: ${left}`);
});
