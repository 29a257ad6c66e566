/**
 * Appends a target's events to `<target>.ndjson`: one JSON object per line, written with one
 * synchronous `write(2)` per line, so a reader (`tail -f`, the tailer) never waits on a buffer
 * and a crash loses at most the line being written.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMA_VERSION, type EventBody, type RunnerEvent } from '../events/schema.ts';

/** Writes stamped events for one target to one file. */
export class EventWriter {
  readonly #fd: number;
  #closed = false;

  /**
   * Opens `path` for appending (created if missing).
   * @param target stamped on every event as `target`
   * @param now clock in milliseconds since the epoch (default `Date.now`), for tests
   */
  constructor(
    readonly path: string,
    readonly target: string,
    private readonly now: () => number = Date.now,
  ) {
    this.#fd = openSync(path, 'a');
  }

  /** Stamps `v`, `t` and `target` on the event, appends it, and returns the stamped event. */
  emit(body: EventBody): RunnerEvent {
    const event = { v: SCHEMA_VERSION, t: this.now(), target: this.target, ...body } as RunnerEvent;
    this.writeLine(JSON.stringify(event));
    return event;
  }

  /** Appends one already-serialised line (no newline inside). */
  writeLine(line: string): void {
    if (this.#closed) throw new Error(`event writer for ${this.path}: write after close`);
    const buf = Buffer.from(line + '\n', 'utf8');
    let off = 0;
    // writeSync may write less than asked on some file systems; loop until the line is out.
    while (off < buf.length) off += writeSync(this.#fd, buf, off, buf.length - off);
  }

  /** Closes the file; later writes throw. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    closeSync(this.#fd);
  }
}

/** Path of a target's event file inside a run folder: `<runDir>/<target>.ndjson`. */
export function eventFilePath(runDir: string, target: string): string {
  return join(runDir, `${target}.ndjson`);
}
