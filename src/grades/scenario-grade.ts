/**
 * Where a scenario's grade is decided, for every caller: the runner grades what a workload
 * measured (`gradeOutcome`, written into scenario-end), and the views take that grade as written
 * (`gradeOfEnd`) — re-deciding only for what the runner could not grade: a scenario-end of an
 * older runner without one, and a scenario cut off before it could report (`cutOffGrade`).
 * The rubric itself is `rubric.ts`.
 */
import type { Grade, ScenarioEndEvent } from '../events/schema.ts';
import { headlineP99Ms } from './headline.ts';
import { gradeScenario } from './rubric.ts';

/** A scenario-end's figures, without the event envelope (what a workload returns). */
export type ScenarioFigures = Pick<ScenarioEndEvent, 'status' | 'ops' | 'opsPerSec' | 'errors' | 'latency' | 'checks' | 'error' | 'headline'>;

/** The grade of a scenario's figures against its SLOs (the headline p99 is judged). */
export function gradeOutcome(figures: ScenarioFigures, slo: Readonly<Record<string, number>>): Grade {
  return gradeScenario({
    status: figures.status,
    ops: figures.ops,
    errors: figures.errors.total,
    opsPerSec: figures.opsPerSec,
    p99Ms: headlineP99Ms(figures.latency, figures.headline) ?? 0,
    checks: figures.checks,
    slo,
    error: figures.error,
  });
}

/**
 * The grade a view shows for a finished scenario: the runner's, else (an older runner) the
 * rubric's when the SLOs are known or the scenario did not pass (then F whatever the SLOs).
 */
export function gradeOfEnd(end: ScenarioEndEvent): Grade | undefined {
  if (end.grade !== undefined) return end.grade;
  if (end.slo === undefined && end.status === 'passed') return undefined;
  return gradeOutcome(end, end.slo ?? {});
}

/** The grade of a scenario cut off by an interrupt or a crash before it could report: F. */
export function cutOffGrade(reason: string): Grade {
  return gradeScenario({ status: 'aborted', ops: 0, errors: 0, opsPerSec: 0, p99Ms: 0, checks: [], slo: {}, error: reason });
}
