/**
 * The runner child process (one per target, started by the orchestrator through `entry.js`):
 * reads its config from the environment and the run's manifest, appends the target's events to
 * `<runDir>/<target>.ndjson`, and exits 0 (completed), 130 (interrupted) or 1 (crashed).
 * SIGINT and SIGTERM abort the running scenario; the run-end is still written. So does the
 * orchestrator's death (its IPC channel closes): the runner then also removes its temp folder.
 */
import { rmSync } from 'node:fs';
import { readManifest } from '../results/manifest.ts';
import { EventWriter, eventFilePath } from '../results/event-writer.ts';
import { decodeRunnerConfig } from './config.ts';
import { runTarget, withRepeat, type RunnerWorkloads } from './run-target.ts';

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
  // An orchestrator killed with SIGKILL cannot stop us: once it is gone, stop on our own (server
  // stopped, run-end written, temp folder removed) instead of running on unwatched. Its IPC
  // channel closes the moment it dies; the re-parenting check covers a runner started without one.
  const parent = process.ppid;
  let orphaned = false;
  const onOrphaned = (how: string): void => {
    if (orphaned) return;
    orphaned = true;
    process.stderr.write(`runner ${cfg.target.name}: orchestrator (pid ${parent}) is gone (${how}), stopping\n`);
    abort.abort(new Error('orchestrator gone'));
  };
  process.once('disconnect', () => onOrphaned('its IPC channel closed'));
  // The channel only watches; it must not keep the runner alive once its work is done.
  process.channel?.unref();
  const orphanCheck = setInterval(() => {
    if (process.ppid !== parent) onOrphaned(`re-parented to pid ${process.ppid}`);
  }, ORPHAN_CHECK_MS);
  orphanCheck.unref();
  let ended = false;
  process.on('uncaughtException', (err) => {
    // Last resort: the file must still end with a run-end, so readers stop waiting.
    process.stderr.write(`runner ${cfg.target.name}: uncaught: ${err.stack ?? err.message}\n`);
    if (!ended) writer.emit(withRepeat({ kind: 'run-end', status: 'crashed', durationMs: 0, error: `uncaught: ${err.message}` }, cfg.repeat));
    process.exit(RUNNER_EXIT.crashed);
  });
  const status = await runTarget(cfg, manifest, writer, abort.signal, workloads);
  clearInterval(orphanCheck);
  ended = true;
  writer.close();
  // The orchestrator removes the target's temp folder after we exit; with it gone, nobody would.
  if (orphaned && !cfg.keepData) removeTmpRoot(cfg.tmpRoot, cfg.target.name);
  return RUNNER_EXIT[status];
}

function removeTmpRoot(dir: string, target: string): void {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch (err) {
    process.stderr.write(`runner ${target}: could not remove ${dir}: ${(err as Error).message}\n`);
  }
}

/** Exits with `code` once the event loop drains, or after a grace period if something lingers. */
export function exitSoon(code: number): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
}
