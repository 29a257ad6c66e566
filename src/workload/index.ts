/**
 * Entry point for the runner: runs one resolved scenario against one target and returns its
 * outcome. The runner emits `scenario-start` (use {@link plannedSize}) and turns the outcome into
 * `scenario-end`; this module emits the `progress` events in between.
 */
import type { Etcd3 } from 'etcd3';
import type { ResolvedScenario, WorkloadName } from '../../scenarios/schema.ts';
import { resolveSlo } from '../../scenarios/loader.ts';
import type { WorkloadResult, Workload } from './kit.ts';
import { Recorder, round } from './recorder.ts';
import { compaction } from './scenarios/compaction.ts';
import { mixed } from './scenarios/mixed.ts';
import { putGet } from './scenarios/put-get.ts';
import { put } from './scenarios/put.ts';
import { txn } from './scenarios/txn.ts';
import { watch } from './scenarios/watch.ts';
import type { ScenarioContext, ScenarioOutcome } from './types.ts';

const WORKLOADS: Record<WorkloadName, Workload> = {
  'put-get': putGet,
  put,
  mixed,
  watch,
  txn,
  compaction,
};

/**
 * The planned size of a scenario, for `scenario-start` and progress bars: total operations when
 * it is bounded by operations, else its duration in ms. Watch counts events, compaction counts
 * its load + overwrite + compact + read operations.
 */
export function plannedSize(s: ResolvedScenario): { totalOps?: number; durationMs?: number } {
  const p = s.params;
  switch (s.workload) {
    case 'watch':
      return { totalOps: p.events };
    case 'compaction':
      return { totalOps: 2 * p.keys + 1 + p.readKeys };
    case 'txn':
      if (p.durationMs !== undefined) return { durationMs: p.durationMs };
      return { totalOps: p.clients * (p.opsPerClient ?? 0) + (p.counters > 0 ? p.contendedClients * p.contendedOpsPerClient : 0) };
    default:
      return p.durationMs !== undefined ? { durationMs: p.durationMs } : { totalOps: p.clients * (p.opsPerClient ?? 0) };
  }
}

/**
 * Runs `scenario` against the target behind `ctx`. Never throws for a failing target: failures
 * become a `failed` outcome with `error`; an aborted signal gives status `aborted`. Closes every
 * client it opened.
 */
export async function runScenario(scenario: ResolvedScenario, ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const rec = new Recorder({ scenario: scenario.name, ctx, ...plannedSize(scenario) });
  const slo = resolveSlo(scenario, ctx.targetKind);
  const pool: Etcd3[] = [];
  let result: WorkloadResult = { checks: [] };
  let error: string | undefined;
  try {
    for (let i = 0; i < scenario.params.connections; i++) pool.push(ctx.connect());
    const runTag = `${ctx.seed}-${Date.now().toString(36)}`;
    result = await WORKLOADS[scenario.workload]({ scenario, params: scenario.params, ctx, rec, pool, runTag, slo });
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  } finally {
    rec.stop();
    for (const c of pool) c.close();
  }
  const durationMs = rec.elapsedMs();
  const succeeded = rec.done - rec.errors;
  const aborted = ctx.signal.aborted;
  const checksOk = result.checks.every((c) => c.ok);
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
    ...(result.extra ? { extra: result.extra } : {}),
    ...(aborted ? { error: 'interrupted' } : error !== undefined ? { error } : !checksOk ? { error: failedChecks(result) } : {}),
  };
  rec.destroy();
  return outcome;
}

function failedChecks(r: WorkloadResult): string {
  return r.checks
    .filter((c) => !c.ok)
    .map((c) => `${c.name}: ${c.detail}`)
    .join('; ');
}
