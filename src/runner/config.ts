/**
 * What the orchestrator tells a runner child: which run folder and which target. Passed in the
 * environment (`METABENCH_RUNNER_CONFIG`, JSON) rather than argv so an endpoint password does not
 * show in `ps`. Everything else (profile, seed, scenarios) the runner reads from `run.json`.
 */
import { z } from 'zod';
import { TargetSpec } from '../events/target.ts';

/** Name of the environment variable that carries the runner's config. */
export const RUNNER_CONFIG_ENV = 'METABENCH_RUNNER_CONFIG';

export const RunnerConfig = z.object({
  /** Absolute path of `results/<run-id>`. */
  runDir: z.string(),
  target: TargetSpec,
  keepData: z.boolean(),
  /** Folder for the target's temporary data (server data dir, micro stores); the orchestrator
   *  removes it after the runner exits, crashed or not, unless `keepData`. */
  tmpRoot: z.string(),
  /** Milliseconds a server gets between SIGTERM and SIGKILL. */
  stopGraceMs: z.number().int().positive().optional(),
  /**
   * Which repeat this runner is (1-based) in a run of two or more repeats: stamped on every event
   * it writes as `repeat`. Absent in a run of one repeat.
   */
  repeat: z.number().int().positive().optional(),
  /** `--cpu-prof`: the folder for CPU profiles (this runner's is written by Node's own flag). */
  cpuProfDir: z.string().optional(),
});
export type RunnerConfig = z.infer<typeof RunnerConfig>;

/** Serialises a config for the child's environment. */
export function encodeRunnerConfig(cfg: RunnerConfig): Record<string, string> {
  return { [RUNNER_CONFIG_ENV]: JSON.stringify(cfg) };
}

/** Reads and validates the config from the environment; throws naming the bad field. */
export function decodeRunnerConfig(env: NodeJS.ProcessEnv = process.env): RunnerConfig {
  const text = env[RUNNER_CONFIG_ENV];
  if (!text) throw new Error(`runner: ${RUNNER_CONFIG_ENV} is not set (the runner is started by \`metabench run\`)`);
  const res = RunnerConfig.safeParse(JSON.parse(text));
  if (!res.success) {
    const issue = res.error.issues[0];
    throw new Error(`runner: invalid ${RUNNER_CONFIG_ENV} at '${issue?.path.join('.')}': ${issue?.message}`);
  }
  return res.data;
}
