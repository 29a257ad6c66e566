/**
 * `metabench report [RUN] [--format md|json|html]`: prints a finished run's report again — the
 * `report.md` (default) or `summary.json` the run wrote, regenerated from its result files when
 * missing; `html` prints the path of its `report.html` (charts, key findings), written when
 * missing. RUN is a run id under the results folder or a run folder's path; default the newest.
 *
 * Exit codes: 0 printed; 1 the run is not finished (some target has no run-end); 2 no such run
 * or a bad flag.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { SetExit } from '../cli/commands.ts';
import { UsageError } from '../cli/errors.ts';
import { renderMarkdown } from '../report/markdown.ts';
import { DEFAULT_RESULTS_DIR, loadFinishedRun, resolveRunDir, RunUnfinishedError } from '../report/resolve-run.ts';
import { REPORT_FILE, SUMMARY_FILE, writeReports } from '../report/write-reports.ts';
import { HTML_REPORT_FILE } from '../report/visual-reports.ts';

/** Output formats of `metabench report`. */
export type ReportFormat = 'md' | 'json' | 'html';

/** Validated `report` flags. */
export interface ReportOptions {
  /** Run id or folder; undefined = newest run. */
  run?: string;
  /** Default `md`. */
  format: ReportFormat;
  /** Folder holding one folder per run; default `results`. */
  resultsDir: string;
}

/** Validates the raw flags; throws a one-line UsageError naming the bad value. */
export function parseReportOptions(run: string | undefined, raw: { format: string; results: string }): ReportOptions {
  if (raw.format !== 'md' && raw.format !== 'json' && raw.format !== 'html') throw new UsageError(`report: --format must be md, json or html, got '${raw.format}'`);
  return { run, format: raw.format, resultsDir: raw.results };
}

/**
 * The text `metabench report` prints. Reads the stored file when the run wrote it; otherwise
 * checks the run finished, regenerates both files (best effort: a read-only folder still gets
 * its report printed) and returns the one asked for.
 */
export async function reportText(opts: ReportOptions, warn: (line: string) => void = () => {}): Promise<string> {
  const dir = resolveRunDir(opts.run, opts.resultsDir);
  const file = join(dir, opts.format === 'md' ? REPORT_FILE : opts.format === 'json' ? SUMMARY_FILE : HTML_REPORT_FILE);
  if (opts.format === 'html') return `${existsSync(file) ? file : await loadFinishedRun(dir).then(() => writeReports(dir)).then(() => file)}\n`;
  if (existsSync(file)) return readFile(file, 'utf8');
  const { summary } = await loadFinishedRun(dir);
  try {
    await writeReports(dir);
  } catch (err) {
    warn(`could not write the reports into ${dir}: ${(err as Error).message}`);
  }
  return opts.format === 'md' ? renderMarkdown(summary) : JSON.stringify(summary, null, 2) + '\n';
}

/** Registers `metabench report`. */
export function register(program: Command, setExit: SetExit): void {
  program
    .command('report')
    .description('print the report of a finished run (default: the newest)')
    .argument('[run]', 'run id (under --results) or path of a run folder; default the newest run')
    .option('--format <format>', 'md (report.md), json (summary.json) or html (prints the path of report.html)', 'md')
    .option('--results <dir>', 'folder that holds one folder per run', DEFAULT_RESULTS_DIR)
    .action(async (run: string | undefined, raw: { format: string; results: string }) => {
      const opts = parseReportOptions(run, raw);
      try {
        process.stdout.write(await reportText(opts, (line) => process.stderr.write(`metabench: warning: ${line}\n`)));
        setExit(0);
      } catch (err) {
        if (!(err instanceof RunUnfinishedError)) throw err;
        process.stderr.write(`metabench: ${err.message}\n`);
        setExit(1);
      }
    });
}
