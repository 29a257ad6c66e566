/**
 * The lock on a data directory: `metabench.lock` holds who owns it, and is removed on close.
 *
 * A pid alone does not say who: after kill -9 the pid is free for reuse, and in a container
 * the server is PID 1 every time, so a lock naming pid 1 was "in use by a live process" (or
 * "already open in this process") for ever. So the lock records the owner's identity as Linux
 * knows it, the pid plus the process's start time (field 22 of `/proc/<pid>/stat`, clock ticks
 * since boot) and the boot id: a lock is live only if that very process still runs. Node 20 has
 * no flock/fcntl lock without native code; this tells a reused pid apart just as well, and a
 * lock held by this process is known from an in-process registry, not from the file.
 *
 *   {"pid":1,"start":"81234","boot":"5f0c…"}   written by PID 1 of the last container run
 *   now PID 1 again, start 99120: not the same process -> stale, taken over
 *
 * Without /proc (macOS) the start time is unknown and the pid alone decides, as before.
 * A lock file with just a pid (older versions) is read the same way.
 *
 * Limit: servers in different pid namespaces (two containers) sharing one directory cannot see
 * each other's processes, so neither this nor any pid-based lock keeps them apart; the RocksDB
 * engine's database is still guarded there by RocksDB's own LOCK (an fcntl lock).
 */
import { open, readFile, realpath, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Name of the lock file (holds the owner's identity). */
export const LOCK_FILE = 'metabench.lock';

/** A process as the lock records it; `start` and `boot` are absent where /proc is not. */
export interface ProcessIdentity {
  pid: number;
  start?: string;
  boot?: string;
}

/** The data directory is locked by a live process (or by this one); the message is one line. */
export class DirLockError extends Error {
  override readonly name = 'DirLockError';
}

/** Data directories this process holds (real paths), so a second open here is told apart. */
const held = new Set<string>();

/** The start time of `pid` (clock ticks since boot), or undefined when unknown or not running. */
export function processStartTime(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // no such process, or no /proc
  }
  // The command name (field 2) is in parentheses and may hold spaces and parentheses itself.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[22 - 3];
}

function bootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return undefined; // not Linux
  }
}

/** This process's identity, as written into the lock. */
export function selfIdentity(): ProcessIdentity {
  return { pid: process.pid, start: processStartTime(process.pid), boot: bootId() };
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Parses a lock file: JSON identity, or a bare pid (older versions). */
export function parseLock(text: string): ProcessIdentity | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return { pid: Number(trimmed) };
  try {
    const v = JSON.parse(trimmed) as Partial<ProcessIdentity>;
    if (Number.isSafeInteger(v.pid) && (v.pid as number) > 0) {
      return { pid: v.pid as number, start: typeof v.start === 'string' ? v.start : undefined, boot: typeof v.boot === 'string' ? v.boot : undefined };
    }
  } catch {
    return undefined; // torn or foreign content: nobody can be holding it
  }
  return undefined;
}

/** True when the process `owner` names still runs (and is not this process). */
export function ownerAlive(owner: ProcessIdentity, self: ProcessIdentity = selfIdentity()): boolean {
  if (owner.boot !== undefined && self.boot !== undefined && owner.boot !== self.boot) return false; // rebooted since
  // Our own pid in a lock we do not hold (the registry says so): an earlier process with our pid.
  if (owner.pid === self.pid) return false;
  if (owner.start !== undefined) {
    const now = processStartTime(owner.pid);
    if (now !== undefined) return now === owner.start;
    if (self.start !== undefined) return false; // /proc works here, and has no such process
  }
  return pidAlive(owner.pid);
}

/**
 * Takes the lock of `dir` (which must exist) for this process, taking over one whose owner is
 * gone. Returns the release function.
 */
export async function lockDir(dir: string): Promise<() => Promise<void>> {
  const key = await realpath(dir);
  if (held.has(key)) throw new DirLockError(`data directory ${dir} is already open in this process`);
  const lockPath = join(dir, LOCK_FILE);
  const self = selfIdentity();
  for (let attempt = 0; ; attempt++) {
    try {
      const fh = await open(lockPath, 'wx');
      try {
        await fh.writeFile(JSON.stringify(self) + '\n');
      } finally {
        await fh.close();
      }
      break;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') throw new DirLockError(`cannot lock data directory ${dir}: ${(err as Error).message}`, { cause: err });
      const owner = parseLock(await readFile(lockPath, 'utf8').catch(() => ''));
      if (owner !== undefined && ownerAlive(owner, self)) {
        throw new DirLockError(`data directory ${dir} is in use by process ${owner.pid} (${lockPath})`);
      }
      if (attempt > 0) throw new DirLockError(`data directory ${dir} is locked (${lockPath}) and could not be taken over`);
      // The owner is gone (kill -9, a reused pid, a reboot): take the lock over.
      await rm(lockPath, { force: true });
    }
  }
  held.add(key);
  return async () => {
    held.delete(key);
    await rm(lockPath, { force: true });
  };
}
