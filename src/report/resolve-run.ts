/**
 * Finds a run folder from what a user typed (`metabench report`, `metabench compare`): a path to
 * a run folder, a run id under the results folder, or nothing for the newest run
 * (`<results>/latest`, the symlink the orchestrator keeps; see `src/results/latest.ts`).
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../cli/errors.ts';
import { loadRun, type LoadedRun } from './load-run.ts';
import { buildSummary, type RunSummary } from './summary.ts';

/** Default folder that holds one folder per run. */
export const DEFAULT_RESULTS_DIR = 'results';

/** The run has no run-end in some target file: still running, or its orchestrator died. */
export class RunUnfinishedError extends Error {
  override readonly name = 'RunUnfinishedError';
}

/**
 * Resolves `run` (run id, or path of a run folder; default the newest run) to an absolute run
 * folder. Throws a UsageError naming what was looked for when there is no such run.
 */
export function resolveRunDir(run: string | undefined, resultsDir: string = DEFAULT_RESULTS_DIR): string {
  if (existsSync(resultsDir) && !statSync(resultsDir).isDirectory()) throw new UsageError(`--results: '${resultsDir}' is a file, not a folder of runs`);
  if (run === undefined) {
    const latest = join(resultsDir, 'latest');
    if (!existsSync(latest)) throw new UsageError(`no runs in ${resultsDir}/ (no ${latest}); start one with 'metabench run' or name a run folder`);
    return realpathSync(latest);
  }
  for (const candidate of [run, join(resultsDir, run)]) {
    if (existsSync(candidate) && statSync(candidate).isDirectory()) {
      if (!existsSync(join(candidate, 'run.json'))) throw new UsageError(`${candidate}: not a metabench run folder (no run.json there)`);
      return resolve(candidate);
    }
  }
  throw new UsageError(`run '${run}' not found: no folder ${run} nor ${join(resultsDir, run)}`);
}

/**
 * Loads a finished run and builds its summary from the result files. Throws RunUnfinishedError
 * naming the targets without a run-end when the run has not finished.
 */
export async function loadFinishedRun(dir: string): Promise<{ run: LoadedRun; summary: RunSummary }> {
  const run = await loadRun(dir);
  const summary = buildSummary(run);
  if (summary.status === 'unfinished') {
    const open = summary.targets.filter((t) => t.status === 'waiting' || t.status === 'starting' || t.status === 'running').map((t) => t.name);
    throw new RunUnfinishedError(`run ${run.runId} is not finished: no run-end from ${open.join(', ')} (still running, or its runner died; 'metabench tail' shows it)`);
  }
  return { run, summary };
}
