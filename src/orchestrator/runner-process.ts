/**
 * One runner child process: `node src/runner/entry.js` with its config in the environment, its
 * stdout and stderr appended to `<runDir>/<target>.stderr.log` (never read by the parent: the
 * events come through the NDJSON file). Started with execa so it has a cancel signal (SIGTERM),
 * a force-kill delay (SIGKILL) and cleanup when the orchestrator exits.
 */
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { encodeRunnerConfig, type RunnerConfig } from '../runner/config.ts';
import { collectCpuProfile, cpuProfArgs } from '../targets/cpu-prof.ts';
import { killDescendants } from './reap.ts';
import type { RunnerExit } from './runner-exit.ts';

export type { RunnerExit } from './runner-exit.ts';

/** The production runner's entry script. */
export const RUNNER_ENTRY = fileURLToPath(new URL('../runner/entry.js', import.meta.url));

/** Default milliseconds a runner gets between SIGTERM and SIGKILL. */
export const DEFAULT_RUNNER_KILL_GRACE_MS = 15_000;


/** A started runner. */
export interface RunnerProcess {
  readonly pid: number | undefined;
  readonly exited: Promise<RunnerExit>;
  /** Sends a signal now (the cancel signal handles the ordinary SIGTERM path); SIGKILL also kills every process under the runner. */
  kill(signal: NodeJS.Signals): void;
}

/** Options of `spawnRunner`. */
export interface SpawnRunnerOptions {
  readonly entry?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Aborting it sends SIGTERM, then (runner and every process under it) SIGKILL after `killGraceMs`. */
  readonly cancelSignal: AbortSignal;
  readonly killGraceMs?: number;
}

/** Path of a target's runner log inside a run folder. */
export function stderrLogPath(runDir: string, target: string): string {
  return join(runDir, `${target}.stderr.log`);
}

/** Starts the runner of one target. */
export function spawnRunner(cfg: RunnerConfig, opts: SpawnRunnerOptions): RunnerProcess {
  // The log file's descriptor goes to the child as is: with execa's `{file}` the parent would
  // pipe it, and a server the runner started (which inherits that pipe) would keep the parent
  // waiting for end-of-stream after a runner crash.
  const logFd = openSync(stderrLogPath(cfg.runDir, cfg.target.name), 'a');
  let sub;
  try {
    // --cpu-prof: Node writes the runner's profile when it exits (after SIGTERM too: it exits itself).
    sub = execa(process.execPath, [...cpuProfArgs(cfg.cpuProfDir, cfg.target.name, 'runner'), opts.entry ?? RUNNER_ENTRY], {
      env: { ...opts.env, ...encodeRunnerConfig(cfg) },
      stdin: 'ignore',
      // Not for messages: the channel closes when this process dies, however it dies (SIGKILL
      // included), so the runner notices at once and cleans up (src/runner/main.ts).
      ipc: true,
      // execa's types only name descriptors 3–9; any open descriptor is passed to spawn natively.
      stdout: logFd as 3,
      stderr: logFd as 3,
      reject: false,
      cleanup: true,
      cancelSignal: opts.cancelSignal,
      // Not execa's: its SIGKILL after the grace period would hit the runner alone, and a server
      // still starting (no pid in the event file yet) would outlive it. `forceKill` below instead.
      forceKillAfterDelay: false,
    });
  } finally {
    // The child holds its own copy now.
    closeSync(logFd);
  }
  const exited = sub.then((res): RunnerExit => {
    collectCpuProfile(cfg.cpuProfDir, cfg.target.name, 'runner');
    return {
      exitCode: res.exitCode,
      signal: res.signal,
      description: res.signal ? `signal ${res.signal}` : res.exitCode !== undefined ? `exit code ${res.exitCode}` : (res.shortMessage ?? 'did not start'),
    };
  });
  const forceKill = (): void => {
    // Forced: the runner gets no chance to stop its server, so everything under it goes at once
    // (a server still starting has no pid in the event file for the reaper to find).
    if (sub.pid !== undefined) killDescendants(sub.pid);
    void sub.kill('SIGKILL');
  };
  // The cancel signal's SIGTERM is execa's; the SIGKILL after the grace period is ours.
  const graceMs = opts.killGraceMs ?? DEFAULT_RUNNER_KILL_GRACE_MS;
  let forceTimer: NodeJS.Timeout | undefined;
  const onCancel = (): void => {
    forceTimer = setTimeout(forceKill, graceMs);
  };
  if (opts.cancelSignal.aborted) onCancel();
  else opts.cancelSignal.addEventListener('abort', onCancel, { once: true });
  void exited.then(() => {
    clearTimeout(forceTimer);
    opts.cancelSignal.removeEventListener('abort', onCancel);
  });
  return {
    pid: sub.pid,
    exited,
    kill: (signal) => {
      if (signal === 'SIGKILL') forceKill();
      else void sub.kill(signal);
    },
  };
}
