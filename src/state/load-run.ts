/**
 * Reads a run back from its folder for `metabench report` and `compare`: the manifest `run.json`
 * and every `<target>.ndjson`, folded by the same follower and reducer as the live run
 * (`follow-run.ts`), read once. The NDJSON files are the truth; a cached `summary.json` or
 * `report.md` is never trusted. A run whose files cannot be the truth is refused:
 *
 *   memory.ndjson missing            → RunUnreadableError  (exit 1)
 *   memory.ndjson:3 not an event     → RunUnreadableError  (exit 1)
 *   memory.ndjson empty / no run-end → RunUnfinishedError  (exit 1, from `loadFinishedRun`)
 *   a last line without its newline  → a warning in the report (the runner died mid-write)
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { eventFilePath } from '../results/event-writer.ts';
import { openRunDir, RunNotFoundError } from '../results/locate-run.ts';
import type { RunManifest } from '../results/manifest.ts';
import { followRun } from './follow-run.ts';
import type { RunState } from './types.ts';

/** A run read back from disk. */
export interface LoadedRun {
  /** The run folder (as given). */
  dir: string;
  /** Run id: the manifest's. */
  runId: string;
  manifest: RunManifest;
  /** Every event folded, in file order per target. */
  state: RunState;
  /** Target names that have a result file. */
  files: string[];
  /** Problems worth a line in the report (a truncated last line, …). */
  warnings: string[];
}

/** A result file cannot be read as events: missing, or holding a line that is not one. */
export class RunUnreadableError extends Error {
  override readonly name = 'RunUnreadableError';
}

/** The run has no run-end in some target file: still running, or its orchestrator died. */
export class RunUnfinishedError extends Error {
  override readonly name = 'RunUnfinishedError';
}

/**
 * Reads `run.json` and every target's `*.ndjson` of a run folder and folds them. Throws
 * `RunNotFoundError` (a usage error) without a `run.json`, `RunUnreadableError` when a target's
 * file is missing or holds a line that is not a valid event.
 */
export async function loadRun(dir: string): Promise<LoadedRun> {
  if (!existsSync(join(dir, 'run.json'))) throw new RunNotFoundError(`${dir}: not a metabench run folder (no run.json there)`);
  const opened = openRunDir(dir);
  const manifest = opened.manifest!;
  const missing = opened.targets.filter((t) => !existsSync(eventFilePath(dir, t)));
  if (missing.length > 0) {
    throw new RunUnreadableError(`run ${manifest.runId} cannot be reported: ${missing.map((t) => `${t}.ndjson`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing from ${dir} (the event files are the results)`);
  }
  const invalid: Error[] = [];
  const followed = followRun(opened, { follow: false, onProblem: (_target, err) => invalid.push(err) });
  if (invalid.length > 0) {
    const more = invalid.length > 1 ? ` (and ${invalid.length - 1} more bad line${invalid.length > 2 ? 's' : ''})` : '';
    throw new RunUnreadableError(`run ${manifest.runId} cannot be reported: ${invalid[0].message}${more}`);
  }
  const warnings: string[] = [];
  for (const t of opened.targets) {
    const { truncated } = followed.finishTarget(t);
    if (truncated !== undefined) warnings.push(`${t}.ndjson: last line is incomplete (${Buffer.byteLength(truncated)} bytes), skipped`);
  }
  followed.close();
  return { dir, runId: manifest.runId, manifest, state: followed.store.getSnapshot().run, files: [...opened.targets], warnings };
}

/**
 * Loads a run that has finished (every target wrote its run-end). Throws `RunUnfinishedError`
 * naming the targets without one and why (an empty file, a file that stops), besides
 * `loadRun`'s errors.
 */
export async function loadFinishedRun(dir: string): Promise<LoadedRun> {
  const run = await loadRun(dir);
  const open = run.state.targetOrder.filter((n) => {
    const st = run.state.targets[n].status.state;
    return st === 'waiting' || st === 'starting' || st === 'running';
  });
  if (open.length > 0) {
    const why = open.map((n) => (run.state.targets[n].firstT === undefined ? `${n} (${n}.ndjson is empty)` : n)).join(', ');
    throw new RunUnfinishedError(`run ${run.runId} is not finished: no run-end from ${why} (still running, or its runner died; 'metabench tail' shows it)`);
  }
  return run;
}
