/** How a runner process ended (its own module: `reap.ts` and `runner-process.ts` both use it). */
export interface RunnerExit {
  readonly exitCode?: number;
  readonly signal?: string;
  /** `exit code 1`, `signal SIGKILL`, or why it could not start. */
  readonly description: string;
}
