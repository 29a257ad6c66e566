/**
 * `npm run bench:compare`: issue 12's goals measured in one run. Runs
 * `metabench run --targets memory,rocksdb,etcd,noop --profile standard --json`, reads the run's
 * `summary.json` and prints, per goal, the measured ratio, the goal and whether it was met:
 *
 *   large-scale-load (50 clients Put)   memory ≥ 1.5× etcd, rocksdb ≥ 1.0× etcd
 *   txn-throughput                      memory and rocksdb ≥ 2× etcd
 *   mixed-workload, sustained-load      memory ≥ 1.2× etcd
 *   watch-scalability                   delivery p99 ≤ etcd's, zero lost events (memory, rocksdb)
 *   every scenario                      the noop ceiling ≥ 2.5× etcd (noop ÷ fastest shown too)
 *
 * Beside each figure: the runner's CPU per operation and % of a core on each cell it is taken
 * from (`extra.runnerCpuUsPerOp`, `runnerCpuPercent`), and which of those cells are client-bound
 * by the views' one rule (`isClientBound`: within 1.25× of the noop ceiling, or the runner at
 * ≥ 90% of a core), so a met or missed goal can be read against the client's own limit.
 * Targets run one after another in the same run, so every ratio compares like with like on
 * whatever load the machine has; the load average is printed beside the figures.
 *
 *   npm run bench:compare                                     # the full standard profile
 *   npm run bench:compare -- --profile quick --scenarios large-scale-load,txn-throughput
 *   npm run bench:compare -- --client-threads 2               # passed through to metabench run
 *   npm run bench:compare -- --run results/<run-id>           # the table of an existing run
 *
 * etcd is left out with a note when it is not installed; `noop` (the load generator's ceiling)
 * only when `metabench run` accepts it. Exit codes: 0 the run completed (goals not met are
 * reported, not failed), 1 the run failed (crashed, interrupted, no summary), 2 bad flags.
 */
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { CLIENT_BOUND_RULE, clientBoundWhy, fmtCeilingRatio } from '../views/ceiling.ts';
import { fmtCpuPerOp, fmtFactor, fmtMs, fmtOps } from '../format/figures.ts';
import { loadFinishedRun } from '../state/load-run.ts';
import { buildSummary } from '../views/summary.ts';
import type { RunSummary, ScenarioCell } from '../views/summary.ts';
import { which } from '../targets/which.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const METABENCH = join(ROOT, 'src', 'bin', 'metabench.js');

/** Targets of a default run. */
export const DEFAULT_TARGETS = ['memory', 'rocksdb', 'etcd', 'noop'] as const;

/** Parsed command line. */
export interface CompareBenchOptions {
  /** `--run`: print the table of this existing run folder instead of running. */
  run?: string;
  /** Passed to `metabench run`; default `standard`. */
  profile: string;
  targets: string[];
  scenarios?: string;
  clientThreads?: string;
  /** `--results`: where `metabench run` puts the run folder (its default when absent). */
  results?: string;
}

/** A bad flag: one line, exit code 2. */
export class FlagError extends Error {
  override readonly name = 'FlagError';
}

/** Parses the command line; throws FlagError naming the flag, the value and what was expected. */
export function parseCompareBenchArgs(argv: readonly string[]): CompareBenchOptions {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        run: { type: 'string' },
        profile: { type: 'string' },
        targets: { type: 'string' },
        scenarios: { type: 'string' },
        'client-threads': { type: 'string' },
        results: { type: 'string' },
      },
    }));
  } catch (err) {
    throw new FlagError(`${(err as Error).message} (expected --profile, --scenarios, --targets, --client-threads, --results or --run RUN_DIR)`, { cause: err });
  }
  for (const [k, v] of Object.entries(values)) if (v !== undefined && v.trim() === '') throw new FlagError(`--${k}: empty value`);
  if (values.run !== undefined) {
    const extra = Object.keys(values).filter((k) => k !== 'run' && values[k] !== undefined);
    if (extra.length > 0) throw new FlagError(`--run prints an existing run; --${extra[0]} only applies to a new run`);
    return { run: values.run, profile: 'standard', targets: [] };
  }
  const targets = values.targets !== undefined ? values.targets.split(',').map((t) => t.trim()) : [...DEFAULT_TARGETS];
  if (targets.some((t) => t === '')) throw new FlagError(`--targets: '${values.targets}' has an empty name (expected e.g. memory,rocksdb,etcd,noop)`);
  const threads = values['client-threads'];
  if (threads !== undefined && !/^[1-9]\d*$/.test(threads)) throw new FlagError(`--client-threads: '${threads}' is not a whole number ≥ 1`);
  return { profile: values.profile ?? 'standard', targets, scenarios: values.scenarios, clientThreads: threads, results: values.results };
}

