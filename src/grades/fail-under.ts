/**
 * The grades `--fail-under` takes: every letter but F, since no grade is below F and
 * `--fail-under F` would never fail. The help text and the parser (`src/commands/grade-flag.ts`)
 * read the same list.
 */
import { GRADE_LETTERS, type GradeLetter } from './letters.ts';

/** Letters `--fail-under` accepts, best first: A+, A, B, C, D. */
export const FAIL_UNDER_GRADES: readonly GradeLetter[] = GRADE_LETTERS.filter((g) => g !== 'F');
