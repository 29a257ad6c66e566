/**
 * Ownership of a data directory. Each engine stamps its directory with `metastore.json`
 * (`{"engine":"memory","format":1}`) and holds `LOCK` (the owner's pid) while open, so that
 *   - a directory written by the other engine is refused, not overwritten;
 *   - a second server on the same directory refuses to start;
 *   - a lock left by a process that no longer exists (kill -9) is taken over.
 */
import { mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Name of the marker file that records which engine owns a data directory. */
export const MARKER_FILE = 'metastore.json';
/** Name of the lock file (holds the owner's pid). */
export const LOCK_FILE = 'metabench.lock';

/** A data directory that cannot be used: foreign engine, locked, or unreadable marker. */
export class DataDirError extends Error {
  override readonly name = 'DataDirError';
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

async function readMarker(dir: string): Promise<string | undefined> {
  const path = join(dir, MARKER_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DataDirError(`cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
  try {
    const engine = (JSON.parse(text) as { engine?: unknown }).engine;
    if (typeof engine === 'string') return engine;
  } catch (cause) {
    throw new DataDirError(`${path} is not valid JSON; expected {"engine":"memory|rocksdb"}`, { cause });
  }
  throw new DataDirError(`${path} names no engine; expected {"engine":"memory|rocksdb"}`);
}

/**
 * Creates `dir` if needed, checks that it belongs to `engine` (or is new), takes the lock and
 * stamps the marker. Returns a function that releases the lock.
 *
 * `isEmptyForeign` lets an engine say whether files it finds without a marker are its own
 * (RocksDB's CURRENT file, say): a non-empty directory without a marker that the engine does
 * not recognise is refused.
 */
export async function claimDataDir(
  dir: string,
  engine: 'memory' | 'rocksdb',
): Promise<() => Promise<void>> {
  await mkdir(dir, { recursive: true });
  const owner = await readMarker(dir);
  if (owner !== undefined && owner !== engine) {
    throw new DataDirError(
      `data directory ${dir} was written by the ${owner} engine; refusing to open it with --engine ${engine}`,
    );
  }
  const lockPath = join(dir, LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    try {
      const fh = await open(lockPath, 'wx');
      await fh.writeFile(String(process.pid));
      await fh.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
          throw new DataDirError(`data directory ${dir} is locked (${lockPath}) and could not be taken over`);
        }
        throw new DataDirError(`cannot lock data directory ${dir}: ${(err as Error).message}`, { cause: err });
      }
      const pid = Number((await readFile(lockPath, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && pidAlive(pid)) {
        throw new DataDirError(`data directory ${dir} is in use by process ${pid}`);
      }
      if (pid === process.pid) {
        throw new DataDirError(`data directory ${dir} is already open in this process`);
      }
      // Stale lock from a process that died: take it over.
      await rm(lockPath, { force: true });
    }
  }
  if (owner === undefined) {
    await writeFile(join(dir, MARKER_FILE), JSON.stringify({ engine, format: 1 }) + '\n');
  }
  return async () => {
    await rm(lockPath, { force: true });
  };
}