/** One goal's verdict: `met` undefined when it could not be judged (a target missing). */
export interface GoalRow {
  scenario: string;
  /** What is measured, e.g. `memory ÷ etcd ops/s`. */
  what: string;
  measured: string;
  goal: string;
  met?: boolean;
  /** The runner's CPU on each cell the figure comes from: `memory 68 µs/op 46%, etcd 114 µs/op 45%`. */
  runner?: string;
  /** The cells of the figure that are client-bound, and why: `memory (at ceiling 1.20×)`. */
  clientBound?: string;
  /** Why it was not judged, or what qualifies the figure (a scenario that did not pass, noop ÷ fastest). */
  note?: string;
}

const cellOf = (s: RunSummary, scenario: string, target: string): ScenarioCell | undefined => s.scenarios.find((x) => x.name === scenario)?.results[target];
const hasFigures = (c: ScenarioCell | undefined): c is ScenarioCell & { opsPerSec: number } => c?.opsPerSec !== undefined && (c.status === 'passed' || c.status === 'failed');

type Named = readonly [target: string, cell: ScenarioCell | undefined];

/** Notes that qualify a measured figure: a scenario that did not pass. */
function qualifiers(...cells: Named[]): string[] {
  return cells.flatMap(([t, c]) => (c !== undefined && c.status !== 'passed' ? [`${t}: scenario ${c.status}`] : []));
}

/** `68 µs/op 46%` for one cell, `—` without the runner's figures. */
function runnerOf(c: ScenarioCell | undefined): string {
  const perOp = c?.extra?.runnerCpuUsPerOp;
  const pct = c?.runnerCpuPercent ?? c?.extra?.runnerCpuPercent;
  const parts = [perOp !== undefined ? fmtCpuPerOp(perOp) : undefined, pct !== undefined ? `${Math.round(pct)}%` : undefined].filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : '—';
}

/** The runner and client-bound columns of a goal from the cells it is taken from. */
function cellFacts(...cells: Named[]): Pick<GoalRow, 'runner' | 'clientBound'> {
  const runner = cells.map(([t, c]) => `${t} ${runnerOf(c)}`).join(', ');
  const bound = cells.flatMap(([t, c]) => {
    const why = clientBoundWhy(c);
    return why ? [`${t} (${why})`] : [];
  });
  return { runner, ...(bound.length > 0 ? { clientBound: bound.join(', ') } : {}) };
}

/** Why a ratio could not be taken: which side has no figures. */
function missing(s: RunSummary, scenario: string, names: string[]): string {
  if (!s.scenarios.some((x) => x.name === scenario)) return 'scenario not in this run';
  const absent = names.filter((n) => !hasFigures(cellOf(s, scenario, n)));
  return absent.map((n) => `${n}: ${cellOf(s, scenario, n)?.status ?? (s.targets.some((t) => t.name === n) ? 'no result' : 'not in this run')}`).join(', ');
}

/**
 * `target ÷ etcd` throughput ≥ `min`; met only when both figures exist and the target passed.
 * Ratios print rounded down (`fmtCeilingRatio`), so 1.497× never reads as a met 1.5×.
 */
