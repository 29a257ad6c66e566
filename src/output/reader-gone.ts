/** Handling of a closed stdout (`metabench run | head`): EPIPE means the reader left, not a bug. */
import type { Writable } from 'node:stream';

/**
 * Calls `onGone` once when writing to `out` fails with EPIPE; other write errors are rethrown.
 * Returns a function that tells whether the reader is gone (stop writing then).
 */
export function watchReader(out: Writable, onGone: () => void): () => boolean {
  let gone = false;
  out.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    if (!gone) {
      gone = true;
      onGone();
    }
  });
  return () => gone;
}
