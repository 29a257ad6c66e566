/**
 * After a runner exits: make its file end well and leave no server behind.
 * - A partial last line (the runner died mid-write) is cut off, so the file stays valid NDJSON.
 * - A file without a run-end gets one with status `crashed` (or `interrupted` when the run was
 *   being stopped), so readers (`tail`, the dashboard) stop waiting for it.
 * - A server the runner started and did not stop (the runner was SIGKILLed) is killed by pid.
 */
import { readdirSync, readFileSync, truncateSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { eventFilePath } from '../results/event-writer.ts';
import type { FollowedRun } from '../state/follow-run.ts';
import type { RunnerExit } from './runner-exit.ts';

/** Milliseconds an orphaned server gets between SIGTERM and SIGKILL. */
const ORPHAN_GRACE_MS = 3000;

/** What the orchestrator knows about a runner it is reaping. */
export interface ReapInput {
  readonly runDir: string;
  readonly target: string;
  /** The run's follower: the target's file is read to its end and then written by us, not read back. */
  readonly followed: FollowedRun;
  readonly exit: RunnerExit;
  /** The run was being stopped (Ctrl-C, SIGTERM) when the runner exited. */
  readonly stopping: boolean;
  /** ms since the epoch when the runner was started. */
  readonly startedAt: number;
  /** The server pid from the target's run-start, if any. */
  readonly serverPid?: number;
  /** True once this runner's run-end (this repeat's) has been folded into the store. */
  endedNow(): boolean;
  /**
   * More repeats of this target follow: when the runner wrote its run-end, its file is read on
   * (not finished), so the next repeat's runner appends to a followed file.
   */
  readonly keepFollowing?: boolean;
  /** Stamped on the run-end written for a runner that wrote none (runs with repeats). */
  readonly repeat?: number;
  diagnostic(message: string): void;
}

/** Finishes a target's file after its runner exited; returns the run-end status written, if any. */
export async function reapRunner(r: ReapInput): Promise<'crashed' | 'interrupted' | undefined> {
  if (r.keepFollowing) {
    r.followed.poll();
    if (r.endedNow()) {
      if (r.serverPid !== undefined) await killOrphan(r.serverPid, r.diagnostic);
      return undefined;
    }
  }
  const { completeBytes, truncated } = r.followed.finishTarget(r.target);
  const path = eventFilePath(r.runDir, r.target);
  if (truncated !== undefined) {
    truncateSync(path, completeBytes);
    r.diagnostic(`${r.target}: runner left a truncated last line (${Buffer.byteLength(truncated)} bytes); removed it`);
  }
  if (r.serverPid !== undefined) await killOrphan(r.serverPid, r.diagnostic);
  if (r.endedNow()) return undefined;
  const status = r.stopping && r.exit.exitCode !== 1 ? 'interrupted' : 'crashed';
  const stamp = r.repeat !== undefined ? { repeat: r.repeat } : {};
  r.followed.append(r.target, [
    { kind: 'log', level: 'error', message: `runner exited (${r.exit.description}) without a run-end; see ${r.target}.stderr.log`, ...stamp },
    { kind: 'run-end', status, durationMs: Date.now() - r.startedAt, error: `runner ${r.exit.description}`, ...stamp },
  ]);
  return status;
}

/** Kills `pid` if it still runs and is a server metabench starts (etcd or `metabench serve`). */
async function killOrphan(pid: number, diagnostic: (m: string) => void): Promise<void> {
  if (!isServerProcess(pid)) return;
  diagnostic(`server pid ${pid} outlived its runner; stopping it`);
  signal(pid, 'SIGTERM');
  const deadline = Date.now() + ORPHAN_GRACE_MS;
  while (Date.now() < deadline && isServerProcess(pid)) await sleep(50);
  if (isServerProcess(pid)) signal(pid, 'SIGKILL');
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/** True when `pid` is alive and its command line is etcd's or `metabench … serve`'s. */
export function isServerProcess(pid: number): boolean {
  const cmdline = readProc(`/proc/${pid}/cmdline`);
  // A zombie still has a /proc entry but an empty cmdline; it needs no killing.
  const stat = readProc(`/proc/${pid}/stat`);
  if (cmdline === undefined || stat === undefined || /\) Z /.test(stat)) return false;
  const args = cmdline.split('\0');
  return args.some((a) => /(^|\/)etcd$/.test(a)) || (args.some((a) => a.endsWith('metabench.js')) && args.includes('serve'));
}

/**
 * SIGKILLs every process below `pid` (children first collected, grandchildren too), not `pid`
 * itself: what a forced stop does before killing a runner. Linux `/proc`; elsewhere a no-op.
 */
export function killDescendants(pid: number): void {
  for (const child of descendantsOf(pid)) signal(child, 'SIGKILL');
}

function descendantsOf(pid: number): number[] {
  const out: number[] = [];
  const queue = [pid];
  for (let p = queue.shift(); p !== undefined; p = queue.shift()) {
    for (const c of childrenOf(p)) {
      out.push(c);
      queue.push(c);
    }
  }
  return out;
}

function childrenOf(pid: number): number[] {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ESRCH') return []; // Gone, or not Linux.
    throw err;
  }
  const out: number[] = [];
  for (const t of tasks) {
    // Undefined when the thread ended meanwhile.
    const text = readProc(`/proc/${pid}/task/${t}/children`)?.trim();
    if (text) out.push(...text.split(/\s+/).map(Number));
  }
  return out;
}

/** A /proc file, or undefined when the process is gone (or this is not Linux): nothing to kill. */
function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ESRCH') return undefined;
    throw err;
  }
}