function throughputGoal(s: RunSummary, scenario: string, target: string, min: number): GoalRow {
  const base = { scenario, what: `${target} ÷ etcd ops/s`, goal: `≥ ${fmtFactor(min)}` };
  const c = cellOf(s, scenario, target);
  const e = cellOf(s, scenario, 'etcd');
  if (!hasFigures(c) || !hasFigures(e) || e.opsPerSec <= 0) return { ...base, measured: '—', note: missing(s, scenario, [target, 'etcd']) };
  const ratio = c.opsPerSec / e.opsPerSec;
  const notes = qualifiers([target, c], ['etcd', e]);
  return {
    ...base,
    measured: `${fmtCeilingRatio(ratio)} (${fmtOps(c.opsPerSec)} vs ${fmtOps(e.opsPerSec)})`,
    met: ratio >= min && c.status === 'passed',
    ...cellFacts([target, c], ['etcd', e]),
    ...(notes.length ? { note: notes.join('; ') } : {}),
  };
}

const WATCH = 'watch-scalability';
const DELIVERY = 'watch-delivery';

/** Watch delivery p99 of `target` no worse than etcd's. */
function watchP99Goal(s: RunSummary, target: string): GoalRow {
  const base = { scenario: WATCH, what: `${target} delivery p99 vs etcd`, goal: '≤ etcd' };
  const c = cellOf(s, WATCH, target);
  const e = cellOf(s, WATCH, 'etcd');
  const pc = c?.latencyByOp?.[DELIVERY]?.p99Ms;
  const pe = e?.latencyByOp?.[DELIVERY]?.p99Ms;
  if (!hasFigures(c) || !hasFigures(e)) return { ...base, measured: '—', note: missing(s, WATCH, [target, 'etcd']) };
  if (pc === undefined || pe === undefined) return { ...base, measured: '—', note: `no ${DELIVERY} latency in ${pc === undefined ? target : 'etcd'}'s result` };
  const notes = qualifiers([target, c], ['etcd', e]);
  return { ...base, measured: `${fmtMs(pc)} vs ${fmtMs(pe)}`, met: pc <= pe && c.status === 'passed', ...cellFacts([target, c], ['etcd', e]), ...(notes.length ? { note: notes.join('; ') } : {}) };
}

/** Zero lost watch events on `target` (the runner's `lostDeliveries`). */
function watchLostGoal(s: RunSummary, target: string): GoalRow {
  const base = { scenario: WATCH, what: `${target} lost events`, goal: '0' };
  const c = cellOf(s, WATCH, target);
  if (!hasFigures(c)) return { ...base, measured: '—', note: missing(s, WATCH, [target]) };
  const lost = c.extra?.lostDeliveries;
  if (lost === undefined) return { ...base, measured: '—', note: 'the result reports no lostDeliveries' };
  return { ...base, measured: fmtOps(lost), met: lost === 0, ...cellFacts([target, c]) };
}

/** Issue 12's ceiling goal: the noop figure ≥ this many times etcd's on every scenario. */
export const CEILING_GOAL_VS_ETCD = 2.5;

/**
 * Per scenario: the noop ceiling ≥ 2.5× etcd, so that the harness ceiling is the client's, not
 * the transport's. noop ÷ the fastest target is in the note, as information.
 */
