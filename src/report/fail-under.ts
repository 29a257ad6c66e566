/**
 * `metabench run --fail-under GRADE`: after a run, exit 1 when any target's overall grade is
 * below GRADE (CI gates on the rubric, e.g. `--fail-under C` = "every SLO of every scenario met").
 */
import { gradeBelow, type GradeLetter } from '../grades/letters.ts';
import type { RunSummary } from '../views/summary.ts';

/** Targets whose overall grade is below `min`, each with a one-line explanation. */
export function targetsBelow(summary: RunSummary, min: GradeLetter): { target: string; line: string }[] {
  const out: { target: string; line: string }[] = [];
  for (const t of summary.targets) {
    // Unavailable targets and targets without graded scenarios have no overall grade to judge.
    if (t.overall !== undefined && gradeBelow(t.overall.grade, min)) {
      out.push({ target: t.name, line: `--fail-under ${min}: ${t.name} is ${t.overall.grade} (${t.overall.reason})` });
    }
  }
  return out;
}

/**
 * The exit code of `metabench run` with `--fail-under`: `code` unchanged when the run already
 * failed (non-zero) or no grade was asked for; otherwise 1 when a target of the run's summary
 * (the orchestrator's, built from its one store) is below `min`, writing one line per such
 * target to `warn`.
 */
export function applyFailUnder(code: number, summary: RunSummary, min: GradeLetter | undefined, warn: (line: string) => void): number {
  if (min === undefined || code !== 0) return code;
  const below = targetsBelow(summary, min);
  for (const b of below) warn(b.line);
  return below.length > 0 ? 1 : 0;
}
