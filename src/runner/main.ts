/**
 * The runner child process (one per target, started by the orchestrator through `entry.js`):
 * reads its config from the environment and the run's manifest, appends the target's events to
 * `<runDir>/<target>.ndjson`, and exits 0 (completed), 130 (interrupted) or 1 (crashed).
 * SIGINT and SIGTERM abort the running scenario; the run-end is still written.
 */
import { readManifest } from '../results/manifest.ts';
import { EventWriter, eventFilePath } from '../results/event-writer.ts';
import { decodeRunnerConfig } from './config.ts';
import { runTarget, type RunnerWorkloads } from './run-target.ts';

/** Exit codes of a runner by run-end status. */
export const RUNNER_EXIT = { completed: 0, crashed: 1, interrupted: 130 } as const;

/** Milliseconds between checks that the orchestrator is still our parent. */
const ORPHAN_CHECK_MS = 1000;

/** Milliseconds the runner waits for stray handles (clients a workload left open) before exiting. */
const EXIT_GRACE_MS = 2000;

/** Runs the runner in this process with the given workloads; resolves to the exit code. */
export async function runnerMain(workloads: RunnerWorkloads): Promise<number> {
  const cfg = decodeRunnerConfig();
  const manifest = readManifest(cfg.runDir);
  const writer = new EventWriter(eventFilePath(cfg.runDir, cfg.target.name), cfg.target.name);
  const abort = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    if (!abort.signal.aborted) process.stderr.write(`runner ${cfg.target.name}: ${sig}, stopping\n`);
    abort.abort(new Error(`interrupted by ${sig}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  // An orchestrator killed with SIGKILL cannot stop us: once we are re-parented, stop on our own
  // (servers stopped, run-end written) instead of running on unwatched.
  const parent = process.ppid;
  const orphanCheck = setInterval(() => {
    if (process.ppid !== parent && !abort.signal.aborted) {
      process.stderr.write(`runner ${cfg.target.name}: orchestrator (pid ${parent}) is gone, stopping\n`);
      abort.abort(new Error('orchestrator gone'));
    }
  }, ORPHAN_CHECK_MS);
  orphanCheck.unref();
  let ended = false;
  process.on('uncaughtException', (err) => {
    // Last resort: the file must still end with a run-end, so readers stop waiting.
    process.stderr.write(`runner ${cfg.target.name}: uncaught: ${err.stack ?? err.message}\n`);
    if (!ended) writer.emit({ kind: 'run-end', status: 'crashed', durationMs: 0, error: `uncaught: ${err.message}` });
    process.exit(RUNNER_EXIT.crashed);
  });
  const status = await runTarget(cfg, manifest, writer, abort.signal, workloads);
  clearInterval(orphanCheck);
  ended = true;
  writer.close();
  return RUNNER_EXIT[status];
}

/** Exits with `code` once the event loop drains, or after a grace period if something lingers. */
export function exitSoon(code: number): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
}
