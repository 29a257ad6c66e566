/**
 * A target's overall grade. Rule: a target is as good as its weakest graded scenario — the
 * overall letter is the worst scenario letter, so any F makes the target F and an overall C or
 * better means every SLO of every scenario was met. Scenarios without a grade (micro) are left
 * out; a target with no graded scenario has no overall grade.
 */
import type { Grade } from '../events/schema.ts';
import { GRADE_LETTERS, gradeBelow, type GradeLetter } from './letters.ts';

/** A scenario's grade with the scenario's name (named in the overall reason). */
export interface NamedGrade {
  scenario: string;
  grade: Grade;
}

/**
 * Folds scenario grades into the target's overall grade (the worst letter), with a reason such
 * as `B: weakest of 6 scenarios is txn-throughput (B); others A+ ×4, A ×1`. Returns undefined
 * for an empty list.
 */
export function overallGrade(grades: readonly NamedGrade[]): Grade | undefined {
  if (grades.length === 0) return undefined;
  let worst = grades[0];
  for (const g of grades) {
    if (gradeBelow(g.grade.grade, worst.grade.grade)) worst = g;
  }
  const letter: GradeLetter = worst.grade.grade;
  const weakest = grades.filter((g) => g.grade.grade === letter).map((g) => g.scenario);
  const others = grades.filter((g) => g.grade.grade !== letter);
  const counts = GRADE_LETTERS.map((l) => [l, others.filter((g) => g.grade.grade === l).length] as const)
    .filter(([, n]) => n > 0)
    .map(([l, n]) => `${l} ×${n}`);
  const n = grades.length;
  const head = n === 1 ? `only scenario ${weakest[0]} (${letter})` : `weakest of ${n} scenarios ${weakest.length === 1 ? 'is' : 'are'} ${weakest.join(', ')} (${letter})`;
  return { grade: letter, reason: `${letter}: ${head}${counts.length > 0 ? `; others ${counts.join(', ')}` : ''}` };
}
