/**
 * The one rule for finding a run folder from what a user typed (`report`, `compare`, `tail`,
 * `monitor`), and for opening it: a path to a run folder, a run id under the results folder, or
 * nothing for the newest run (`<results>/latest`, the symlink the orchestrator keeps; see
 * `latest.ts`). A folder is a run when it holds `run.json`, or at least one `<target>.ndjson`
 * (the events alone are enough to show a run).
 */
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { UsageError } from '../errors.ts';
import { readManifest, type RunManifest } from './manifest.ts';
import { DEFAULT_RESULTS_DIR } from './results-dir.ts';

export { DEFAULT_RESULTS_DIR } from './results-dir.ts';

/** The folder is not a run (no `run.json`): bad usage, exit 2. */
export class RunNotFoundError extends UsageError {}

/**
 * Resolves `run` (a run folder's path, or a run id under `resultsDir`; default the newest run) to
 * an absolute folder. Throws a one-line UsageError naming what was looked for when there is none.
 */
export function resolveRunDir(run: string | undefined, resultsDir: string = DEFAULT_RESULTS_DIR): string {
  if (existsSync(resultsDir) && !statSync(resultsDir).isDirectory()) throw new UsageError(`--results: '${resultsDir}' is a file, not a folder of runs`);
  if (run === undefined) {
    const latest = join(resultsDir, 'latest');
    if (!existsSync(latest)) throw new UsageError(`no runs in ${resultsDir}/ (no ${latest}); start one with 'metabench run' or name a run folder`);
    return realpathSync(latest);
  }
  // An absolute path names a folder, not a run id under the results folder.
  const candidates = isAbsolute(run) ? [run] : [run, join(resultsDir, run)];
  for (const candidate of candidates) {
    if (existsSync(candidate)) {
      if (!statSync(candidate).isDirectory()) throw new UsageError(`run folder '${candidate}' is not a directory`);
      return resolve(candidate);
    }
  }
  if (isAbsolute(run)) throw new UsageError(`run folder '${run}' does not exist (expected results/<run-id>, or results/latest after a run)`);
  throw new UsageError(`run '${run}' not found: no folder ${run} nor ${join(resultsDir, run)}`);
}

/** A run folder opened for reading: its targets in run order and its manifest, when it has one. */
export interface OpenedRun {
  readonly runDir: string;
  readonly targets: readonly string[];
  readonly manifest?: RunManifest;
}

/**
 * Opens a run folder: reads and validates `run.json` (or, without one, takes the targets from
 * the `*.ndjson` files). Throws a one-line UsageError when `runDir` is not a run. `manifest`
 * skips the read when the caller wrote it itself (the orchestrator).
 */
export function openRunDir(runDir: string, manifest?: RunManifest): OpenedRun {
  if (!existsSync(runDir)) throw new UsageError(`run folder '${runDir}' does not exist (expected results/<run-id>, or results/latest after a run)`);
  if (!statSync(runDir).isDirectory()) throw new UsageError(`run folder '${runDir}' is not a directory`);
  if (manifest) return { runDir, targets: manifest.targets.map((t) => t.name), manifest };
  if (existsSync(join(runDir, 'run.json'))) {
    let m: RunManifest;
    try {
      m = readManifest(runDir);
    } catch (err) {
      throw new UsageError((err as Error).message, { cause: err });
    }
    return { runDir, targets: m.targets.map((t) => t.name), manifest: m };
  }
  const targets = readdirSync(runDir)
    .filter((f) => f.endsWith('.ndjson'))
    .map((f) => f.slice(0, -'.ndjson'.length))
    .sort();
  if (targets.length === 0) throw new UsageError(`'${runDir}' is not a run folder: no run.json and no <target>.ndjson files`);
  return { runDir, targets };
}

/** True when a process with `pid` exists (EPERM: it exists but belongs to someone else). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
