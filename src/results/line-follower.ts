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

/** Longest line handed out, bytes (default): a longer one is reported and skipped, never held. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

/** A line longer than the limit, reported once when it crosses it. */
export interface OversizeLine {
  /** Byte offset where the line starts. */
  readonly offset: number;
  /** The limit it crossed, bytes. */
  readonly limitBytes: number;
}

/** Options of a `LineFollower`. */
export interface LineFollowerOptions {
  /** Longest line handed out, bytes (default `MAX_LINE_BYTES`). */
  readonly maxLineBytes?: number;
  /** Called once per over-limit line, as soon as it crosses the limit; the line is skipped. */
  readonly onOversize?: (line: OversizeLine) => void;
}

/**
 * Reads a file's new complete lines since the last call. Linear in the bytes read however long
 * a line is: an unfinished line is kept as a list of chunks and joined once, when its newline
 * arrives (joining on every read would be quadratic on one long line).
 */
export class LineFollower {
  #offset = 0;
  /** Chunks of the unfinished last line (copies, not views of the read buffer). */
  #pending: Buffer[] = [];
  #pendingLength = 0;
  /** Bytes of an over-limit line dropped so far (it is skipped up to its newline). */
  #skipped = 0;
  readonly #maxLineBytes: number;

  /** @param path the file to follow; it may not exist yet (then it reads as empty) */
  constructor(
    readonly path: string,
    private readonly opts: LineFollowerOptions = {},
  ) {
    this.#maxLineBytes = opts.maxLineBytes ?? MAX_LINE_BYTES;
  }

  /** Byte offset up to which the file has been read (complete lines plus pending bytes). */
  get offset(): number {
    return this.#offset;
  }

  /** Bytes of an unfinished last line held back (or skipped) until its newline arrives. */
  get pendingBytes(): number {
    return this.#pendingLength + this.#skipped;
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
        this.#split(buf.subarray(0, n), this.#offset, lines);
        this.#offset += n;
      }
    } finally {
      closeSync(fd);
    }
    return lines;
  }

  /**
   * Gives up the pending bytes (the writer is known to be gone) and returns them, if any (an
   * over-limit line as a short description). The offset moves back to the end of the last
   * complete line, where the caller may cut the file.
   */
  takePending(): string | undefined {
    if (this.pendingBytes === 0) return undefined;
    const rest = this.#skipped > 0 ? `(${this.pendingBytes} bytes of a line over ${this.#maxLineBytes} bytes)` : Buffer.concat(this.#pending, this.#pendingLength).toString('utf8');
    this.#offset -= this.pendingBytes;
    this.#clearPending();
    return rest;
  }

  /**
   * The file got shorter. Cutting off an unfinished last line is how the orchestrator repairs the
   * file of a runner that died mid-write: drop those pending bytes and go on. Anything shorter
   * than the complete lines already handed out is an error.
   */
  #shrunk(size: number): void {
    const completeEnd = this.#offset - this.pendingBytes;
    if (size < completeEnd) {
      throw new Error(`${this.path}: file shrank from ${this.#offset} to ${size} bytes while being followed`);
    }
    const keep = size - completeEnd;
    if (this.#skipped > 0) {
      this.#skipped = keep;
    } else {
      const joined = Buffer.concat(this.#pending, this.#pendingLength).subarray(0, keep);
      this.#clearPending();
      if (joined.length > 0) this.#hold(joined);
    }
    this.#offset = size;
  }

  /** Splits a chunk read at file offset `at` into complete lines. */
  #split(chunk: Buffer, at: number, out: string[]): void {
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE, start); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
      if (this.#skipped > 0) {
        // The end of an over-limit line: already reported, dropped.
        this.#clearPending();
      } else if (nl - start + this.#pendingLength > this.#maxLineBytes) {
        this.#oversize(at + start - this.#pendingLength);
        this.#clearPending();
      } else {
        const piece = chunk.subarray(start, nl);
        const line = this.#pendingLength > 0 ? Buffer.concat([...this.#pending, piece], this.#pendingLength + piece.length) : piece;
        this.#clearPending();
        if (line.length > 0) out.push(line.toString('utf8'));
      }
      start = nl + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      if (this.#skipped > 0) {
        this.#skipped += rest.length;
      } else if (this.#pendingLength + rest.length > this.#maxLineBytes) {
        this.#oversize(at + start - this.#pendingLength);
        this.#skipped = this.#pendingLength + rest.length;
        this.#pending = [];
        this.#pendingLength = 0;
      } else {
        // Copy: `chunk` is a view of a reused read buffer.
        this.#hold(Buffer.from(rest));
      }
    }
  }

  #hold(bytes: Buffer): void {
    this.#pending.push(bytes);
    this.#pendingLength += bytes.length;
  }

  #clearPending(): void {
    this.#pending = [];
    this.#pendingLength = 0;
    this.#skipped = 0;
  }

  #oversize(offset: number): void {
    this.opts.onOversize?.({ offset, limitBytes: this.#maxLineBytes });
  }
}