function ceilingGoals(s: RunSummary): GoalRow[] {
  const goal = `≥ ${fmtFactor(CEILING_GOAL_VS_ETCD)} etcd`;
  const noop = s.ceilingTarget;
  if (noop === undefined) {
    return [{ scenario: '(every scenario)', what: 'noop ÷ etcd ops/s', measured: '—', goal, note: 'no noop target finished in this run' }];
  }
  return s.scenarios.map((sc): GoalRow => {
    const base = { scenario: sc.name, what: `${noop} ÷ etcd ops/s`, goal };
    const n = sc.results[noop];
    const e = sc.results.etcd;
    if (!hasFigures(n) || !hasFigures(e) || e.opsPerSec <= 0) return { ...base, measured: '—', note: missing(s, sc.name, [noop, 'etcd']) };
    const ratio = n.opsPerSec / e.opsPerSec;
    const fastest = sc.ceiling !== undefined ? [`${noop} ÷ fastest ${fmtCeilingRatio(sc.ceiling.ratio)} (${sc.ceiling.fastest} ${fmtOps(sc.ceiling.fastestOpsPerSec)})`] : [];
    const notes = [...qualifiers([noop, n], ['etcd', e]), ...fastest];
    return {
      ...base,
      measured: `${fmtCeilingRatio(ratio)} (${fmtOps(n.opsPerSec)} vs ${fmtOps(e.opsPerSec)})`,
      met: ratio >= CEILING_GOAL_VS_ETCD,
      ...cellFacts([noop, n], ['etcd', e]),
      ...(notes.length ? { note: notes.join('; ') } : {}),
    };
  });
}

/** Every goal of issue 12, in the issue's order. Pure. */
export function evaluateGoals(s: RunSummary): GoalRow[] {
  return [
    throughputGoal(s, 'large-scale-load', 'memory', 1.5),
    throughputGoal(s, 'large-scale-load', 'rocksdb', 1.0),
    throughputGoal(s, 'txn-throughput', 'memory', 2),
    throughputGoal(s, 'txn-throughput', 'rocksdb', 2),
    throughputGoal(s, 'mixed-workload', 'memory', 1.2),
    throughputGoal(s, 'sustained-load', 'memory', 1.2),
    watchP99Goal(s, 'memory'),
    watchP99Goal(s, 'rocksdb'),
    watchLostGoal(s, 'memory'),
    watchLostGoal(s, 'rocksdb'),
    ...ceilingGoals(s),
  ];
}

/** The goal table as aligned plain text, with a count line. */
export function renderGoals(s: RunSummary, rows: readonly GoalRow[], loadLine: string): string {
  const head = [`bench:compare — run ${s.runId} (${s.status}, profile ${s.manifest.profile ?? '?'}, ${s.manifest.mode}; targets ${s.targets.map((t) => `${t.name} ${t.status}`).join(', ')})`, loadLine];
  const table = [
    ['scenario', 'figure', 'measured', 'goal', 'result', 'runner CPU (per op, % core)', 'client-bound', 'note'],
    ...rows.map((r) => [r.scenario, r.what, r.measured, r.goal, r.met === undefined ? 'n/a' : r.met ? 'met' : 'NOT MET', r.runner ?? '', r.clientBound ?? '', r.note ?? '']),
  ];
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  const lines = table.map((row) => row.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd());
  const judged = rows.filter((r) => r.met !== undefined);
  const met = judged.filter((r) => r.met).length;
  const legend = `client-bound: ${CLIENT_BOUND_RULE} (the figure may measure the load generator more than the server)`;
  return [...head, '', ...lines, '', `${met} of ${judged.length} goals met${rows.length > judged.length ? `, ${rows.length - judged.length} not judged` : ''}`, legend].join('\n') + '\n';
}

const loadAverage = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');

/** True when `metabench run` lists `noop` among its targets. */
async function cliAcceptsNoop(): Promise<boolean> {
  const res = await execa('node', [METABENCH, 'run', '--help'], { reject: false, timeout: 30_000, forceKillAfterDelay: 2000 });
  return res.exitCode === 0 && /\bnoop\b/.test(res.stdout);
}

