/**
 * What the charts, findings and report.html read from the rest of metabench, in one place: the
 * summary's types, the shared figure formatting and the client-bound rule. The run model is
 * being reshaped; when a module moves, this file is the one import list to follow it.
 */
export type { RunSummary, ScenarioCell, ScenarioRow, TargetSummary } from '../../views/summary.ts';
export { fmtCeilingRatio, fmtCount, fmtCpuPerOp, fmtFactor, fmtMs, fmtOps, fmtPercent } from '../../format/figures.ts';
export { CLIENT_BOUND_RULE, ceilingVerdict, clientBoundText, clientBoundWhy, isClientBound } from '../../views/ceiling.ts';
export type { LatencySummary, ScenarioEndEvent } from '../../events/schema.ts';
