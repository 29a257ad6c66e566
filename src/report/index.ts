/**
 * Reports of a run, rendered from its summary (`src/views/summary.ts`): `report.md` and
 * `summary.json` (written by `writeReports` at the end of every run), comparison of two runs,
 * and `--fail-under`.
 */
export { writeReports, summaryJson, SUMMARY_FILE, REPORT_FILE } from './write-reports.ts';
export { renderMarkdown } from './markdown.ts';
export { compareRuns, renderComparison, ParamMismatchError, DEFAULT_THRESHOLD_PCT, type Comparison, type CompareRow, type Verdict } from './compare.ts';
export { applyFailUnder, targetsBelow } from './fail-under.ts';
