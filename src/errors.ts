/**
 * Errors any layer may throw and the CLI knows how to print. Kept at the bottom of the tree so
 * results, state and reports can raise them without importing the CLI that imports them.
 */

/** Bad usage (a flag's value, a missing file, …): printed as one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
