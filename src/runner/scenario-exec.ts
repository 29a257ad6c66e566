/**
 * Runs one scenario on a started target and turns the workload's outcome into the scenario-end
 * event body: the grade from the rubric, the SLOs judged, and a failed/aborted outcome when the
 * workload throws. The `noop` target measures the load generator's ceiling, not a store: its
 * scenario-end has no grade and no SLOs (its checks still run and can still fail it).
 */
import { connect } from '../client/factory.ts';
import type { ClientKind } from '../client/types.ts';
import type { EventBody, ScenarioEndEvent } from '../events/schema.ts';
import { plannedSize } from '../workload/planned-size.ts';
import { gradeOutcome } from '../grades/scenario-grade.ts';
import { scenarioStatus } from '../grades/scenario-status.ts';
import type { ScenarioContext, ScenarioOutcome } from '../workload/types.ts';
import type { ResolvedScenario } from '../../scenarios/schema.ts';
import { resolveSlo } from '../../scenarios/loader.ts';
import type { StartedTarget } from '../targets/types.ts';

/** Runs a workload; `src/workload/index.ts`'s `runScenario` in production, a stub in tests. */
export type ScenarioRunner = (scenario: ResolvedScenario, ctx: ScenarioContext) => Promise<ScenarioOutcome>;

/** What `runOneScenario` needs from the runner around it. */
export interface ScenarioEnv {
  readonly target: StartedTarget;
  /** The run's client (`--client`): every connection of the scenario is of this kind. */
  readonly client: ClientKind;
  readonly seed: number;
  readonly signal: AbortSignal;
  emit(event: EventBody): void;
  serverSample: ScenarioContext['serverSample'];
  /** CPU µs the server has used so far (the sampler's), for `extra.serverCpuUsPerOp`. */
  serverCpuUs?: ScenarioContext['serverCpuUs'];
  /** `--cpu-prof`: where client threads write their profiles. */
  readonly cpuProfDir?: string;
  /** The runner's client threads (kept across scenarios). */
  readonly clientThreads?: ScenarioContext['clientThreads'];
}

/** Emits scenario-start, runs the workload, emits the graded scenario-end; returns the latter. */
export async function runOneScenario(scenario: ResolvedScenario, env: ScenarioEnv, run: ScenarioRunner): Promise<Omit<ScenarioEndEvent, 'v' | 't' | 'target'>> {
  const startedAt = Date.now();
  env.emit({ kind: 'scenario-start', scenario: scenario.name, params: { workload: scenario.workload, ...scenario.params }, ...plannedSize(scenario) });
  const ctx: ScenarioContext = {
    target: env.target.name,
    targetKind: env.target.kind,
    clientKind: env.client,
    clientOptions: env.target.clientOptions,
    connect: () => connect(env.client, env.target.clientOptions),
    seed: env.seed,
    emit: env.emit,
    signal: env.signal,
    serverSample: env.serverSample,
    ...(env.serverCpuUs ? { serverCpuUs: env.serverCpuUs } : {}),
    ...(env.cpuProfDir !== undefined ? { cpuProfDir: env.cpuProfDir } : {}),
    ...(env.clientThreads ? { clientThreads: env.clientThreads } : {}),
  };
  let outcome: ScenarioOutcome;
  try {
    outcome = await run(scenario, ctx);
  } catch (err) {
    outcome = thrownOutcome(scenario.name, err, Date.now() - startedAt, env.signal.aborted);
  }
  outcome = { ...outcome, ...scenarioStatus(outcome, outcome.slo ?? resolveSlo(scenario, env.target.kind)) };
  // Every target's p99 and grade come from the scenario's one headline operation type.
  if (scenario.headline !== undefined) outcome = { ...outcome, headline: scenario.headline };
  if (env.target.kind === 'noop') {
    const { slo: _slo, ...ungraded } = outcome;
    const end = { kind: 'scenario-end' as const, ...ungraded };
    env.emit(end);
    return end;
  }
  const slo = outcome.slo ?? resolveSlo(scenario, env.target.kind);
  const grade = gradeOutcome(outcome, slo);
  const end = { kind: 'scenario-end' as const, ...outcome, slo, grade };
  env.emit(end);
  return end;
}

/** The outcome of a workload that threw instead of returning. */
function thrownOutcome(scenario: string, err: unknown, durationMs: number, aborted: boolean): ScenarioOutcome {
  return {
    scenario,
    status: aborted ? 'aborted' : 'failed',
    durationMs,
    ops: 0,
    opsPerSec: 0,
    errors: { total: 0, byKind: {} },
    latency: {},
    series: [],
    checks: [],
    error: aborted ? 'interrupted' : `workload error: ${err instanceof Error ? err.message : String(err)}`,
  };
}
