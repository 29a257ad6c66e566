/**
 * The terminal's size, updated on resize. Falls back to 80×24 when the stream has no size
 * (pipes, the test renderer).
 */
import { useStdout } from 'ink';
import { useEffect, useState } from 'react';

/** Terminal size in columns and rows. */
export interface TerminalSize {
  readonly columns: number;
  readonly rows: number;
}

/** Current size of Ink's stdout; re-renders the caller when the terminal is resized. */
export function useTerminalSize(): TerminalSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => sizeOf(stdout));
  useEffect(() => {
    const onResize = (): void => setSize(sizeOf(stdout));
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}

function sizeOf(stdout: NodeJS.WriteStream): TerminalSize {
  return { columns: stdout.columns || 80, rows: stdout.rows || 24 };
}
