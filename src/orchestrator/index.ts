/**
 * The orchestrator: makes the run folder (manifest, `latest`, one event file per target), starts
 * one runner child per target (one after another by default, all at once with `parallel`), folds
 * their files into the run's one store (`src/state/follow-run.ts`), reaps runners that die
 * without a run-end, handles Ctrl-C/SIGTERM, and writes the reports at the end from that store.
 * The dashboard, the plain and JSON outputs and `--fail-under` read the same store and summary.
 *
 *   const run = await startRun(options);
 *   run.store.onEvents((batch) => …);      // every event of every target from now on, in order
 *   const { exitCode, summary } = await run.done;
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_CLIENT } from '../client/factory.ts';
import { buildManifest, writeManifest, type RunManifest } from '../results/manifest.ts';
import { makeRunId } from '../results/run-id.ts';
import { updateLatest } from '../results/latest.ts';
import { eventFilePath } from '../results/event-writer.ts';
import { writeReports } from '../report/write-reports.ts';
import { followRun, type FollowedRun } from '../state/follow-run.ts';
import { isTargetFinal } from '../state/types.ts';
import type { RunStore } from '../state/run-store.ts';
import { buildSummary } from '../views/summary.ts';
import { reapRunner } from './reap.ts';
import { spawnRunner, type RunnerExit } from './runner-process.ts';
import { exitCodeOf } from './exit-code.ts';
import type { RunHandle, RunOptions, RunResult, TargetSpec } from './types.ts';

export type { RunHandle, RunOptions, RunResult, TargetSpec } from './types.ts';
export { exitCodeOf } from './exit-code.ts';

/** A run handle (with the run's one store, which every view reads) and its diagnostics. */
export interface OrchestratedRun extends RunHandle {
  /** Diagnostics (a reaped runner, an invalid line) go here; default: stderr. */
  onDiagnostic(listener: (message: string) => void): void;
}

/** How often the orchestrator reads the runners' files, ms (they write a progress line a second). */
const POLL_MS = 250;

/**
 * Starts a run and returns at once with its handle; the runners start right after. Installs
 * SIGINT/SIGTERM/SIGHUP handlers that stop the run (a second signal force-kills the runners),
 * removed when the run is done.
 */
export async function startRun(options: RunOptions): Promise<OrchestratedRun> {
  const resultsDir = resolve(options.resultsDir);
  mkdirSync(resultsDir, { recursive: true });
  const runId = makeRunId();
  const runDir = join(resultsDir, runId);
  mkdirSync(runDir);
  const manifest: RunManifest = buildManifest({
    runId,
    targets: options.targets.map((t) => ({ name: t.name, kind: t.kind, ...(t.endpoints ? { endpoints: [...t.endpoints] } : {}) })),
    profile: options.profile,
    scenarios: [...options.scenarios],
    seed: options.seed,
    micro: options.micro,
    mode: options.parallel ? 'parallel' : 'sequential',
    client: options.client ?? DEFAULT_CLIENT,
    ...((options.repeats ?? 1) > 1 ? { repeats: options.repeats } : {}),
  });
  writeManifest(runDir, manifest);
  // Every target's file exists from the start, so `tail -f` works before its turn comes.
  for (const t of options.targets) writeFileSync(eventFilePath(runDir, t.name), '', { flag: 'a' });
  updateLatest(resultsDir, runId);
  return new Run(options, runId, runDir, manifest).launch();
}

class Run implements OrchestratedRun {
  readonly targets: readonly string[];
  readonly done: Promise<RunResult>;
  readonly #stopController = new AbortController();
  readonly #followed: FollowedRun;
  readonly #diagnostics = new Set<(m: string) => void>();
  readonly #serverPids = new Map<string, number>();
  readonly #live = new Map<string, { kill(sig: NodeJS.Signals): void }>();
  /** Run-end events folded per target so far (one per repeat that ended). */
  readonly #runEnds = new Map<string, number>();
  #signals = 0;
  #resolveDone!: (r: RunResult) => void;

