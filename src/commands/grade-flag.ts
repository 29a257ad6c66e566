/** A grade letter given on the command line (`metabench run --fail-under B`). */
import { UsageError } from '../errors.ts';
import { FAIL_UNDER_GRADES } from '../grades/fail-under.ts';
import { GRADE_LETTERS, gradeLetterOf, type GradeLetter } from '../grades/letters.ts';

/**
 * Parses a grade letter as a user types it (see `gradeLetterOf`). Throws a UsageError (exit
 * code 2) naming the bad value otherwise; `flag` (e.g. `--fail-under`) prefixes the message.
 */
export function parseGrade(s: string, flag?: string): GradeLetter {
  const found = gradeLetterOf(s);
  if (found === undefined) throw new UsageError(`${flag ? `${flag}: ` : ''}'${s}' is not a grade; expected one of ${GRADE_LETTERS.join(', ')}`);
  return found;
}

/** Parses `--fail-under`'s value; a UsageError (exit 2) names the value and the accepted letters. */
export function parseFailUnder(value: string): GradeLetter {
  const expected = `expected one of ${FAIL_UNDER_GRADES.join(', ')}`;
  const letter = gradeLetterOf(value);
  if (letter === undefined) throw new UsageError(`--fail-under: '${value}' is not a grade; ${expected}`);
  if (!FAIL_UNDER_GRADES.includes(letter)) throw new UsageError(`--fail-under: '${value}' would never fail (no grade is below ${letter}); ${expected}`);
  return letter;
}
