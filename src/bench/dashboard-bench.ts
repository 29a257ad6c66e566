/**
 * `npm run bench:dashboard`: CPU cost of the dashboard while two targets run.
 *
 * Starts `metabench monitor` on a synthetic run folder inside a real terminal (tmux, 160×45),
 * then appends events the way two parallel runners do (one progress line per target per second,
 * a scenario boundary every 5 s, a log line now and then) for `--seconds` (default 20). The
 * dashboard process's CPU time (user + system, from /proc) over that window is reported as % of
 * one core. Baseline, same run: the same dashboard following the same run for 5 s with no new
 * lines (polling and the clock only), after a 5 s warm-up. Target: < 10% of one core.
 *
 *   npm run bench:dashboard [-- --seconds 20]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunnerEvent } from '../events/schema.ts';
import { appendEvents, writeFixtureRun } from '../dashboard/fixture-run.ts';
import { ev, latency } from '../state/fixtures.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'src', 'bin', 'metabench.js');
const TARGETS = ['memory', 'rocksdb'] as const;
const SCENARIOS = ['large-scale-load', 'sustained-load', 'mixed-workload', 'watch-scalability', 'txn-throughput', 'compaction'];
const SCENARIO_SECONDS = 5;
const BASELINE_SECONDS = 5;
const WARMUP_SECONDS = 5;
/** Clock ticks per second of /proc times (USER_HZ); 100 on Linux. */
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

function parseSeconds(argv: readonly string[]): number {
  const i = argv.indexOf('--seconds');
  if (i < 0) return 20;
  const v = Number(argv[i + 1]);
  if (!Number.isFinite(v) || v < 5 || v > 600) throw new Error(`--seconds: expected a number of seconds from 5 to 600, got '${argv[i + 1]}'`);
  return v;
}

/** CPU seconds (user + system) used so far by `pid`. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

async function measure(pid: number, seconds: number, during: (elapsedS: number) => void): Promise<number> {
  const c0 = cpuSeconds(pid);
  const t0 = performance.now();
  for (let s = 0; s < seconds; s++) {
    during(s);
    await sleep(Math.max(0, t0 + (s + 1) * 1000 - performance.now()));
  }
  const wall = (performance.now() - t0) / 1000;
  return ((cpuSeconds(pid) - c0) / wall) * 100;
}

/** The events two parallel runners write in second `s` (t in ms since the epoch). */
function eventsAt(s: number, now: number): RunnerEvent[] {
  const out: RunnerEvent[] = [];
  const k = Math.floor(s / SCENARIO_SECONDS) % SCENARIOS.length;
  const within = s % SCENARIO_SECONDS;
  for (const [i, target] of TARGETS.entries()) {
    const scenario = SCENARIOS[k];
    if (within === 0) {
      if (s > 0) {
        const prev = SCENARIOS[(k + SCENARIOS.length - 1) % SCENARIOS.length];
        out.push(ev.scenarioEnd(target, now, prev, { opsPerSec: 2000 + i * 500, latency: { put: latency(3, 20), get: latency(1, 8), range: latency(5, 40) }, series: [1900, 2000, 2100, 2000, 1950] }));
      }
      out.push(ev.scenarioStart(target, now, scenario, { totalOps: 10_000 }));
    }
    const ops = 1800 + 400 * Math.sin(s / 3 + i) + 50 * i;
    out.push(ev.progress(target, now, scenario, { elapsedMs: (within + 1) * 1000, done: (within + 1) * 2000, totalOps: 10_000, windowOpsPerSec: ops, windowP50Ms: 2 + i, windowP99Ms: 15 + 3 * Math.cos(s), errors: 0, server: { pid: 10_000 + i, cpuPercent: 60 + 10 * Math.sin(s), rssBytes: 150e6 + s * 1e5 } }));
    if (s % 7 === 3) out.push(ev.log(target, now, `compaction at revision ${s * 1000}`));
  }
  return out;
}

async function main(): Promise<void> {
  if (process.platform !== 'linux') throw new Error(`bench:dashboard reads /proc for CPU time; platform '${process.platform}' is not supported`);
  if (spawnSync('tmux', ['-V']).status !== 0) throw new Error('bench:dashboard needs tmux (a real terminal for the dashboard); install it with apt-get install tmux');
  const seconds = parseSeconds(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), 'metabench-dash-bench-'));
  const session = `mbdash-bench-${process.pid}`;
  try {
    const start = Date.now();
    const runDir = writeFixtureRun(join(dir, 'run'), {
      targets: [...TARGETS],
      mode: 'parallel',
      runId: 'bench',
      events: TARGETS.map((t) => ev.runStart(t, start, { runId: 'bench', scenarios: SCENARIOS, server: { address: '127.0.0.1:2379', pid: 10_000 } })),
    });
    // `exec` makes the pane's process the dashboard itself, so its pid is the pane's.
    execFileSync('tmux', ['new-session', '-d', '-s', session, '-x', '160', '-y', '45', `cd ${ROOT} && exec node ${BIN} monitor ${runDir}`]);
    const pid = Number(execFileSync('tmux', ['display-message', '-p', '-t', session, '#{pane_pid}'], { encoding: 'utf8' }).trim());
    const t0 = performance.now();
    while (!/q quit/.test(execFileSync('tmux', ['capture-pane', '-p', '-t', session], { encoding: 'utf8' }))) {
      if (performance.now() - t0 > 60_000) throw new Error('the dashboard did not draw within 60 s');
      await sleep(50);
    }
    const startupS = (performance.now() - t0) / 1000;
    // Let start-up work (lazy compilation, GC of module loading) settle before measuring.
    await measure(pid, WARMUP_SECONDS, () => undefined);

    const baseline = await measure(pid, BASELINE_SECONDS, () => undefined);
    let lines = 0;
    const live = await measure(pid, seconds, (s) => {
      const batch = eventsAt(s, Date.now());
      lines += batch.length;
      appendEvents(runDir, batch);
    });
    const screen = execFileSync('tmux', ['capture-pane', '-p', '-t', session], { encoding: 'utf8' });
    if (!/🔄 memory running/.test(screen)) throw new Error(`the dashboard did not show the replay:\n${screen}`);

    const host = `${cpus().length} cores, load average ${loadavg()[0].toFixed(2)}`;
    process.stdout.write(
      [
        `dashboard CPU, % of one core (${host}; figures are noisy on a shared machine)`,
        `  startup to first frame        ${startupS.toFixed(1)} s (tsx compile included)`,
        `  following, no new lines (${BASELINE_SECONDS} s)  ${baseline.toFixed(2)}%   (baseline)`,
        `  two targets live (${seconds} s, ${lines} lines)  ${live.toFixed(2)}%   (${baseline > 0 ? (live / baseline).toFixed(1) : '∞'}× baseline)`,
        `  target < 10%: ${live < 10 ? 'met' : 'NOT met'}`,
        '',
      ].join('\n'),
    );
    execFileSync('tmux', ['send-keys', '-t', session, 'q']);
    await sleep(500);
  } finally {
    spawnSync('tmux', ['kill-session', '-t', session]);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
