/**
 * Follows one growing file by byte offset and hands out complete lines only.
 *
 * Worked example: the writer has appended `{"a":1}\n{"b":` so far. `readNew()` returns
 * `['{"a":1}']` and keeps the 5 bytes `{"b":` pending; once the writer adds `2}\n`, the next
 * `readNew()` returns `['{"b":2}']`. Bytes, not strings, are held back, so a multi-byte UTF-8
 * character split across two reads is decoded whole.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const CHUNK_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

/** Reads a file's new complete lines since the last call. */
export class LineFollower {
  #offset = 0;
  #pending: Buffer = Buffer.alloc(0);

  /** @param path the file to follow; it may not exist yet (then it reads as empty) */
  constructor(readonly path: string) {}

  /** Byte offset up to which the file has been read (complete lines plus pending bytes). */
  get offset(): number {
    return this.#offset;
  }

  /** Bytes of an unfinished last line held back until its newline arrives. */
  get pendingBytes(): number {
    return this.#pending.length;
  }

  /** Returns the complete lines appended since the last call (without their newlines). */
  readNew(): string[] {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const lines: string[] = [];
    try {
      const size = fstatSync(fd).size;
      if (size < this.#offset) this.#shrunk(size);
      const buf = Buffer.allocUnsafe(CHUNK_BYTES);
      while (this.#offset < size) {
        const n = readSync(fd, buf, 0, Math.min(CHUNK_BYTES, size - this.#offset), this.#offset);
        if (n === 0) break;
        this.#offset += n;
        this.#split(buf.subarray(0, n), lines);
      }
    } finally {
      closeSync(fd);
    }
    return lines;
  }

  /**
   * Gives up the pending bytes (the writer is known to be gone) and returns them, if any. The
   * offset moves back to the end of the last complete line, where the caller may cut the file.
   */
  takePending(): string | undefined {
    if (this.#pending.length === 0) return undefined;
    const rest = this.#pending.toString('utf8');
    this.#offset -= this.#pending.length;
    this.#pending = Buffer.alloc(0);
    return rest;
  }

  /**
   * The file got shorter. Cutting off an unfinished last line is how the orchestrator repairs the
   * file of a runner that died mid-write: drop those pending bytes and go on. Anything shorter
   * than the complete lines already handed out is an error.
   */
  #shrunk(size: number): void {
    const completeEnd = this.#offset - this.#pending.length;
    if (size < completeEnd) {
      throw new Error(`${this.path}: file shrank from ${this.#offset} to ${size} bytes while being followed`);
    }
    this.#pending = this.#pending.subarray(0, size - completeEnd);
    this.#offset = size;
  }

  #split(chunk: Buffer, out: string[]): void {
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE, start); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
      const piece = chunk.subarray(start, nl);
      const line = this.#pending.length > 0 ? Buffer.concat([this.#pending, piece]) : piece;
      this.#pending = Buffer.alloc(0);
      if (line.length > 0) out.push(line.toString('utf8'));
      start = nl + 1;
    }
    if (start < chunk.length) {
      // Copy: `chunk` is a view of a reused read buffer.
      this.#pending = Buffer.concat([this.#pending, chunk.subarray(start)]);
    }
  }
}
