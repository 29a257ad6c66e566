/**
 * Test helpers for components: render at a chosen terminal size (ink-testing-library's stream
 * is fixed at 100 columns) and normalise frames (ANSI codes stripped, digits as `#`) so
 * assertions do not depend on colours or figures that vary.
 */
import { EventEmitter } from 'node:events';
import { render } from 'ink';
import type { ReactElement } from 'react';

class SizedStdout extends EventEmitter {
  readonly frames: string[] = [];
  readonly isTTY: boolean = false;
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  write = (frame: string): boolean => {
    this.frames.push(frame);
    return true;
  };
}

/** A rendered tree at `columns × rows`: its last frame, resize and teardown. */
export interface SizedRender {
  lastFrame(): string;
  resize(columns: number, rows: number): void;
  unmount(): void;
}

/** Renders `tree` in debug mode (every frame written whole) to a stream of the given size. */
export function renderAt(tree: ReactElement, columns: number, rows: number): SizedRender {
  const stdout = new SizedStdout(columns, rows);
  const inst = render(tree, { stdout: stdout as unknown as NodeJS.WriteStream, debug: true, exitOnCtrlC: false, patchConsole: false });
  return {
    lastFrame: () => stdout.frames.at(-1) ?? '',
    resize: (c, r) => {
      stdout.columns = c;
      stdout.rows = r;
      stdout.emit('resize');
    },
    unmount: () => inst.unmount(),
  };
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07/g;

/** Strips ANSI escape codes. */
export const stripAnsi = (s: string): string => s.replace(ANSI, '');

/** Strips ANSI codes and turns every digit into `#`. */
export const normalise = (s: string): string => stripAnsi(s).replace(/[0-9]/g, '#');

/** Resolves after pending React/Ink work (effects, state updates). */
export const settle = (ms = 30): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A terminal-like stdin for Ink: `press()` delivers keys as a user would type them. */
export class FakeStdin extends EventEmitter {
  readonly isTTY = true;
  #data: string | null = null;
  /** Sends raw input (`'q'`, `'\u001B[C'` for →, `'\r'` for Enter). */
  press(data: string): void {
    this.#data = data;
    this.emit('readable');
    this.emit('data', data);
  }
  read = (): string | null => {
    const d = this.#data;
    this.#data = null;
    return d;
  };
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

/** A terminal-like stdout of a given size that keeps every frame. */
export class FakeStdout extends SizedStdout {
  override readonly isTTY = true;
  /** The last write with visible text (Ink also writes bare escape codes: cursor, sync marks). */
  lastFrame(): string {
    for (let i = this.frames.length - 1; i >= 0; i--) if (stripAnsi(this.frames[i]).trim() !== '') return this.frames[i];
    return '';
  }
  /** Everything written so far, as one string. */
  all(): string {
    return this.frames.join('');
  }
}

/** Raw key sequences. */
export const KEYS = {
  right: '\u001B[C',
  left: '\u001B[D',
  up: '\u001B[A',
  down: '\u001B[B',
  pageUp: '\u001B[5~',
  pageDown: '\u001B[6~',
  home: '\u001B[H',
  end: '\u001B[F',
  enter: '\r',
  escape: '\u001B',
  tab: '\t',
  ctrlC: '\u0003',
} as const;

/**
 * Waits until `frame()` satisfies `check` (a regex to match, or a predicate), polling every
 * 10 ms; throws with the last frame after `timeoutMs`. Renders after a key or an event are
 * asynchronous (React schedules them), so tests wait for the outcome instead of sleeping.
 */
export async function waitForFrame(frame: () => string, check: RegExp | ((f: string) => boolean), timeoutMs = 3000): Promise<string> {
  const ok = typeof check === 'function' ? check : (f: string) => check.test(f);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const f = frame();
    if (ok(f)) return f;
    if (Date.now() > deadline) throw new Error(`frame never matched ${String(check)}; last frame:\n${f}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
