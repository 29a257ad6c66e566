/**
 * Recovery of the write-ahead log at start-up, in this order:
 *   1. pick the newest snapshot that reads back intact and from which the log continues (a
 *      damaged one is set aside with a warning only if older state still recovers everything);
 *   2. drop segments the snapshot wholly covers (a clean-up interrupted by a crash);
 *   3. read every remaining segment in order, checking CRCs and that indexes run without gaps;
 *      zero padding after the last record is the end of the log (preallocated space, kept for
 *      the appends to come); cut off a torn tail of the newest segment (a last frame cut short,
 *      not one that is complete with a bad CRC) with a warning; refuse
 *      any other damage with a `WalCorruptionError` naming the file and the byte offset;
 *   4. open the segment that the next append continues (or start a new one).
 */
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { WalCorruptionError } from './errors.ts';
import { closeFd, datasyncFd, openFd, syncDir, truncateFd } from './fs-util.ts';
import { parseSegmentName, readSegment, segmentName, type SegmentScan, type WalRecord } from './segment.ts';
import { parseSnapshotName, readSnapshotFile } from './snapshot-file.ts';

/** Where the log reports what it did on its own (torn tails cut off, fallbacks). */
export type WalLogger = (level: 'info' | 'warn' | 'error', message: string) => void;

/** A segment file on disk. */
export interface SegmentInfo {
  /** Index of its first record (its file name). */
  firstIndex: number;
  path: string;
  /** Bytes of valid records. */
  bytes: number;
  /** Size of the file: `bytes` plus any zero padding preallocated after the records. */
  fileBytes: number;
}

/** A snapshot file on disk. */
export interface SnapshotInfo {
  /** Last record it covers (its file name). */
  index: number;
  path: string;
  bytes: number;
}

/** The snapshot recovery starts from. */
export interface RecoveredSnapshot {
  /** Last record it covers. */
  index: number;
  /** The caller's payload. */
  data: Buffer;
  /** Its file, for error messages. */
  file: string;
}

/** What recovery found and left open for appending. */
export interface RecoveredLog {
  walDir: string;
  snapDir: string;
  segments: SegmentInfo[];
  snapshots: SnapshotInfo[];
  /** Descriptor of the newest segment, positioned for appends by `segments.at(-1).bytes`. */
  fd: number;
  /** Index of the last record (or of the snapshot, when it is newer). */
  last: number;
  snapshot?: RecoveredSnapshot;
  /** Records after the snapshot, in index order. */
  records: WalRecord[];
}

/** Recovers the log under `dir` (creating `wal/` and `snap/` if missing). */
export async function recover(dir: string, log: WalLogger): Promise<RecoveredLog> {
  const walDir = join(dir, 'wal');
  const snapDir = join(dir, 'snap');
  try {
    const created = [await mkdir(walDir, { recursive: true }), await mkdir(snapDir, { recursive: true })];
    // A new directory's own entry is durable only once its parent is synced.
    if (created.some((c) => c !== undefined)) await syncDir(dir);
  } catch (err) {
    throw new Error(`wal: cannot create ${walDir} and ${snapDir}: ${(err as Error).message}`, { cause: err });
  }

  const segments = await listSegments(walDir, log);
  const { snapshot, snapshots } = await loadSnapshot(snapDir, segments, log);
  const snapIndex = snapshot?.index ?? 0;

  // Segments whose records the snapshot wholly covers are not needed (an interrupted clean-up
  // after the last snapshot, or records lost with sync `none` that the snapshot still has).
  while (segments.length > 1 && segments[1].firstIndex <= snapIndex + 1) {
    await rm(segments.shift()!.path, { force: true });
  }

  const records: WalRecord[] = [];
  let last = snapIndex;
  let newestCount = 0;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    const newest = i === segments.length - 1;
    if (seg.firstIndex > last + 1) {
      // Only the first segment can get here: later ones are checked against their predecessor.
      const covered = snapshot ? `the snapshot covers up to ${snapIndex}` : 'there is no snapshot';
      throw new WalCorruptionError(
        seg.path,
        0,
        `segment starts at record ${seg.firstIndex} but nothing covers records ${last + 1}..${seg.firstIndex - 1} (${covered})`,
      );
    }
    const scan = await readSegment(seg.path, seg.firstIndex, newest);
    const segLast = seg.firstIndex + scan.records.length - 1;
    if (!newest && segLast + 1 !== segments[i + 1].firstIndex) {
      throw new WalCorruptionError(
        seg.path,
        scan.validBytes,
        `segment ends at record ${segLast} but the next segment starts at ${segments[i + 1].firstIndex}`,
      );
    }
    for (const r of scan.records) if (r.index > snapIndex) records.push(r);
    if (scan.records.length > 0) last = Math.max(last, segLast);
    seg.bytes = scan.validBytes;
    seg.fileBytes = scan.torn ? scan.validBytes : scan.fileBytes;
    newestCount = scan.records.length;
    if (scan.torn) await cutTornTail(seg.path, scan, last, log);
  }

  // Append to the newest segment when the next record continues it; otherwise (no segment, or
  // one that ends before the snapshot) it is covered by the snapshot and a fresh one starts.
  let fd: number;
  const newest = segments.at(-1);
  if (newest && newest.firstIndex + newestCount - 1 === last) {
    fd = await openFd(newest.path, 'r+');
  } else {
    if (newest) {
      await rm(newest.path, { force: true });
      segments.pop();
    }
    const path = join(walDir, segmentName(last + 1));
    fd = await openFd(path, 'wx');
    await syncDir(walDir);
    segments.push({ firstIndex: last + 1, path, bytes: 0, fileBytes: 0 });
  }

  return { walDir, snapDir, segments, snapshots, fd, last, snapshot, records };
}

