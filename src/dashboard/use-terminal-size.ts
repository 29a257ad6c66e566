/**
 * The terminal's size, updated on resize. Falls back to 80×24 when the stream has no size
 * (pipes, the test renderer).
 *
 * A change of width also clears the screen: the terminal re-wraps what is drawn (a narrower one
 * splits each line over more rows, a wider one joins them back), while Ink erases its last frame
 * by the rows it wrote, so the top lines of that frame stayed on screen (seen in tmux: the
 * too-narrow message at 60 columns, narrowed to 40 and widened to 160, left two of its lines
 * above the dashboard). `clears` counts those clears; the feed of finished scenarios, which Ink
 * prints once, is printed again after each (see `Dashboard`).
 */
import { useStdout } from 'ink';
import { useEffect, useState } from 'react';

/** Terminal size in columns and rows. */
export interface TerminalSize {
  readonly columns: number;
  readonly rows: number;
}

/** Erase the screen and put the cursor at its top left (the scrollback is left alone). */
export const CLEAR_SCREEN = '\u001B[2J\u001B[H';

/** Current size of Ink's stdout, and how many times a width change cleared the screen; re-renders the caller on resize. */
export function useTerminalSize(): { readonly size: TerminalSize; readonly clears: number } {
  const { stdout } = useStdout();
  const [state, setState] = useState(() => ({ size: sizeOf(stdout), clears: 0 }));
  useEffect(() => {
    let columns = sizeOf(stdout).columns;
    const onResize = (): void => {
      const size = sizeOf(stdout);
      const rewrapped = size.columns !== columns && stdout.isTTY === true;
      columns = size.columns;
      // Before the frame at the new size is drawn, which the state change below schedules.
      if (rewrapped) stdout.write(CLEAR_SCREEN);
      setState((prev) => ({ size, clears: prev.clears + (rewrapped ? 1 : 0) }));
    };
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return state;
}

function sizeOf(stdout: NodeJS.WriteStream): TerminalSize {
  return { columns: stdout.columns || 80, rows: stdout.rows || 24 };
}
