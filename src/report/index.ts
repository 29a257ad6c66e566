/**
 * Reports of a run: `summary.json` and `report.md` (written by `writeReports` at the end of every
 * run), comparison of two runs, `--fail-under`, and the helpers the dashboard shares with them.
 */
export { writeReports, SUMMARY_FILE, REPORT_FILE } from './write-reports.ts';
export { buildSummary, SUMMARY_VERSION, type RunSummary, type ScenarioCell, type ScenarioCeiling, type ScenarioSummary, type TargetSummary, type MicroRow, type RunOutcome } from './summary.ts';
export { loadRun, RunNotFoundError, type LoadedRun } from './load-run.ts';
export { renderMarkdown } from './markdown.ts';
export { ratioToEtcd, type EtcdRatio, type RatioInput } from './ratio.ts';
export { headlineLatency, type HeadlineLatency } from './headline.ts';
export { compareRuns, renderComparison, ParamMismatchError, DEFAULT_THRESHOLD_PCT, type Comparison, type CompareRow, type Verdict } from './compare.ts';
export { applyFailUnder, targetsBelow } from './fail-under.ts';
export { resolveRunDir, loadFinishedRun, RunUnfinishedError, DEFAULT_RESULTS_DIR } from './resolve-run.ts';
