/**
 * One runner's whole life for one target: start (or connect to) the target, run the scenarios in
 * order, write every event to the target's file, and let go of the target. Every path ends with
 * exactly one run-end event: `completed`, `interrupted` (signal aborted) or `crashed`.
 */
import type { EventBody, RunEndEvent } from '../events/schema.ts';
import type { EventWriter } from '../results/event-writer.ts';
import type { RunManifest } from '../results/manifest.ts';
import type { Profile } from '../../scenarios/schema.ts';
import { join } from 'node:path';
import { sampleProcess, type ProcessSampler } from '../targets/sampler.ts';
import { cpuProfileName } from '../targets/cpu-prof.ts';
import { ClientThreadPool } from '../workload/threads.ts';
import { startTarget, TargetStartError, TargetUnavailableError, type StartedTarget } from '../targets/index.ts';
import { describeUnreachable } from './unreachable.ts';
import type { ClientKind } from '../client/types.ts';
import type { RunnerConfig } from './config.ts';
import { runOneScenario, type ScenarioRunner } from './scenario-exec.ts';

/** Name of the in-process engine benchmark pseudo-scenario. */
import { MICRO } from '../events/schema.ts';

export { MICRO };

/** Runs the in-process engine benchmarks (`src/micro`), or a stub in tests. */
export type MicroRunner = (opts: { engine: 'memory' | 'rocksdb'; emit(event: EventBody): void; signal: AbortSignal; profile: Profile; tmpDir: string }) => Promise<unknown>;

/** The workloads a runner drives (injected so tests can run the runner without load). */
export interface RunnerWorkloads {
  readonly runScenario: ScenarioRunner;
  readonly runMicro: MicroRunner;
}

/** Runs a target to its run-end and returns the run-end status. Never throws. */
export async function runTarget(
  cfg: RunnerConfig,
  manifest: RunManifest,
  writer: EventWriter,
  signal: AbortSignal,
  workloads: RunnerWorkloads,
): Promise<RunEndEvent['status']> {
  const startedAt = Date.now();
  const emit = (e: EventBody) => writer.emit(withRepeat(e, cfg.repeat));
  const log = (level: 'info' | 'warn' | 'error', message: string) => emit({ kind: 'log', level, message });
  const scenarios = manifest.scenarios;
  // Runs written before `--client` existed had only the etcd3 package.
  const client: ClientKind = manifest.client ?? 'etcd3';
  const runStart = {
    kind: 'run-start' as const,
    runId: manifest.runId,
    targetKind: cfg.target.kind,
    profile: manifest.profile,
    seed: manifest.seed,
    scenarios: scenarios.map((s) => s.name),
    client,
  };
  const end = (status: RunEndEvent['status'], error?: string): RunEndEvent['status'] => {
    emit({ kind: 'run-end', status, durationMs: Date.now() - startedAt, ...(error ? { error } : {}) });
    return status;
  };

  let target: StartedTarget;
  log('info', `starting target ${cfg.target.name} (${cfg.target.kind})`);
  try {
    target = await startTarget(cfg.target, { keepData: cfg.keepData, tmpRoot: cfg.tmpRoot, signal, log, stopGraceMs: cfg.stopGraceMs, cpuProfDir: cfg.cpuProfDir, client });
  } catch (err) {
    emit(runStart);
    if (err instanceof TargetUnavailableError) {
      emit({ kind: 'target-unavailable', reason: err.message, ...(err.hint ? { hint: err.hint } : {}) });
      return end('completed');
    }
    if (signal.aborted) return end('interrupted', 'interrupted while the target was starting');
    if (err instanceof TargetStartError && cfg.target.kind === 'endpoint') {
      // Nothing of ours failed: the endpoint is down, or not etcd. Unavailable (exit 1), in one clean line.
      const why = err.refused ? `refused: ${err.detail}` : describeUnreachable(err.detail);
      emit({ kind: 'target-unavailable', reason: `endpoint ${cfg.target.endpoints?.join(',') ?? ''} unavailable: ${why}` });
      return end('completed');
    }
    return end('crashed', `target did not start: ${(err as Error).message}`);
  }

  emit({ ...runStart, server: target.server });
  const sampler: ProcessSampler | undefined = target.server?.pid !== undefined ? sampleProcess(target.server.pid) : undefined;
  // Client threads (scenarios with clientThreads > 1) start on first use and stay warm for the next scenario.
  const dir = cfg.cpuProfDir;
  const clientThreads = new ClientThreadPool(dir === undefined ? undefined : (i) => join(dir, cpuProfileName(cfg.target.name, 'runner', `thread-${i + 1}`)));
  let failure: string | undefined;
  try {
    for (const scenario of scenarios) {
      if (signal.aborted) break;
      const died = target.exitedEarly?.();
      if (died !== undefined) {
        // Every later scenario would only time out against a dead server.
        failure = `${target.kind} server (pid ${target.server?.pid}) exited during the run (${died}); see ${target.name}.stderr.log`;
        break;
      }
      await runOneScenario(scenario, { target, client, seed: manifest.seed, signal, emit, serverSample: () => sampler?.latest(), serverCpuUs: () => sampler?.cpuTimeUs(), cpuProfDir: cfg.cpuProfDir, clientThreads }, workloads.runScenario);
    }
  } catch (err) {
    failure = `runner error: ${(err as Error).stack ?? String(err)}`;
  } finally {
    sampler?.stop();
    await clientThreads.close();
    try {
      await target.stop();
    } catch (err) {
      log('error', `could not stop ${target.name}: ${(err as Error).message}`);
    }
  }
  if (failure) return end('crashed', failure);
  // After the server is stopped: the in-process engine benchmarks get the machine to themselves.
  // Once per run (in its last repeat): they are per-operation figures over many samples already.
  const lastRepeat = (cfg.repeat ?? 1) === (manifest.repeats ?? 1);
  if (manifest.micro && lastRepeat && !signal.aborted) await runMicroFor(target, { profile: manifest.profile as Profile, tmpDir: cfg.tmpRoot }, workloads.runMicro, emit, log, signal);
  return end(signal.aborted ? 'interrupted' : 'completed');
}

/** The event stamped with the runner's repeat index (`cfg.repeat`), when the run has repeats. */
export function withRepeat(e: EventBody, repeat: number | undefined): EventBody {
  return repeat === undefined ? e : { ...e, repeat };
}

async function runMicroFor(
  target: StartedTarget,
  where: { profile: Profile; tmpDir: string },
  runMicro: MicroRunner,
  emit: (e: EventBody) => void,
  log: (level: 'info' | 'warn' | 'error', message: string) => void,
  signal: AbortSignal,
): Promise<void> {
  if (target.kind !== 'memory' && target.kind !== 'rocksdb') {
    log('info', `${MICRO}: skipped on ${target.kind} (in-process engine benchmarks exist only for memory and rocksdb)`);
    return;
  }
  try {
    await runMicro({ engine: target.kind, emit, signal, ...where });
  } catch (err) {
    // The engine micro-benchmarks are informational; their failure must not lose the load results.
    log('error', `${MICRO} failed: ${(err as Error).message}`);
  }
}
