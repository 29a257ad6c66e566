/**
 * The orchestrator: makes the run folder (manifest, `latest`, one event file per target), starts
 * one runner child per target (one after another by default, all at once with `parallel`), follows
 * their files with the tailer, reaps runners that die without a run-end, handles Ctrl-C/SIGTERM,
 * and writes the reports at the end.
 *
 *   const run = await startRun(options);
 *   const unsubscribe = run.subscribe((event) => …);   // every event of every target, in order
 *   const { exitCode } = await run.done;
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { RunnerEvent } from '../events/schema.ts';
import { DEFAULT_CLIENT } from '../client/factory.ts';
import { buildManifest, writeManifest, type RunManifest } from '../results/manifest.ts';
import { makeRunId } from '../results/run-id.ts';
import { updateLatest } from '../results/latest.ts';
import { eventFilePath, RunTailer } from '../results/run-tailer.ts';
import { EventWriter } from '../results/event-writer.ts';
import { writeReports } from '../report/write-reports.ts';
import { initialRunState, reduceRunState, type RunState } from '../state/run-state.ts';
import { reapRunner } from './reap.ts';
import type { RunnerConfig } from '../runner/config.ts';
import { spawnRunner, type RunnerExit } from './runner-process.ts';
import { exitCodeOf } from './exit-code.ts';
import type { RunHandle, RunOptions, RunResult, TargetSpec } from './types.ts';

export type { RunHandle, RunOptions, RunResult, TargetSpec } from './types.ts';
export { exitCodeOf } from './exit-code.ts';

/** A run handle with the live event feed and state the headless outputs read. */
export interface OrchestratedRun extends RunHandle {
  /** Calls `listener` with every event so far, then each new one; returns the unsubscribe. */
  subscribe(listener: (event: RunnerEvent) => void): () => void;
  /** The run's state folded from every event so far (the dashboard's reducer). */
  state(): RunState;
  /** Diagnostics (a reaped runner, an invalid line) go here; default: stderr. */
  onDiagnostic(listener: (message: string) => void): void;
}

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
    scenarios: options.scenarios as Record<string, unknown>[],
    seed: options.seed,
    micro: options.micro,
    mode: options.parallel ? 'parallel' : 'sequential',
    client: options.client ?? DEFAULT_CLIENT,
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
  readonly #tailer: RunTailer;
  readonly #events: RunnerEvent[] = [];
  readonly #listeners = new Set<(e: RunnerEvent) => void>();
  readonly #diagnostics = new Set<(m: string) => void>();
  readonly #serverPids = new Map<string, number>();
  readonly #live = new Map<string, { kill(sig: NodeJS.Signals): void }>();
  #state: RunState;
  #signals = 0;
  #resolveDone!: (r: RunResult) => void;

  constructor(
    private readonly options: RunOptions,
    readonly runId: string,
    readonly runDir: string,
    readonly manifest: RunManifest,
  ) {
    this.targets = options.targets.map((t) => t.name);
    this.#state = initialRunState({ ...manifest, scenarios: manifest.scenarios.map((s) => String(s.name)) });
    this.#tailer = new RunTailer(runDir, this.targets, {
      onEvent: (e) => this.#onEvent(e),
      onInvalid: (target, _line, err) => this.#diagnostic(`${target}: skipped an invalid line: ${err.message}`),
    });
    this.done = new Promise((res) => (this.#resolveDone = res));
  }

  launch(): this {
    process.on('SIGINT', this.#onSignal);
    process.on('SIGTERM', this.#onSignal);
    process.on('SIGHUP', this.#onSignal);
    this.#tailer.start();
    void this.#runAll().then(
      (r) => this.#finish(r),
      (err: unknown) => {
        this.#diagnostic(`orchestrator error: ${(err as Error).stack ?? String(err)}`);
        this.#finish({ exitCode: 1 });
      },
    );
    return this;
  }

  subscribe(listener: (event: RunnerEvent) => void): () => void {
    for (const e of this.#events) listener(e);
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  state(): RunState {
    return this.#state;
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
    if (this.options.parallel) {
      await Promise.all(specs.map((s) => this.#runOne(s)));
    } else {
      for (const s of specs) await this.#runOne(s);
    }
    this.#tailer.stop();
    this.#tailer.poll();
    try {
      // Reports of an interrupted run too: what finished is worth keeping.
      await writeReports(this.runDir, { interrupted: this.#stopping });
    } catch (err) {
      this.#diagnostic(`could not write the reports: ${(err as Error).message}`);
    }
    return { exitCode: exitCodeOf(this.#state, this.#stopping) };
  }

  async #runOne(spec: TargetSpec): Promise<void> {
    if (this.#stopping) {
      // Never started: close its file so readers see the target as interrupted, not waiting.
      this.#appendEnd(spec.name, { kind: 'run-end', status: 'interrupted', durationMs: 0, error: 'run stopped before this target started' });
      return;
    }
    const startedAt = Date.now();
    const tmpRoot = mkdtempSync(join(tmpdir(), `metabench-${spec.name}-`));
    const runner = spawnRunner(
      { runDir: this.runDir, target: cloneSpec(spec), keepData: this.options.keepData, tmpRoot, ...(this.options.cpuProfDir ? { cpuProfDir: this.options.cpuProfDir } : {}) },
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
      tailer: this.#tailer,
      exit,
      stopping: this.#stopping,
      startedAt,
      serverPid: this.#serverPids.get(spec.name),
      diagnostic: (m) => this.#diagnostic(m),
    });
    if (status) this.#diagnostic(`${spec.name}: runner ${exit.description} without a run-end; marked ${status}`);
    if (this.options.keepData) this.#diagnostic(`${spec.name}: data kept in ${tmpRoot}`);
    else rmSync(tmpRoot, { recursive: true, force: true });
  }

  #appendEnd(target: string, body: { kind: 'run-end'; status: 'interrupted' | 'crashed'; durationMs: number; error: string }): void {
    const writer = new EventWriter(eventFilePath(this.runDir, target), target);
    try {
      writer.emit(body);
    } finally {
      writer.close();
    }
    this.#tailer.pollTarget(target);
  }

  #onEvent(e: RunnerEvent): void {
    if (e.kind === 'run-start' && e.server?.pid !== undefined) this.#serverPids.set(e.target, e.server.pid);
    this.#state = reduceRunState(this.#state, e);
    this.#events.push(e);
    for (const l of this.#listeners) l(e);
  }

  #diagnostic(message: string): void {
    if (this.#diagnostics.size === 0) process.stderr.write(`metabench: ${message}\n`);
    for (const l of this.#diagnostics) l(message);
  }

  #finish(result: RunResult): void {
    process.off('SIGINT', this.#onSignal);
    process.off('SIGTERM', this.#onSignal);
    process.off('SIGHUP', this.#onSignal);
    this.#tailer.stop();
    this.#resolveDone(result);
  }
}

/** A mutable copy of a target spec (the runner config's shape). */
function cloneSpec(spec: TargetSpec): RunnerConfig['target'] {
  return {
    name: spec.name,
    kind: spec.kind,
    ...(spec.endpoints ? { endpoints: [...spec.endpoints] } : {}),
    ...(spec.tls ? { tls: { ...spec.tls } } : {}),
    ...(spec.auth ? { auth: { ...spec.auth } } : {}),
  };
}
