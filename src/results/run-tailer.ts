/**
 * Follows every target file of a run (`<runDir>/<target>.ndjson`) and hands out validated
 * events in file order per target. The orchestrator, `--json`, plain output and `metabench tail`
 * all read a run this way: from the files, never from a child's stdout.
 */
import { parseEventLine, type RunnerEvent } from '../events/schema.ts';
import { eventFilePath } from './event-writer.ts';
import { LineFollower } from './line-follower.ts';

export { eventFilePath } from './event-writer.ts';

/** Polling interval of `start()` in milliseconds (default). */
export const DEFAULT_POLL_MS = 100;

/** Callbacks of a run tailer. */
export interface RunTailerHandlers {
  /** A valid event of one target. */
  onEvent(event: RunnerEvent): void;
  /** A line that is not a valid event (wrong JSON, wrong schema version, truncated tail). */
  onInvalid?(target: string, line: string, error: Error): void;
}


/** Follows the event files of a set of targets of one run. */
export class RunTailer {
  readonly #followers = new Map<string, LineFollower>();
  readonly #ended = new Set<string>();
  /** Targets no longer read (their writer is gone and the rest was read). */
  readonly #forgotten = new Set<string>();
  /** Lines handed out per target so far, for messages naming `file:line`. */
  readonly #lines = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;

  constructor(
    readonly runDir: string,
    targets: readonly string[],
    private readonly handlers: RunTailerHandlers,
  ) {
    for (const t of targets) {
      const follower = new LineFollower(eventFilePath(runDir, t), {
        onOversize: ({ offset, limitBytes }) => {
          const line = this.#count(t);
          handlers.onInvalid?.(t, '', new Error(`${t}.ndjson:${line}: line at byte ${offset} is longer than ${limitBytes / 2 ** 20} MiB; skipped`));
        },
      });
      this.#followers.set(t, follower);
    }
  }

  /** Targets whose file holds a run-end event so far. */
  get ended(): ReadonlySet<string> {
    return this.#ended;
  }

  /** True once every followed target has a run-end. */
  get allEnded(): boolean {
    return this.#ended.size === this.#followers.size;
  }

  /** Reads what is new in every file now. */
  poll(): void {
    for (const target of this.#followers.keys()) if (!this.#forgotten.has(target)) this.pollTarget(target);
  }

  /** Reads what is new in one target's file now. */
  pollTarget(target: string): void {
    const follower = this.#followers.get(target);
    if (!follower) throw new Error(`run tailer: unknown target '${target}'`);
    for (const line of follower.readNew()) this.#deliver(target, line);
  }

  /**
   * The writer of `target` is gone: reads the rest, and reports a partial last line (no newline)
   * as invalid. Returns the byte offset where the complete lines end.
   */
  finishTarget(target: string): { completeBytes: number; truncated?: string } {
    this.pollTarget(target);
    const follower = this.#followers.get(target)!;
    const completeBytes = follower.offset - follower.pendingBytes;
    const truncated = follower.takePending();
    if (truncated !== undefined) {
      this.handlers.onInvalid?.(target, truncated, new Error(`${follower.path}: truncated last line (${Buffer.byteLength(truncated)} bytes, no newline)`));
    }
    return { completeBytes, truncated };
  }

  /** Stops reading `target`'s file (after `finishTarget`): later polls leave it alone. */
  forget(target: string): void {
    this.#forgotten.add(target);
  }

  /** Polls every `intervalMs` until `stop()`. */
  start(intervalMs = DEFAULT_POLL_MS): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => this.#safePoll(), intervalMs);
  }

  /** Stops polling (a last `poll()` is the caller's choice). */
  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #safePoll(): void {
    try {
      this.poll();
    } catch (err) {
      // A file that cannot be read now (shrunk, permissions) is reported once per poll, not fatal.
      this.handlers.onInvalid?.('(run)', '', err as Error);
    }
  }

  #deliver(target: string, line: string): void {
    let event: RunnerEvent;
    try {
      event = parseEventLine(line, `${target}.ndjson:${this.#count(target)}`);
    } catch (err) {
      this.handlers.onInvalid?.(target, line, err as Error);
      return;
    }
    if (event.kind === 'run-end') this.#ended.add(target);
    this.handlers.onEvent(event);
  }

  /** Counts one more line of `target` and returns its number (1-based). */
  #count(target: string): number {
    const n = (this.#lines.get(target) ?? 0) + 1;
    this.#lines.set(target, n);
    return n;
  }
}
