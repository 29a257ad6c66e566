/**
 * The last lines of `<runDir>/<target>.stderr.log` for each crashed target, re-read every
 * `intervalMs` while any target is crashed (the runner's last words may still be flushing).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { useEffect, useState } from 'react';

/** Bytes read from the end of a stderr log. */
const TAIL_BYTES = 8 * 1024;

/** Last `maxLines` non-empty lines of a file; [] when it does not exist. */
export function tailLines(path: string, maxLines: number): string[] {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    return [`(cannot read ${path}: ${(err as Error).message})`];
  }
  try {
    const size = fstatSync(fd).size;
    const len = Math.min(size, TAIL_BYTES);
    const buf = Buffer.alloc(len);
    readSync(fd, buf, 0, len, size - len);
    // Strip colour codes and carriage returns: the panel draws its own colours.
    // eslint-disable-next-line no-control-regex
    const text = buf.toString('utf8').replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/\r/g, '');
    return text.split('\n').filter((l) => l.trim() !== '').slice(-maxLines);
  } finally {
    closeSync(fd);
  }
}

/** Stderr tails by target name for `crashed` targets. */
export function useStderrTails(runDir: string | undefined, crashed: readonly string[], maxLines = 8, intervalMs = 1000): Readonly<Record<string, readonly string[]>> {
  const [tails, setTails] = useState<Readonly<Record<string, readonly string[]>>>({});
  const key = crashed.join('\0');
  useEffect(() => {
    if (!runDir || key === '') return undefined;
    const names = key.split('\0');
    const read = (): void => {
      const next: Record<string, readonly string[]> = {};
      for (const t of names) next[t] = tailLines(join(runDir, `${t}.stderr.log`), maxLines);
      setTails((prev) => (JSON.stringify(prev) === JSON.stringify(next) ? prev : next));
    };
    read();
    const timer = setInterval(read, intervalMs);
    return () => clearInterval(timer);
  }, [runDir, key, maxLines, intervalMs]);
  return tails;
}
