/**
 * The Ink dashboard: `metabench` / `metabench run` in a terminal (with a run handle, whose one
 * store it renders) and `metabench monitor [RUN]` (without one: it follows the run's files into
 * a store of its own, the same way). It renders only from a store folded from the run's files.
 *
 * Exit codes: with a handle, the run's own (`RunResult.exitCode`: 0 completed, 1 failures,
 * 130 interrupted). Without one (monitor): leaving a run that is still going is 130; on a
 * finished run, the code that run ended with (same rules as `metabench run`).
 */
// Must stay the first import: it prepares the environment React and Ink read when they load.
import { restoreCiEnv } from './ink-env.ts';
import { createElement } from 'react';
import { render } from 'ink';
import chalk from 'chalk';
import { streamColourLevel } from '../output/colour.ts';
import { exitCodeOf } from '../orchestrator/exit-code.ts';
import type { RunHandle } from '../orchestrator/types.ts';
import { openRunDir } from '../results/locate-run.ts';
import { followRun } from '../state/follow-run.ts';
import { App } from './App.tsx';

restoreCiEnv();

export { App } from './App.tsx';
export { Dashboard } from './Dashboard.tsx';
export { RunStore } from '../state/run-store.ts';

/** Frames per second at most: the figures change once a second, keys need a snappy echo. */
export const DASHBOARD_MAX_FPS = 8;

/** Options of `runDashboard`. */
export interface DashboardOptions {
  /** The run folder (`results/<run-id>`). */
  readonly runDir: string;
  /** The run this process started: its store is shown and quitting stops it. Absent for `monitor`. */
  readonly handle?: RunHandle;
  /** Keep following the files (default true); false draws the current state once and returns. */
  readonly follow?: boolean;
  /** Streams (default the process's); tests and the bench pass their own. */
  readonly stdout?: NodeJS.WriteStream;
  readonly stdin?: NodeJS.ReadStream;
  /** Without a handle: poll interval of the files, ms (default 1000: one frame a second). */
  readonly pollMs?: number;
}

/**
 * Shows the dashboard until the user quits (`q`, Ctrl-C) and returns the exit code. Throws
 * `UsageError` (one line, exit 2) when `runDir` is not a run folder.
 */
export async function runDashboard(opts: DashboardOptions): Promise<number> {
  const { handle } = opts;
  const follow = opts.follow ?? true;
  // Our own run: its one store, filled by the orchestrator. Another run: follow its files.
  const followed = handle ? { store: handle.store, poll: () => {}, close: () => {} } : followRun(openRunDir(opts.runDir), { follow, pollMs: opts.pollMs });
  const { store } = followed;
  const runDir = handle?.runDir ?? opts.runDir;
  const stdout = opts.stdout ?? process.stdout;
  const stdin = opts.stdin ?? process.stdin;
  const interactive = follow && stdin.isTTY === true;
  // Ink paints with the one chalk this package resolves; chalk alone ignores NO_COLOR, so the
  // screen follows the same rule as the text outputs (--color/--no-color, FORCE_COLOR, NO_COLOR).
  if (stdout === process.stdout) chalk.level = streamColourLevel(stdout);

  let quit!: (how: 'user' | 'signal') => void;
  const quitRequested = new Promise<'user' | 'signal'>((res) => (quit = res));
  const onSignal = (): void => quit('signal');
  // With a handle the orchestrator owns the signals (it stops the run); we only follow it out.
  if (!handle && follow) for (const s of SIGNALS) process.on(s, onSignal);

  const ink = render(createElement(App, { store, runDir, onQuit: () => quit('user'), interactive, ownsRun: handle !== undefined }), {
    stdout,
    stdin,
    exitOnCtrlC: false,
    patchConsole: false,
    maxFps: DASHBOARD_MAX_FPS,
    incrementalRendering: false,
  });
  try {
    if (!follow) return snapshotExit(store.getSnapshot().run);
    if (!handle) {
      await quitRequested;
      followed.poll();
      const run = store.getSnapshot().run;
      return run.finished ? exitCodeOf(run, false) : 130;
    }
    // Our run: q stops it; a signal (handled by the orchestrator) ends it; a run that completes
    // on its own stays on screen until q.
    const done = handle.done.then((r) => ({ kind: 'done' as const, r }));
    const first = await Promise.race([quitRequested.then(() => ({ kind: 'quit' as const })), done]);
    if (first.kind === 'quit' || first.r.exitCode === 130) {
      if (first.kind === 'quit') {
        store.setNote('stopping the run: waiting for runners and servers to exit…');
        await handle.stop();
      }
      const { r } = await done;
      followed.poll();
      store.setNote(undefined);
      return r.exitCode;
    }
    followed.poll();
    store.setNote(undefined);
    await quitRequested;
    return first.r.exitCode;
  } finally {
    followed.close();
    if (!handle && follow) for (const s of SIGNALS) process.off(s, onSignal);
    // Let the last frame out before Ink restores the terminal.
    await new Promise((r) => setTimeout(r, 20));
    ink.unmount();
    await ink.waitUntilExit().catch((err: unknown) => {
      stdout.write(`metabench: dashboard: ${(err as Error).message}\n`);
    });
  }
}

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Exit code of a one-shot view: the run's, or 0 while it is still going. */
function snapshotExit(run: Parameters<typeof exitCodeOf>[0]): number {
  return run.finished ? exitCodeOf(run, false) : 0;
}
