/**
 * Views of a folded run (`src/state/`), shared by every reader: the results rows with the
 * ceiling rule and the etcd baseline (`results.ts`, `ceiling.ts`, `baseline.ts`), the micro table
 * (`micro.ts`), and `summary.json`, which is those views serialised (`summary.ts`). Grades are
 * decided in `src/grades/`; views only carry them.
 */
export { resultRows, cellOfEnd, ceilingTarget, isCeilingTarget, scenarioNames, type ScenarioCell, type ScenarioRow } from './results.ts';
export { baselineTarget, ratioToEtcd, BASELINE_KIND, type EtcdRatio, type RatioInput } from './baseline.ts';
export { CLIENT_BOUND_RULE, NOOP_KIND, REACHED_CEILING_MARGIN, ceilingMark, clientBoundExplanation, clientBoundNotes, clientBoundReasons, clientBoundText, clientBoundWhy, fmtCeilingRatio, isClientBound, reachedCeiling, RUNNER_BOUND_CPU_PERCENT, runnerBoundExplanation, isNoopKind, scenarioCeiling, ceilingVerdict, targetsAtCeiling, type CeilingMark, type ScenarioCeiling } from './ceiling.ts';
export { microTable, type MicroRow, type MicroTable } from './micro.ts';
export { buildSummary, SUMMARY_VERSION, type RunFacts, type RunOutcome, type RunSummary, type SummaryOptions, type TargetSummary } from './summary.ts';