/** Cuts the newest segment back to its last valid record, durably, and says so. */
async function cutTornTail(path: string, scan: SegmentScan, last: number, log: WalLogger): Promise<void> {
  const fd = await openFd(path, 'r+');
  try {
    await truncateFd(fd, scan.validBytes);
    await datasyncFd(fd);
  } finally {
    await closeFd(fd);
  }
  log(
    'warn',
    `wal: torn tail in ${path} at byte offset ${scan.validBytes} (${scan.torn?.problem}); ` +
      `truncated ${scan.fileBytes - scan.validBytes} bytes, recovered up to record ${last}`,
  );
}

async function listSegments(walDir: string, log: WalLogger): Promise<SegmentInfo[]> {
  const segments: SegmentInfo[] = [];
  for (const name of await readdir(walDir)) {
    const firstIndex = parseSegmentName(name);
    if (firstIndex === undefined) {
      log('warn', `wal: ignoring unexpected file ${join(walDir, name)}`);
      continue;
    }
    segments.push({ firstIndex, path: join(walDir, name), bytes: 0, fileBytes: 0 });
  }
  return segments.sort((a, b) => a.firstIndex - b.firstIndex);
}

/**
 * Picks the newest snapshot that reads back intact and from which the log continues. A damaged
 * snapshot is skipped with a warning only when an older one (or the log from record 1) still
 * recovers everything; otherwise its error stops start-up.
 */
async function loadSnapshot(
  snapDir: string,
  segments: SegmentInfo[],
  log: WalLogger,
): Promise<{ snapshot?: RecoveredSnapshot; snapshots: SnapshotInfo[] }> {
  const found: SnapshotInfo[] = [];
  for (const name of await readdir(snapDir)) {
    const path = join(snapDir, name);
    if (name.endsWith('.broken')) continue; // set aside by an earlier start (see renameAside)
    if (name.endsWith('.tmp')) {
      // A snapshot that was being written when the process died; never renamed, never used.
      await rm(path, { force: true });
      log('info', `wal: removed unfinished snapshot ${path}`);
      continue;
    }
    const index = parseSnapshotName(name);
    if (index === undefined) {
      log('warn', `wal: ignoring unexpected file ${path}`);
      continue;
    }
    found.push({ index, path, bytes: 0 });
  }
  found.sort((a, b) => b.index - a.index);
  const firstRecord = segments[0]?.firstIndex ?? Infinity;

  let firstError: WalCorruptionError | undefined;
  for (const snap of found) {
    let read: { payload: Buffer; bytes: number };
    try {
      read = await readSnapshotFile(snap.path, snap.index);
    } catch (err) {
      if (!(err instanceof WalCorruptionError)) throw err;
      firstError ??= err;
      continue;
    }
    if (segments.length > 0 && firstRecord > snap.index + 1) {
      // Intact, but the records right after it are gone: it cannot be brought up to date.
      firstError ??= new WalCorruptionError(snap.path, 0, `snapshot covers records up to ${snap.index} but the log starts at ${firstRecord}`);
      continue;
    }
    if (firstError) log('warn', `${firstError.message}; recovering from the older snapshot ${snap.path} and the log instead`);
    snap.bytes = read.bytes;
    // Snapshots older than the one used are redundant.
    for (const older of found) if (older.index < snap.index) await rm(older.path, { force: true });
    // A damaged newer snapshot would be tried again at every start: move it aside, keeping it
    // for inspection.
    for (const newer of found) {
      if (newer.index > snap.index) await renameAside(newer.path, log);
    }
    return { snapshot: { index: snap.index, data: read.payload, file: snap.path }, snapshots: [snap] };
  }
  if (firstError) {
    if (firstRecord === 1) {
      log('warn', `${firstError.message}; recovering from the whole log instead`);
      for (const s of found) await renameAside(s.path, log);
      return { snapshots: [] };
    }
    throw firstError;
  }
  return { snapshots: [] };
}

async function renameAside(path: string, log: WalLogger): Promise<void> {
  const aside = `${path}.broken`;
  await rename(path, aside);
  log('warn', `wal: moved unusable snapshot ${path} to ${aside}`);
}
