/**
 * Writes a run's `summary.json` and `report.md`. The orchestrator calls it at the end of every
 * run (interrupted ones included) with the summary of its one store; `metabench report` with
 * the summary it rebuilt from the result files.
 */
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunSummary } from '../views/summary.ts';
import { renderMarkdown } from './markdown.ts';
import type { RunEnds } from './charts/chart-data.ts';
import { writeVisualReports } from './visual-reports.ts';

/** File names inside the run folder. */
export const SUMMARY_FILE = 'summary.json';
export const REPORT_FILE = 'report.md';

/** The text of `summary.json`: the summary as indented JSON. */
export function summaryJson(summary: RunSummary): string {
  return JSON.stringify(summary, null, 2) + '\n';
}

/**
 * Writes `summary.json` and `report.md` of `summary` into `runDir` atomically (temp file +
 * rename, so a reader never sees half a file), and the charts and report.html drawn from `run`'s
 * scenario-end events (the run state the summary was built from; see `visual-reports.ts`).
 */
export async function writeReports(runDir: string, summary: RunSummary, run: RunEnds): Promise<void> {
  await writeAtomic(join(runDir, SUMMARY_FILE), summaryJson(summary));
  await writeAtomic(join(runDir, REPORT_FILE), renderMarkdown(summary, (await writeVisualReports(runDir, summary, run)).markdown));
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}
