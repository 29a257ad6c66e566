/**
 * Thin promise wrappers over raw file descriptors. The append path uses these rather than
 * `FileHandle` because they allocate less per call, which matters at tens of thousands of
 * appends per second.
 */
import { close, fdatasync, fsync, ftruncate, open, openSync, write, writeSync } from 'node:fs';

/** Opens `path` with `flags` (as `fs.open`) and resolves with the descriptor. */
export function openFd(path: string, flags: string): Promise<number> {
  return new Promise((resolve, reject) => open(path, flags, 0o644, (err, fd) => (err ? reject(err) : resolve(fd))));
}

/** Opens `path` with `flags` synchronously (creating a file is microseconds; no pool hop). */
export function openFdSync(path: string, flags: string): number {
  return openSync(path, flags, 0o644);
}

/** Writes all of `buf[0, length)` at `position`, looping over short writes. */
export async function writeAll(fd: number, buf: Buffer, length: number, position: number): Promise<void> {
  let done = 0;
  while (done < length) {
    const n = await new Promise<number>((resolve, reject) =>
      write(fd, buf, done, length - done, position + done, (err, written) => (err ? reject(err) : resolve(written))),
    );
    done += n;
  }
}

/**
 * Writes all of `buf[0, length)` at `position` synchronously, looping over short writes. A
 * write of a few KB into the page cache takes microseconds, less than the thread-pool round
 * trip of an asynchronous write, so the append path uses this and keeps the pool for fdatasync.
 */
export function writeAllSync(fd: number, buf: Buffer, length: number, position: number): void {
  let done = 0;
  while (done < length) done += writeSync(fd, buf, done, length - done, position + done);
}

/** Shared zeros for `writeZerosSync`. */
const ZEROS = Buffer.alloc(1 << 20);

/** Writes zero bytes over `[from, to)` synchronously (preallocating file space). */
export function writeZerosSync(fd: number, from: number, to: number): void {
  for (let pos = from; pos < to; ) {
    const n = Math.min(ZEROS.length, to - pos);
    writeAllSync(fd, ZEROS, n, pos);
    pos += n;
  }
}

/** fdatasync: file data (and the size) reach the disk; cheaper than fsync on most filesystems. */
export function datasyncFd(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())));
}

/** Truncates the open file to `length` bytes. */
export function truncateFd(fd: number, length: number): Promise<void> {
  return new Promise((resolve, reject) => ftruncate(fd, length, (err) => (err ? reject(err) : resolve())));
}

/** Closes a descriptor. */
export function closeFd(fd: number): Promise<void> {
  return new Promise((resolve, reject) => close(fd, (err) => (err ? reject(err) : resolve())));
}

/**
 * fsyncs a directory so that a file created, renamed or deleted in it survives a crash (on
 * Linux a new file's directory entry is not durable until its directory is synced).
 */
export async function syncDir(dir: string): Promise<void> {
  const fd = await openFd(dir, 'r');
  try {
    await new Promise<void>((resolve, reject) => fsync(fd, (err) => (err ? reject(err) : resolve())));
  } finally {
    await closeFd(fd);
  }
}
