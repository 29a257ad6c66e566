/**
 * "My parent is gone" for a server a runner started: the runner keeps the write end of our stdin
 * pipe and never writes; the kernel closes it the moment the runner dies, however it dies
 * (SIGKILL included), so end-of-file on stdin means the parent is gone. Instant, unlike polling
 * `process.ppid`, and it needs nothing from the parent's language or runtime.
 */

/** Watches stdin for end-of-file; `gone` settles once, `dispose()` stops watching (idempotent). */
export interface ParentWatch {
  /** Resolves with how the parent was noticed gone (`stdin closed`). Never rejects. */
  readonly gone: Promise<string>;
  /** Stops watching and lets stdin go, so it does not keep the event loop alive. */
  dispose(): void;
}

/** Starts watching stdin (which must be a pipe whose writer is the parent). */
export function watchParent(stdin: NodeJS.ReadStream = process.stdin): ParentWatch {
  let disposed = false;
  const gone = new Promise<string>((resolve) => {
    stdin.once('end', () => resolve('stdin closed'));
    // A read error (EPIPE, ECONNRESET) means the same: nobody is on the other end any more.
    stdin.once('error', (err) => resolve(`stdin error: ${err.message}`));
  });
  // Whatever the parent writes is ignored; reading is only how end-of-file is seen.
  stdin.on('data', () => undefined);
  stdin.resume();
  return {
    gone,
    dispose: () => {
      if (disposed) return;
      disposed = true;
      stdin.destroy();
    },
  };
}
