/**
 * The `micro` scenario: tinybench against a MetaStore-TS engine in-process (no gRPC, no client),
 * one `micro` event per case. It answers "what does one engine operation cost" beside the
 * end-to-end scenarios, which answer "what does a client see".
 *
 *   await runMicro({ engine: 'memory', profile: 'quick', signal, emit: (e) => writer.write(e) });
 *
 * Figures: `opsPerSec` = 1 / mean latency of one sequential operation; `meanNs`, `p99Ns` from
 * tinybench's latency samples; `samples` = measured iterations. Warm-up is excluded.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bench } from 'tinybench';
import { openStore, type EngineName, type MetaStore } from '../../engine/index.ts';
import type { EventBody } from '../events/schema.ts';
import { MICRO_CASES, RANGE_KEYS, rangeKey, type CaseContext, type MicroCase } from './cases.ts';
import { MICRO_BUDGETS, type MicroBudget, type MicroProfile } from './profiles.ts';

export { MICRO_CASES, type MicroCase } from './cases.ts';
export { MICRO_BUDGETS, type MicroBudget, type MicroProfile } from './profiles.ts';

/** Options of {@link runMicro}. */
export interface MicroOptions {
  engine: EngineName;
  /** Receives one `micro` event per case, and `log` events (start, a failed case). */
  emit: (e: EventBody) => void;
  /** Aborting stops after the current iteration; cases not started are skipped. */
  signal: AbortSignal;
  /** Time budgets (see `MICRO_BUDGETS`); default `standard`. */
  profile: MicroProfile;
  /** Only these cases (by name), in suite order; default all. */
  cases?: readonly string[];
  /** Parent of the temporary data directories (removed afterwards); default the OS temp dir. */
  tmpDir?: string;
}

/** What a micro run did. */
export interface MicroOutcome {
  /** Cases that produced a result. */
  completed: string[];
  /** Cases that threw, with the error message. */
  failed: { case: string; error: string }[];
  /** True when the signal stopped the run early. */
  aborted: boolean;
}

/** Runs the micro-benchmarks against one engine; resolves once every store is closed and removed. */
export async function runMicro(opts: MicroOptions): Promise<MicroOutcome> {
  const budget = MICRO_BUDGETS[opts.profile];
  if (budget === undefined) throw new Error(`micro: unknown profile '${String(opts.profile)}'; expected quick, standard or soak`);
  const cases = selectCases(opts.cases);
  const outcome: MicroOutcome = { completed: [], failed: [], aborted: false };
  const root = await mkdtemp(join(opts.tmpDir ?? tmpdir(), `metabench-micro-${opts.engine}-`));
  const log = (level: 'info' | 'warn' | 'error', message: string) => opts.emit({ kind: 'log', level, message: `micro ${opts.engine}: ${message}` });
  log('info', `${cases.length} cases, ${opts.profile} profile (${budget.timeMs} ms each)`);
  try {
    // One store open at a time: the synced store's cases run after the main store is closed, so
    // neither store's background work (flushes, compactions) lands in the other's figures.
    for (const synced of [false, true]) {
      const group = cases.filter((c) => (c.synced ?? false) === synced);
      if (group.length === 0 || outcome.aborted) continue;
      const store = await openStore({ engine: opts.engine, dataDir: join(root, synced ? 'synced' : 'main'), sync: synced ? 'always' : 'none', log });
      try {
        if (!synced) await preload(store);
        await runGroup(group, { store }, budget, opts, outcome, log);
      } finally {
        await store.close();
      }
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  return outcome;
}

async function runGroup(
  cases: readonly MicroCase[],
  ctx: CaseContext,
  budget: MicroBudget,
  opts: MicroOptions,
  outcome: MicroOutcome,
  log: (level: 'info' | 'warn' | 'error', message: string) => void,
): Promise<void> {
  for (const c of cases) {
    if (opts.signal.aborted) {
      outcome.aborted = true;
      return;
    }
    try {
      const r = await runCase(c, ctx, budget, opts.signal);
      if (r === undefined) {
        outcome.aborted = true;
        return;
      }
      opts.emit({ kind: 'micro', engine: opts.engine, case: c.name, ...r });
      outcome.completed.push(c.name);
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      outcome.failed.push({ case: c.name, error });
      log('error', `case ${c.name} failed: ${error}`);
    }
  }
}

function selectCases(names: readonly string[] | undefined): MicroCase[] {
  if (names === undefined) return [...MICRO_CASES];
  for (const n of names) {
    if (!MICRO_CASES.some((c) => c.name === n)) {
      throw new Error(`micro: unknown case '${n}'; expected one of ${MICRO_CASES.map((c) => c.name).join(', ')}`);
    }
  }
  return MICRO_CASES.filter((c) => names.includes(c.name));
}

/** Loads the keys the Range and Get-hit cases read, in concurrent chunks (group commit). */
async function preload(store: MetaStore): Promise<void> {
  const CHUNK = 100;
  for (let i = 0; i < RANGE_KEYS; i += CHUNK) {
    await Promise.all(Array.from({ length: Math.min(CHUNK, RANGE_KEYS - i) }, (_, k) => store.put({ key: rangeKey(i + k), value: Buffer.alloc(64, 0x72) })));
  }
}

type Figures = { opsPerSec: number; meanNs: number; p99Ns: number; samples: number };

/** Runs one case through tinybench; undefined when aborted before any sample. */
async function runCase(c: MicroCase, ctx: CaseContext, budget: MicroBudget, signal: AbortSignal): Promise<Figures | undefined> {
  const run = c.make(ctx);
  // Bench never removes the abort listener it adds; a per-case controller keeps the caller's
  // signal from collecting one listener per case.
  const local = new AbortController();
  const forward = () => local.abort();
  signal.addEventListener('abort', forward, { once: true });
  const bench = new Bench({
    time: budget.timeMs,
    iterations: budget.iterations,
    warmupTime: budget.warmupMs,
    warmupIterations: budget.warmupIterations,
    signal: local.signal,
    // A failing operation must fail the case, not be averaged in as a fast sample.
    throws: true,
  });
  // tinybench probes a non-async function by calling it once; an async wrapper avoids that
  // stray, untimed extra operation.
  bench.add(c.name, async () => run.fn(), {
    beforeEach: run.beforeEach && (async () => run.beforeEach?.()),
    afterEach: run.afterEach && (async () => run.afterEach?.()),
  });
  try {
    await bench.run();
  } finally {
    signal.removeEventListener('abort', forward);
    await run.cleanup?.();
  }
  // A case cut short by the signal has a partial, biased sample set: report none.
  if (signal.aborted) return undefined;
  const result = bench.tasks[0]?.result;
  if (result === undefined || result.latency === undefined || result.latency.samples.length === 0) {
    throw new Error(`no samples recorded${result?.error ? `: ${result.error.message}` : ''}`);
  }
  const meanMs = result.latency.mean;
  return {
    opsPerSec: meanMs > 0 ? 1000 / meanMs : 0,
    meanNs: meanMs * 1e6,
    p99Ns: (result.latency.p99 ?? result.latency.max) * 1e6,
    samples: result.latency.samples.length,
  };
}
