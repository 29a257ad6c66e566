/**
 * Checks a directory path before anything creates it, and creates it. Node 20's recursive mkdir
 * loops for ever (100% CPU, deaf to SIGINT and SIGTERM) on a path under /proc, and a path under
 * /sys or behind a file fails with a bare errno, so every place that creates a directory from a
 * user's value (`serve --data-dir`, `run --results`, `openStore`'s data directory) asks first:
 * walk up to the nearest part of the path that exists; it must be a writable directory on a
 * real filesystem (not procfs, sysfs or another kernel pseudo-filesystem).
 *
 *   /proc/x        -> '/proc' is on procfs (a kernel pseudo-filesystem)
 *   /etc/hosts/db  -> '/etc/hosts' is a file
 *   /tmp/a/b/c     -> fine when /tmp is a writable directory (a, b, c get created)
 */
import { accessSync, constants, statSync, statfsSync, type Stats } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/** `statfs` magic numbers of kernel pseudo-filesystems (Linux `magic.h`), by name. */
const PSEUDO_FILESYSTEMS = new Map<number, string>([
  [0x9fa0, 'procfs'],
  [0x62656572, 'sysfs'],
  [0x27e0eb, 'cgroupfs'],
  [0x63677270, 'cgroup2fs'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0x1cd1, 'devpts'],
]);

/** A path that cannot be (or become) a writable directory; the message is one line. */
export class DirTargetError extends Error {
  override readonly name = 'DirTargetError';
}

/** What every message says was expected. */
export const EXPECTED_DIR = 'expected a writable directory, or a new path under one, on a real filesystem';

function pseudoFilesystem(path: string): string | undefined {
  try {
    return PSEUDO_FILESYSTEMS.get(Number(statfsSync(path).type));
  } catch {
    // statfs unavailable (not Linux): judge by the usual mount points instead.
    return /^\/(proc|sys)(\/|$)/.exec(path) ? path.split('/')[1] : undefined;
  }
}

/**
 * Why `dir` cannot be used or created as a writable directory, or undefined when it can.
 * Creates nothing and changes nothing.
 */
export function dirTargetProblem(dir: string): string | undefined {
  let probe = resolve(dir);
  let st: Stats;
  for (;;) {
    try {
      st = statSync(probe);
      break;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // ENOTDIR: a file somewhere above; walking up finds it.
      if (code !== 'ENOENT' && code !== 'ENOTDIR') return `cannot inspect '${probe}' (${code ?? (err as Error).message})`;
      const up = dirname(probe);
      if (up === probe) return `no part of it exists`;
      probe = up;
    }
  }
  if (!st.isDirectory()) return `'${probe}' is not a directory`;
  const pseudo = pseudoFilesystem(probe);
  if (pseudo !== undefined) return `'${probe}' is on ${pseudo} (a kernel pseudo-filesystem)`;
  try {
    accessSync(probe, constants.W_OK | constants.X_OK);
  } catch (err) {
    return `'${probe}' is not writable (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
  }
  return undefined;
}

/**
 * Throws a `DirTargetError` naming `what` (a flag, say `--data-dir`) and the value when
 * `dirTargetProblem` finds one; returns the absolute path otherwise.
 */
export function checkDirTarget(what: string, dir: string): string {
  const problem = dirTargetProblem(dir);
  if (problem !== undefined) throw new DirTargetError(`${what} '${dir}': ${problem}; ${EXPECTED_DIR}`);
  return resolve(dir);
}

/** Checks `dir` as `checkDirTarget` does, then creates it and any missing parents. */
export async function ensureDir(what: string, dir: string): Promise<string> {
  const abs = checkDirTarget(what, dir);
  try {
    await mkdir(abs, { recursive: true });
  } catch (err) {
    throw new DirTargetError(`${what} '${dir}': cannot create it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); ${EXPECTED_DIR}`, {
      cause: err,
    });
  }
  return abs;
}
