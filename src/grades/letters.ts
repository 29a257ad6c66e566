/**
 * Grade letters, their order, and reading a letter as a user types it (the `--fail-under` flag
 * turns a refusal into a usage error in `src/commands/grade-flag.ts`).
 */
import type { Grade } from '../events/schema.ts';

/** One grade letter, best first: A+, A, B, C, D, F. */
export type GradeLetter = Grade['grade'];

/** Every letter from best to worst. */
export const GRADE_LETTERS: readonly GradeLetter[] = ['A+', 'A', 'B', 'C', 'D', 'F'];

/** Rank of a letter: 0 for A+ (best) up to 5 for F (worst). */
export function gradeRank(letter: GradeLetter): number {
  return GRADE_LETTERS.indexOf(letter);
}

/** True when `a` is strictly worse than `b` (e.g. `gradeBelow('C', 'B')` is true). */
export function gradeBelow(a: GradeLetter, b: GradeLetter): boolean {
  return gradeRank(a) > gradeRank(b);
}

/** The worse of two letters. */
export function worseGrade(a: GradeLetter, b: GradeLetter): GradeLetter {
  return gradeBelow(a, b) ? a : b;
}

/**
 * The letter `s` names, read as a user types it: case-insensitive, surrounding spaces ignored
 * (`a+`, `B`, ` c `); undefined when it names none.
 */
export function gradeLetterOf(s: string): GradeLetter | undefined {
  const letter = s.trim().toUpperCase();
  return GRADE_LETTERS.find((g) => g === letter);
}
