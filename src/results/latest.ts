/**
 * `results/latest`: a relative symlink to the newest run's folder, replaced atomically
 * (new link under a temp name, then rename) so `tail -f results/latest/memory.ndjson` never
 * finds it missing.
 */
import { lstatSync, readlinkSync, renameSync, symlinkSync, unlinkSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Name of the symlink inside the results folder. */
export const LATEST = 'latest';

/** Points `<resultsDir>/latest` at `<resultsDir>/<runId>`. */
export function updateLatest(resultsDir: string, runId: string): void {
  const link = join(resultsDir, LATEST);
  // A file or folder of the user's at that name is theirs: never replaced (rename would).
  if (existsSync(link) && !lstatSync(link).isSymbolicLink()) throw new Error(`${link} is not the link to the newest run metabench keeps; move it away`);
  const tmp = join(resultsDir, `.${LATEST}.${process.pid}.tmp`);
  if (existsSync(tmp)) unlinkSync(tmp);
  symlinkSync(runId, tmp, 'dir');
  renameSync(tmp, join(resultsDir, LATEST));
}

/** The run folder `latest` points at, or undefined when there is none. */
export function readLatest(resultsDir: string): string | undefined {
  const link = join(resultsDir, LATEST);
  if (!existsSync(link)) return undefined;
  return resolve(resultsDir, readlinkSync(link));
}