  constructor(
    private readonly options: RunOptions,
    readonly runId: string,
    readonly runDir: string,
    readonly manifest: RunManifest,
  ) {
    this.targets = options.targets.map((t) => t.name);
    this.#followed = followRun(
      { runDir, targets: this.targets, manifest },
      { pollMs: POLL_MS, watchOrchestrator: false, onProblem: (target, err) => this.#diagnostic(`${target}: skipped an invalid line: ${err.message}`) },
    );
    this.#followed.store.onEvents((events) => {
      for (const e of events) {
        if (e.kind === 'run-start' && e.server?.pid !== undefined) this.#serverPids.set(e.target, e.server.pid);
        if (e.kind === 'run-end') this.#runEnds.set(e.target, (this.#runEnds.get(e.target) ?? 0) + 1);
      }
    });
    this.done = new Promise((res) => (this.#resolveDone = res));
  }

  get store(): RunStore {
    return this.#followed.store;
  }

  launch(): this {
    process.on('SIGINT', this.#onSignal);
    process.on('SIGTERM', this.#onSignal);
    process.on('SIGHUP', this.#onSignal);
    void this.#runAll().then(
      (r) => this.#finish(r),
      (err: unknown) => {
        this.#diagnostic(`orchestrator error: ${(err as Error).stack ?? String(err)}`);
        this.#finish({ exitCode: 1, summary: buildSummary({ runId: this.runId, state: this.store.getSnapshot().run, manifest: this.manifest }) });
      },
    );
    return this;
  }

  onDiagnostic(listener: (message: string) => void): void {
    this.#diagnostics.add(listener);
  }

  async stop(): Promise<void> {
    this.#stopController.abort(new Error('run stopped'));
    await this.done;
  }

  get #stopping(): boolean {
    return this.#stopController.signal.aborted;
  }

  readonly #onSignal = (sig: NodeJS.Signals): void => {
    this.#signals++;
    if (this.#signals === 1) {
      this.#diagnostic(`${sig}: stopping the run (again to force)`);
      this.#stopController.abort(new Error(`interrupted by ${sig}`));
    } else {
      this.#diagnostic(`${sig}: killing the runners`);
      for (const r of this.#live.values()) r.kill('SIGKILL');
    }
  };

  async #runAll(): Promise<RunResult> {
    const specs = this.options.targets;
    const repeats = this.options.repeats ?? 1;
    // Targets interleaved within each repeat (A, B, C, then A, B, C…), so drift hits them alike.
    for (let repeat = 1; repeat <= repeats; repeat++) {
      const due = specs.filter((s) => !this.#isDone(s.name));
      if (this.options.parallel) await Promise.all(due.map((s) => this.#runOne(s, repeat, repeats)));
      else for (const s of due) await this.#runOne(s, repeat, repeats);
    }
    this.#followed.close();
    this.#followed.poll();
    const state = this.store.getSnapshot().run;
    const summary = buildSummary({ runId: this.runId, state, manifest: this.manifest }, { interrupted: this.#stopping });
    try {
      // Reports of an interrupted run too: what finished is worth keeping.
      await writeReports(this.runDir, summary, state);
    } catch (err) {
      this.#diagnostic(`could not write the reports: ${(err as Error).message}`);
    }
    return { exitCode: exitCodeOf(state, this.#stopping), summary };
  }

  /** True when a target will run no more repeats: it crashed, was unavailable or interrupted. */
  #isDone(target: string): boolean {
    const t = this.store.getSnapshot().run.targets[target];
    return t !== undefined && isTargetFinal(t.status);
  }

  async #runOne(spec: TargetSpec, repeat: number, repeats: number): Promise<void> {
    if (this.#isDone(spec.name)) return;
    if (this.#stopping) {
      // Never started: close its file so readers see the target as interrupted, not waiting.
      this.#followed.finishTarget(spec.name);
      const when = repeat === 1 ? 'before this target started' : `before repeat ${repeat} of this target started`;
      this.#followed.append(spec.name, [{ kind: 'run-end', status: 'interrupted', durationMs: 0, error: `run stopped ${when}`, ...(repeats > 1 ? { repeat } : {}) }]);
      return;
    }
    const startedAt = Date.now();
    const endsBefore = this.#runEnds.get(spec.name) ?? 0;
    // A pid from an earlier repeat's server is not this runner's to reap.
    this.#serverPids.delete(spec.name);
    const tmpRoot = mkdtempSync(join(tmpdir(), `metabench-${spec.name}-`));
    const runner = spawnRunner(
      { runDir: this.runDir, target: spec, keepData: this.options.keepData, tmpRoot, ...(repeats > 1 ? { repeat } : {}), ...(this.options.cpuProfDir ? { cpuProfDir: this.options.cpuProfDir } : {}) },
      { entry: this.options.runnerEntry, env: this.options.runnerEnv, cancelSignal: this.#stopController.signal, killGraceMs: this.options.runnerKillGraceMs },
    );
    this.#live.set(spec.name, runner);
    let exit: RunnerExit;
    try {
      exit = await runner.exited;
    } finally {
      this.#live.delete(spec.name);
    }
    const status = await reapRunner({
      runDir: this.runDir,
      target: spec.name,
      followed: this.#followed,
      exit,
      stopping: this.#stopping,
      endedNow: () => (this.#runEnds.get(spec.name) ?? 0) > endsBefore,
      // Its file is followed on into the next repeat unless this was its last one.
      keepFollowing: repeat < repeats && !this.#stopping,
      ...(repeats > 1 ? { repeat } : {}),
      startedAt,
      serverPid: this.#serverPids.get(spec.name),
      diagnostic: (m) => this.#diagnostic(m),
    });
    if (status) this.#diagnostic(`${spec.name}: runner ${exit.description} without a run-end; marked ${status}`);
    if (this.options.keepData) this.#diagnostic(`${spec.name}: data kept in ${tmpRoot}`);
    // Retried: a server whose runner was killed may still be removing its own data dir inside.
    else rmSync(tmpRoot, { recursive: true, force: true, maxRetries: 3 });
  }

  #diagnostic(message: string): void {
    if (this.#diagnostics.size === 0) process.stderr.write(`metabench: ${message}\n`);
    for (const l of this.#diagnostics) l(message);
  }

  #finish(result: RunResult): void {
    process.off('SIGINT', this.#onSignal);
    process.off('SIGTERM', this.#onSignal);
    process.off('SIGHUP', this.#onSignal);
    this.#followed.close();
    this.#resolveDone(result);
  }
}
