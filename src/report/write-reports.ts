/**
 * Writes a run's `summary.json` and `report.md` from its result files. The orchestrator calls
 * it at the end of every run, interrupted ones included; `metabench report` calls it when a
 * finished run lacks its summary.
 */
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadRun } from './load-run.ts';
import { renderMarkdown } from './markdown.ts';
import { buildSummary, type RunSummary, type SummaryOptions } from './summary.ts';
import { writeVisualReports } from './visual-reports.ts';

/** File names inside the run folder. */
export const SUMMARY_FILE = 'summary.json';
export const REPORT_FILE = 'report.md';

/**
 * Reads `run.json` and every `<target>.ndjson` in `runDir`, writes `summary.json` and
 * `report.md` atomically (temp file + rename, so a reader never sees half a file) and returns
 * the summary. `opts.interrupted`: the run was stopped by Ctrl-C/SIGTERM; targets that did not
 * finish are reported as interrupted rather than unfinished.
 */
export async function writeReports(runDir: string, opts: SummaryOptions = {}): Promise<RunSummary> {
  const run = await loadRun(runDir);
  const summary = buildSummary(run, opts);
  await writeAtomic(join(runDir, SUMMARY_FILE), JSON.stringify(summary, null, 2) + '\n');
  await writeAtomic(join(runDir, REPORT_FILE), renderMarkdown(summary, (await writeVisualReports(runDir, summary, run.state)).markdown));
  return summary;
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}
