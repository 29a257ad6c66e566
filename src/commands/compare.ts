/**
 * `metabench compare RUN_A RUN_B [--threshold 5] [--fail-on-regression] [--format text|json]`:
 * per scenario and target, how throughput and p99 moved from run A to run B; a change counts as
 * a regression or an improvement only beyond the noise threshold (percent, default 5).
 *
 * Exit codes: 0 compared (regressions are reported, not failed, unless --fail-on-regression);
 * 1 a regression with --fail-on-regression, or a run is not finished; 2 no such run, runs whose
 * scenario parameters differ, or a bad flag.
 */
import type { Command } from 'commander';
import type { SetExit } from '../cli/commands.ts';
import { UsageError } from '../errors.ts';
import { compareRuns, DEFAULT_THRESHOLD_PCT, renderComparison, type Comparison } from '../report/compare.ts';
import { DEFAULT_RESULTS_DIR, resolveRunDir } from '../results/locate-run.ts';
import { loadFinishedRun, RunUnfinishedError, RunUnreadableError } from '../state/load-run.ts';
import { buildSummary } from '../views/summary.ts';
import { verdictPainter } from '../output/colour.ts';

/** Validated `compare` flags. */
export interface CompareOptions {
  runA: string;
  runB: string;
  /** Noise threshold in percent; default 5. */
  thresholdPct: number;
  failOnRegression: boolean;
  /** Default `text`. */
  format: 'text' | 'json';
  /** Default `results`. */
  resultsDir: string;
}

interface RawCompareFlags {
  threshold: string;
  failOnRegression?: boolean;
  format: string;
  results: string;
}

/** Validates the raw flags; throws a one-line UsageError naming the bad value. */
export function parseCompareOptions(runA: string, runB: string, raw: RawCompareFlags): CompareOptions {
  const thresholdPct = /^\d+(\.\d+)?$/.test(raw.threshold.trim()) ? Number(raw.threshold) : Number.NaN;
  if (!Number.isFinite(thresholdPct)) {
    throw new UsageError(`compare: --threshold must be a percentage ≥ 0 (e.g. 5), got '${raw.threshold}'`);
  }
  if (raw.format !== 'text' && raw.format !== 'json') throw new UsageError(`compare: --format must be text or json, got '${raw.format}'`);
  return { runA, runB, thresholdPct, failOnRegression: raw.failOnRegression === true, format: raw.format, resultsDir: raw.results };
}

/** Loads both runs (they must be finished) and compares B against A. */
export async function compareCommand(opts: CompareOptions): Promise<Comparison> {
  const dirA = resolveRunDir(opts.runA, opts.resultsDir);
  const dirB = resolveRunDir(opts.runB, opts.resultsDir);
  const a = buildSummary(await loadFinishedRun(dirA));
  const b = buildSummary(await loadFinishedRun(dirB));
  return compareRuns(a, b, opts.thresholdPct);
}

/** Registers `metabench compare`. */
export function register(program: Command, setExit: SetExit): void {
  program
    .command('compare')
    .description('compare two finished runs: throughput and p99 change per scenario and target')
    .argument('<runA>', 'the baseline run: run id (under --results) or path of a run folder')
    .argument('<runB>', 'the run compared against it')
    .option('--threshold <percent>', 'noise threshold: smaller changes are not called regressions or improvements', String(DEFAULT_THRESHOLD_PCT))
    .option('--fail-on-regression', 'exit 1 when any regression is found')
    .option('--format <format>', 'text or json', 'text')
    .option('--results <dir>', 'folder that holds one folder per run', DEFAULT_RESULTS_DIR)
    .action(async (runA: string, runB: string, raw: RawCompareFlags) => {
      const opts = parseCompareOptions(runA, runB, raw);
      let c: Comparison;
      try {
        c = await compareCommand(opts);
      } catch (err) {
        if (!(err instanceof RunUnfinishedError || err instanceof RunUnreadableError)) throw err;
        process.stderr.write(`metabench: ${err.message}\n`);
        setExit(1);
        return;
      }
      process.stdout.write(opts.format === 'json' ? JSON.stringify(c, null, 2) + '\n' : renderComparison(c, verdictPainter()));
      setExit(opts.failOnRegression && c.regressions > 0 ? 1 : 0);
    });
}
