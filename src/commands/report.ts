/**
 * `metabench report [RUN] [--format md|json|html]`: prints a finished run's report — `report.md`
 * (default) or `summary.json` — rebuilt from its result files, the source of truth: a cached
 * report.md or summary.json is never printed as is (it may be stale, truncated or hand-edited).
 * Missing report files are written back (best effort). `html` writes all of them again, charts
 * and `report.html` included, and prints report.html's path. RUN is a run id under the results
 * folder or a run folder's path; default the newest.
 *
 * On a terminal the Markdown is coloured (grades, states, failed checks; see
 * `src/output/markdown-colour.ts`); piped, redirected or `--format json` it is printed as is.
 *
 * Exit codes: 0 printed; 1 the run is not finished (some target has no run-end) or a result
 * file is missing or not valid NDJSON; 2 no such run or a bad flag.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { SetExit } from '../cli/commands.ts';
import { UsageError } from '../errors.ts';
import { renderMarkdown } from '../report/markdown.ts';
import { REPORT_FILE, SUMMARY_FILE, summaryJson, writeReports } from '../report/write-reports.ts';
import { DEFAULT_RESULTS_DIR, resolveRunDir } from '../results/locate-run.ts';
import { loadFinishedRun, RunUnfinishedError, RunUnreadableError } from '../state/load-run.ts';
import { buildSummary } from '../views/summary.ts';
import { HTML_REPORT_FILE, markdownVisuals } from '../report/visual-reports.ts';
import { painterFor } from '../output/colour.ts';
import { paintMarkdown } from '../output/markdown-colour.ts';

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
 * The text `metabench report` prints, rebuilt from the run's result files (which must show a
 * finished run). When report.md or summary.json is missing, both are written (best effort: a
 * read-only folder still gets its report printed).
 */
export async function reportText(opts: ReportOptions, warn: (line: string) => void = () => {}): Promise<string> {
  const dir = resolveRunDir(opts.run, opts.resultsDir);
  const run = await loadFinishedRun(dir);
  const summary = buildSummary(run);
  if (opts.format === 'html') {
    await writeReports(dir, summary, run.state);
    return `${join(dir, HTML_REPORT_FILE)}\n`;
  }
  if (!existsSync(join(dir, REPORT_FILE)) || !existsSync(join(dir, SUMMARY_FILE))) {
    try {
      await writeReports(dir, summary, run.state);
    } catch (err) {
      warn(`could not write the reports into ${dir}: ${(err as Error).message}`);
    }
  }
  return opts.format === 'md' ? renderMarkdown(summary, markdownVisuals(summary, run.state)) : summaryJson(summary);
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
        const text = await reportText(opts, (line) => process.stderr.write(`metabench: warning: ${line}\n`));
        process.stdout.write(opts.format === 'md' ? paintMarkdown(text, painterFor(process.stdout)) : text);
        setExit(0);
      } catch (err) {
        if (!(err instanceof RunUnfinishedError || err instanceof RunUnreadableError)) throw err;
        process.stderr.write(`metabench: ${err.message}\n`);
        setExit(1);
      }
    });
}
