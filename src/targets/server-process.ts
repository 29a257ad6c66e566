/**
 * A server process the runner owns (`metabench serve`, `etcd`): spawned with execa so it has a
 * cancel signal, a force-kill delay and cleanup on the runner's exit; stopped with SIGTERM, then
 * SIGKILL after a grace period; its temporary data directory removed unless kept.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectOptions } from '../client/types.ts';
import { execa, type ResultPromise } from 'execa';
import type { TargetKind } from '../events/schema.ts';
import { collectCpuProfile } from './cpu-prof.ts';
import { waitReady } from './readiness.ts';
import type { StartOptions, StartedTarget } from './types.ts';

/** Default milliseconds between SIGTERM and SIGKILL. */
export const DEFAULT_STOP_GRACE_MS = 10_000;

/** Options of `spawnServer`. */
export interface SpawnServerOptions {
  /** Milliseconds between SIGTERM and SIGKILL (default 10000). */
  readonly stopGraceMs?: number;
  /** Pipe stdout to the caller (to read a ready line); otherwise it joins the runner's stderr. */
  readonly pipeStdout?: boolean;
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Give the child a stdin pipe whose write end only this process holds (never written): it
   * reaches end-of-file the moment we die, SIGKILL included, so a child that watches it
   * (`metabench serve --exit-with-parent`) stops at once. Default false (stdin ignored).
   */
  readonly parentPipe?: boolean;
  /** `--cpu-prof DIR` given to the process (`cpuProfArgs`): its profile is collected once it exits. */
  readonly cpuProf?: { readonly dir: string | undefined; readonly target: string };
}

/** A running server process. */
export interface ServerProcess {
  readonly pid: number;
  readonly subprocess: ResultPromise<{ stdout: 'pipe' | 'inherit'; buffer: false; reject: false }>;
  /** Settles when the process has exited, with how it ended (`exit code 1`, `signal SIGKILL`). */
  readonly exited: Promise<string>;
  /** SIGTERM, SIGKILL after the grace period, and waits for the exit; idempotent. */
  stop(): Promise<string>;
  /** How it ended, once it has; undefined while it runs. */
  ended(): string | undefined;
}

/** Starts `file args…` as a server process. Its stderr joins the runner's stderr (the log file). */
export function spawnServer(file: string, args: readonly string[], opts: SpawnServerOptions = {}): ServerProcess {
  const cancel = new AbortController();
  const subprocess = execa(file, args, {
    stdin: opts.parentPipe ? 'pipe' : 'ignore',
    stdout: opts.pipeStdout ? 'pipe' : 'inherit',
    stderr: 'inherit',
    buffer: false,
    reject: false,
    cleanup: true,
    cancelSignal: cancel.signal,
    forceKillAfterDelay: opts.stopGraceMs ?? DEFAULT_STOP_GRACE_MS,
    env: opts.env,
  }) as ServerProcess['subprocess'];
  const exited: Promise<string> = subprocess.then((res) => {
    if (opts.cpuProf) collectCpuProfile(opts.cpuProf.dir, opts.cpuProf.target, 'server');
    if (res.signal) return `signal ${res.signal}`;
    if (res.exitCode !== undefined) return `exit code ${res.exitCode}`;
    return res.shortMessage ?? 'failed to start';
  });
  let ended: string | undefined;
  void exited.then((how) => (ended = how));
  return {
    ended: () => ended,
    pid: subprocess.pid ?? -1,
    subprocess,
    exited,
    stop: () => {
      cancel.abort();
      return exited;
    },
  };
}

/** Makes a temporary data directory `<root>/metabench-<label>-XXXXXX` (root: the OS temp dir). */
export function makeDataDir(label: string, root: string = tmpdir()): string {
  return mkdtempSync(join(root, `metabench-${label}-`));
}

/** Removes a data directory, or tells the log where it was kept. */
export function disposeDataDir(dir: string, keep: boolean, log: (level: 'info' | 'warn', msg: string) => void): void {
  if (keep) {
    log('info', `kept data directory ${dir}`);
    return;
  }
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch (err) {
    log('warn', `could not remove data directory ${dir}: ${(err as Error).message}`);
  }
}

/** What `serverTarget` needs to know of a server the runner started. */
export interface OwnedServer {
  readonly name: string;
  readonly kind: TargetKind;
  /** How messages name it: `etcd`, `metabench serve (memory)`, `noop server`. */
  readonly label: string;
  readonly proc: ServerProcess;
  /** Where it listens (`127.0.0.1:40123`). */
  readonly address: string;
  /** Runs after the process has stopped (removes its data directory). */
  readonly cleanup?: () => void;
}

/**
 * Confirms with a real Status request that a server the runner started answers, and describes
 * it as a started target whose `stop()` stops the process, logs how it ended, then cleans up.
 * Throws what readiness threw; stopping the process then is the caller's (it may retry).
 */
export async function serverTarget(s: OwnedServer, opts: StartOptions): Promise<StartedTarget> {
  const clientOptions: ConnectOptions = { hosts: [s.address] };
  const ready = await waitReady(clientOptions, { what: `${s.label} at ${s.address}`, timeoutMs: opts.readyTimeoutMs, signal: opts.signal, exited: s.proc.exited, client: opts.client });
  return {
    name: s.name,
    kind: s.kind,
    clientOptions,
    server: { address: s.address, pid: s.proc.pid, version: ready.version },
    exitedEarly: s.proc.ended,
    stop: async () => {
      const how = await s.proc.stop();
      opts.log('info', `${s.label} (pid ${s.proc.pid}) stopped: ${how}`);
      s.cleanup?.();
    },
  };
}
