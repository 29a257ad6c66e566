/** A grade letter given on the command line (`metabench run --fail-under B`). */
import { UsageError } from '../cli/errors.ts';
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
