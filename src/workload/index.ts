/**
 * Entry point for the runner: runs one resolved scenario against one target and returns its
 * outcome. The runner emits `scenario-start` (sized by `planned-size.ts`) and turns the outcome
 * into `scenario-end`; this module emits the `progress` events in between.
 */
import { join } from 'node:path';
import type { StoreClient } from '../client/types.ts';
import type { ResolvedScenario, WorkloadName } from '../../scenarios/schema.ts';
import { resolveSlo } from '../../scenarios/loader.ts';
import { cpuProfileName } from '../targets/cpu-prof.ts';
import { drive } from './driver.ts';
import type { PhaseDef, PhaseOptions, Tally, WorkloadResult, Workload, WorkloadRun } from './kit.ts';
import { round, type Recorder } from './recorder.ts';
import { ServerCpuRecorder } from './server-cpu.ts';
import { compaction } from './scenarios/compaction.ts';
import { mixed } from './scenarios/mixed.ts';
import { putGet } from './scenarios/put-get.ts';
import { put } from './scenarios/put.ts';
import { txn } from './scenarios/txn.ts';
import { watch } from './scenarios/watch.ts';
import { plannedSize } from './planned-size.ts';
import { ClientThreadPool, type ScenarioThreads } from './threads.ts';
import type { ScenarioContext, ScenarioOutcome } from './types.ts';

const WORKLOADS: Record<WorkloadName, Workload> = {
  'put-get': putGet,
  put,
  mixed,
  watch,
  txn,
  compaction,
};

/** Workloads whose load runs in phases that client threads can share (watch keeps one thread). */
export const THREADED_WORKLOADS: ReadonlySet<WorkloadName> = new Set(['put-get', 'put', 'mixed', 'txn', 'compaction']);

/**
 * Runs `scenario` against the target behind `ctx`. Never throws for a failing target: failures
 * become a `failed` outcome with `error`; an aborted signal gives status `aborted`. Closes every
 * client (and client thread) it opened. `extra.runnerCpuPercent` (% of one core) and
 * `extra.runnerCpuUsPerOp` say what the load generator itself cost while measuring;
 * `extra.serverCpuPercent` and `extra.serverCpuUsPerOp` what the server did meanwhile (a server
 * the runner started: read from /proc at the start and end of each measured span);
 * `extra.runnerRssBytes` the runner's resident memory when the scenario ended;
 * `extra.correctedSamples` the samples coordinated-omission correction added for closed-loop
 * stalls (`coordinated-omission.ts`; 0 in a healthy run).
 */
