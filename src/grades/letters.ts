/**
 * Grade letters, their order, and parsing a letter given on the command line
 * (`metabench run --fail-under B`).
 */
import { UsageError } from '../cli/errors.ts';
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
 * Parses a grade letter as a user types it: case-insensitive, surrounding spaces ignored
 * (`a+`, `B`, ` c `). Throws a UsageError (exit code 2) naming the bad value otherwise;
 * `flag` (e.g. `--fail-under`) prefixes the message.
 */
export function parseGrade(s: string, flag?: string): GradeLetter {
  const letter = s.trim().toUpperCase();
  const found = GRADE_LETTERS.find((g) => g === letter);
  if (found === undefined) {
    throw new UsageError(`${flag ? `${flag}: ` : ''}'${s}' is not a grade; expected one of ${GRADE_LETTERS.join(', ')}`);
  }
  return found;
}
