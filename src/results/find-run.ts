/**
 * Finds a run folder from what a user typed: nothing (the newest run, `results/latest`), a run
 * id (`results/<id>`), or a path to a run folder.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readLatest } from './latest.ts';

/** The run folder for `run` (default: latest) under `resultsDir`; throws a one-line Error. */
export function findRunDir(resultsDir: string, run?: string): string {
  if (existsSync(resultsDir) && !statSync(resultsDir).isDirectory()) throw new Error(`--results: '${resultsDir}' is a file, not a folder of runs`);
  if (run === undefined || run === 'latest') {
    const latest = readLatest(resultsDir);
    if (!latest) throw new Error(`no runs in '${resultsDir}' yet (no ${join(resultsDir, 'latest')}); start one with \`metabench run\``);
    return latest;
  }
  for (const candidate of [join(resultsDir, run), resolve(run)]) {
    if (existsSync(join(candidate, 'run.json'))) return resolve(candidate);
  }
  throw new Error(`run '${run}': no run.json in ${join(resultsDir, run)} nor in ${resolve(run)}`);
}