export async function runScenario(scenario: ResolvedScenario, ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const readServerCpu = ctx.serverCpuUs?.bind(ctx) ?? (() => undefined);
  const rec = new ServerCpuRecorder({ scenario: scenario.name, ctx, ...plannedSize(scenario) }, readServerCpu);
  const slo = resolveSlo(scenario, ctx.targetKind);
  const pool: StoreClient[] = [];
  const threadCount = THREADED_WORKLOADS.has(scenario.workload) ? scenario.params.clientThreads : 1;
  let threads: ScenarioThreads | undefined;
  let ownPool: ClientThreadPool | undefined;
  let result: WorkloadResult = { checks: [] };
  let error: string | undefined;
  try {
    const runTag = `${ctx.seed}-${Date.now().toString(36)}`;
    // With client threads the load runs on theirs; this thread keeps one for checks and admin calls.
    const own = threadCount > 1 ? 1 : scenario.params.connections;
    for (let i = 0; i < own; i++) pool.push(await ctx.connect());
    if (threadCount > 1) {
      const dir = ctx.cpuProfDir;
      const threadPool = ctx.clientThreads ?? (ownPool = new ClientThreadPool(dir === undefined ? undefined : (i) => join(dir, cpuProfileName(ctx.target, 'runner', `${scenario.name}.thread-${i + 1}`))));
      threads = await threadPool.open({ count: threadCount, clientKind: ctx.clientKind, clientOptions: ctx.clientOptions, connections: scenario.params.connections, params: scenario.params, seed: ctx.seed, runTag, signal: ctx.signal });
    }
    const shared = threads;
    const phase: WorkloadRun['phase'] = shared
      ? (def, args, opts) => shared.phase(def, args, opts, rec)
      : (def, args, opts) => runPhaseHere(def, args, opts, { rec, pool, ctx, runTag, params: scenario.params });
    result = await WORKLOADS[scenario.workload]({ scenario, params: scenario.params, ctx, rec, pool, runTag, slo, phase });
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  } finally {
    rec.stop();
    await Promise.allSettled(pool.map((c) => c.close()));
    try {
      await threads?.release();
    } catch (err) {
      error ??= `client threads: ${(err as Error).message}`;
    }
    await ownPool?.close();
  }
  const durationMs = rec.elapsedMs();
  const succeeded = rec.done - rec.errors;
  const aborted = ctx.signal.aborted;
  const checksOk = result.checks.every((c) => c.ok);
  const cpuUs = rec.cpuTimeUs();
  const runnerCpu: Record<string, number> = durationMs > 0 && rec.done > 0 ? { runnerCpuPercent: round((cpuUs / 1000 / durationMs) * 100, 1), runnerCpuUsPerOp: round(cpuUs / rec.done, 1) } : {};
  const serverUs = rec.serverCpuTimeUs();
  const serverCpu: Record<string, number> = serverUs !== undefined && durationMs > 0 && rec.done > 0 ? { serverCpuPercent: round((serverUs / 1000 / durationMs) * 100, 1), serverCpuUsPerOp: round(serverUs / rec.done, 1) } : {};
  // The runner's resident memory at the end: flat across scenarios of growing size, or a leak.
  // correctedSamples: synthetic samples added for closed-loop stalls (coordinated-omission.ts).
  const extra: Record<string, number> = { ...result.extra, ...runnerCpu, ...serverCpu, runnerRssBytes: process.memoryUsage.rss(), correctedSamples: rec.correctedSamples };
  const outcome: ScenarioOutcome = {
    scenario: scenario.name,
    status: aborted ? 'aborted' : error !== undefined || !checksOk ? 'failed' : 'passed',
    durationMs: round(durationMs, 1),
    ops: rec.attempted,
    opsPerSec: durationMs > 0 ? round(succeeded / (durationMs / 1000), 1) : 0,
    errors: { total: rec.errors, byKind: rec.errorsByKind() },
    latency: rec.latencies(),
    series: rec.series(),
    checks: aborted ? result.checks.filter((c) => c.ok) : result.checks,
    slo,
    ...(result.mix ? { mix: result.mix } : {}),
    ...(scenario.params.rate !== undefined ? { lateOps: rec.lateOps } : {}),
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
    ...(aborted ? { error: 'interrupted' } : error !== undefined ? { error } : !checksOk ? { error: failedChecks(result) } : {}),
  };
  rec.destroy();
  return outcome;
}

/** Runs a phase on this thread's pool: the single-threaded path, as the seed did. */
async function runPhaseHere<A, T extends Tally>(
  def: PhaseDef<A, T>,
  args: A,
  opts: PhaseOptions,
  env: { rec: Recorder; pool: readonly StoreClient[]; ctx: ScenarioContext; runTag: string; params: ResolvedScenario['params'] },
): Promise<T> {
  const tally = def.tally(env.params);
  await drive(env.rec, env.pool, { ...opts, signal: env.ctx.signal }, def.op({ params: env.params, seed: env.ctx.seed, runTag: env.runTag, rec: env.rec }, args, tally));
  return tally;
}

function failedChecks(r: WorkloadResult): string {
  return r.checks
    .filter((c) => !c.ok)
    .map((c) => `${c.name}: ${c.detail}`)
    .join('; ');
}
