/**
 * Ownership of a data directory. Each engine stamps its directory with `metastore.json`
 * (`{"engine":"memory","format":1}`) and holds the lock (`dir-lock.ts`) while open, so that
 *   - a directory written by the other engine is refused, not overwritten;
 *   - a directory with files but no marker (the marker was lost, or it is not ours at all:
 *     someone's folder holding `important.txt`) is refused, not claimed;
 *   - a marker of a format this version does not know is refused, not re-read as format 1;
 *   - a second server on the same directory refuses to start;
 *   - a lock left by a process that no longer exists (kill -9, a reused pid) is taken over.
 * Every refusal is one line and leaves the directory as it was.
 *
 * Formats: the memory engine writes and reads format 1. The rocksdb engine writes format 2 (its
 * key layout changed: `rocksdb/keys.ts`) and still reads format 1, whose marker it rewrites to 2
 * when it claims the directory, before it writes anything: a version that reads only format 1
 * then refuses the directory instead of misreading the newer layout.
 */
import { readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureDir } from '../fs/ensure-dir.ts';
import { LOCK_FILE, lockDir } from './dir-lock.ts';

export { LOCK_FILE } from './dir-lock.ts';

/** Name of the marker file that records which engine owns a data directory. */
export const MARKER_FILE = 'metastore.json';
const ENGINES = ['memory', 'rocksdb'] as const;
type Engine = (typeof ENGINES)[number];

/** Per engine: the marker format this version writes, and every format it reads. */
export const MARKER_FORMATS: Record<Engine, { writes: number; reads: readonly number[] }> = {
  memory: { writes: 1, reads: [1] },
  rocksdb: { writes: 2, reads: [1, 2] },
};
/** What each engine keeps in its directory, to say whose data an unmarked directory holds. */
const ENGINE_FILES: Record<Engine, string[]> = { memory: ['wal', 'snap'], rocksdb: ['rocksdb'] };

/** A data directory that cannot be used: foreign engine, locked, unmarked, or unreadable marker. */
export class DataDirError extends Error {
  override readonly name = 'DataDirError';
}

const EXPECTED = `expected {"engine":"memory","format":${MARKER_FORMATS.memory.writes}} or {"engine":"rocksdb","format":${MARKER_FORMATS.rocksdb.writes}}`;

async function readMarker(dir: string): Promise<{ engine: Engine; format: number } | undefined> {
  const path = join(dir, MARKER_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DataDirError(`cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
  let marker: { engine?: unknown; format?: unknown };
  try {
    marker = JSON.parse(text) as typeof marker;
  } catch (cause) {
    throw new DataDirError(`${path} is not valid JSON; ${EXPECTED}`, { cause });
  }
  if (typeof marker !== 'object' || marker === null || typeof marker.engine !== 'string') {
    throw new DataDirError(`${path} names no engine; ${EXPECTED}`);
  }
  if (!(ENGINES as readonly string[]).includes(marker.engine)) {
    throw new DataDirError(`${path} names an unknown engine ${JSON.stringify(marker.engine)}; ${EXPECTED}`);
  }
  const engine = marker.engine as Engine;
  const known = MARKER_FORMATS[engine].reads;
  if (typeof marker.format !== 'number' || !known.includes(marker.format)) {
    throw new DataDirError(
      `${path} has format ${JSON.stringify(marker.format)}, which this version does not know (it reads ${engine} format ${known.join(' or ')}); refusing to open it`,
    );
  }
  return { engine, format: marker.format };
}

/** Writes the marker aside and renames it: a crash never leaves a half-written one to refuse. */
async function writeMarker(dir: string, engine: Engine): Promise<void> {
  const tmp = join(dir, `${MARKER_FILE}.tmp`);
  await writeFile(tmp, JSON.stringify({ engine, format: MARKER_FORMATS[engine].writes }) + '\n');
  await rename(tmp, join(dir, MARKER_FILE));
}

/** Refuses a directory that has files but no marker, saying whose data they look like. */
async function refuseUnmarked(dir: string, engine: string): Promise<void> {
  // Only what a first open that died before stamping the marker leaves may be there.
  const names = (await readdir(dir)).filter((n) => n !== LOCK_FILE && n !== `${MARKER_FILE}.tmp`).sort();
  if (names.length === 0) return;
  const owner = ENGINES.find((e) => ENGINE_FILES[e].some((f) => names.includes(f)));
  const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? `, … (${names.length} entries)` : '');
  const whose = owner === undefined ? 'not a metabench data directory' : `it looks like ${owner} engine data`;
  throw new DataDirError(
    `data directory ${dir} has no ${MARKER_FILE} but is not empty (${shown}: ${whose}); refusing to open it with --engine ${engine}` +
      ` (restore the marker, or choose an empty directory)`,
  );
}

/**
 * Creates `dir` if needed, checks that it belongs to `engine` (or is new and empty), takes the
 * lock and stamps the marker. Returns a function that releases the lock.
 */
export async function claimDataDir(dir: string, engine: Engine): Promise<() => Promise<void>> {
  try {
    await ensureDir('data directory', dir);
  } catch (err) {
    throw new DataDirError((err as Error).message, { cause: err });
  }
  const marker = await readMarker(dir);
  if (marker !== undefined && marker.engine !== engine) {
    throw new DataDirError(`data directory ${dir} was written by the ${marker.engine} engine; refusing to open it with --engine ${engine}`);
  }
  if (marker === undefined) await refuseUnmarked(dir, engine);
  let release: () => Promise<void>;
  try {
    release = await lockDir(dir);
  } catch (err) {
    throw new DataDirError((err as Error).message, { cause: err });
  }
  // A new directory, or an older format this version upgrades (see the file comment).
  if (marker === undefined || marker.format !== MARKER_FORMATS[engine].writes) {
    try {
      await writeMarker(dir, engine);
    } catch (err) {
      await release();
      throw new DataDirError(`cannot write ${join(dir, MARKER_FILE)}: ${(err as Error).message}`, { cause: err });
    }
  }
  return release;
}
