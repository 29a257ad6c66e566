/**
 * The grades `--fail-under` takes: every letter but F, since no grade is below F and
 * `--fail-under F` would never fail. The help text and the parser read the same list.
 */
import { UsageError } from '../cli/errors.ts';
import { GRADE_LETTERS, parseGrade, type GradeLetter } from './letters.ts';

/** Letters `--fail-under` accepts, best first: A+, A, B, C, D. */
export const FAIL_UNDER_GRADES: readonly GradeLetter[] = GRADE_LETTERS.filter((g) => g !== 'F');

/** Parses `--fail-under`'s value; a UsageError (exit 2) names the value and the accepted letters. */
export function parseFailUnder(value: string): GradeLetter {
  const expected = `expected one of ${FAIL_UNDER_GRADES.join(', ')}`;
  let letter: GradeLetter;
  try {
    letter = parseGrade(value);
  } catch (cause) {
    throw new UsageError(`--fail-under: '${value}' is not a grade; ${expected}`, { cause });
  }
  if (!FAIL_UNDER_GRADES.includes(letter)) throw new UsageError(`--fail-under: '${value}' would never fail (no grade is below ${letter}); ${expected}`);
  return letter;
}