/** Runs `metabench run --json`, echoing each scenario result to stderr; resolves to the run folder and exit code. */
async function runMetabench(opts: CompareBenchOptions, targets: string[]): Promise<{ runDir?: string; exitCode: number }> {
  const args = [METABENCH, 'run', '--json', '--targets', targets.join(','), '--profile', opts.profile];
  if (opts.scenarios !== undefined) args.push('--scenarios', opts.scenarios);
  if (opts.clientThreads !== undefined) args.push('--client-threads', opts.clientThreads);
  if (opts.results !== undefined) args.push('--results', opts.results);
  process.stderr.write(`bench:compare: node ${args.map((a) => (a === METABENCH ? 'src/bin/metabench.js' : a)).join(' ')}\n`);
  const cancel = new AbortController();
  const stop = () => cancel.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const child = execa('node', args, { stdout: 'pipe', stderr: 'inherit', reject: false, cancelSignal: cancel.signal, forceKillAfterDelay: 10_000, cleanup: true });
  let runDir: string | undefined;
  const lines = createInterface({ input: child.stdout! });
  lines.on('line', (line) => {
    let ev: { kind?: string; target?: string; scenario?: string; status?: string; opsPerSec?: number; runDir?: string };
    try {
      ev = JSON.parse(line) as typeof ev;
    } catch (err) {
      process.stderr.write(`bench:compare: not a JSON line from metabench (${(err as Error).message}): ${line.slice(0, 80)}\n`);
      return;
    }
    if (ev.kind === 'summary') runDir = ev.runDir;
    else if (ev.kind === 'scenario-end') process.stderr.write(`  ${ev.target} ${ev.scenario}: ${ev.status}, ${fmtOps(ev.opsPerSec ?? 0)} ops/s (load ${loadAverage()})\n`);
  });
  const res = await child;
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  return { runDir, exitCode: typeof res.exitCode === 'number' ? res.exitCode : 1 };
}

/** Reads `summary.json`, or builds it from the result files when the run did not write one. */
async function readSummary(runDir: string): Promise<RunSummary> {
  const file = join(runDir, 'summary.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as RunSummary;
  return buildSummary(await loadFinishedRun(runDir));
}

/** The whole command; resolves to the exit code. */
export async function main(argv: readonly string[], out: (s: string) => void = (s) => process.stdout.write(s), err: (s: string) => void = (s) => process.stderr.write(s)): Promise<number> {
  let opts: CompareBenchOptions;
  try {
    opts = parseCompareBenchArgs(argv);
  } catch (e) {
    if (!(e instanceof FlagError)) throw e;
    err(`bench:compare: ${e.message}\n`);
    return 2;
  }
  if (opts.run !== undefined) {
    const dir = resolve(opts.run);
    if (!existsSync(join(dir, 'run.json'))) {
      err(`bench:compare: --run: '${opts.run}' is not a run folder (no run.json there)\n`);
      return 2;
    }
    let summary: RunSummary;
    try {
      summary = await readSummary(dir);
    } catch (e) {
      err(`bench:compare: --run ${opts.run}: ${(e as Error).message}\n`);
      return 1;
    }
    out(renderGoals(summary, evaluateGoals(summary), `load average now ${loadAverage()} (the run started ${summary.manifest.startedAt ?? 'at an unknown time'})`));
    return summary.status === 'completed' ? 0 : 1;
  }

  let targets = opts.targets;
  if (targets.includes('etcd') && which('etcd') === undefined) {
    err('bench:compare: note: etcd is not installed (no etcd on PATH); running without it, so no ratio to etcd can be taken\n');
    targets = targets.filter((t) => t !== 'etcd');
  }
  if (targets.includes('noop') && !(await cliAcceptsNoop())) {
    err("bench:compare: note: this metabench run does not accept the noop target; running without the harness ceiling\n");
    targets = targets.filter((t) => t !== 'noop');
  }
  if (targets.length === 0) {
    err('bench:compare: --targets: nothing left to run\n');
    return 2;
  }
  const loadBefore = loadAverage();
  const { runDir, exitCode } = await runMetabench(opts, targets);
  const loadAfter = loadAverage();
  if (runDir === undefined || !existsSync(join(runDir, 'run.json'))) {
    err(`bench:compare: metabench run exited ${exitCode} without a run folder\n`);
    return exitCode === 2 ? 2 : 1;
  }
  const summary = await readSummary(runDir);
  out(renderGoals(summary, evaluateGoals(summary), `load average before ${loadBefore}, after ${loadAfter}; run folder ${runDir}`));
  return summary.status === 'completed' ? 0 : 1;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
