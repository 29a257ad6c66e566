/**
 * Run ids: sortable by start time and unique enough for one machine, e.g.
 * `20261125-192725-3f9a` (UTC date, UTC time, 4 random hex digits).
 */
import { randomBytes } from 'node:crypto';

/** Makes a run id for a run started at `now` (default: the current time). */
export function makeRunId(now: Date = new Date()): string {
  const iso = now.toISOString(); // 2026-11-25T19:27:25.123Z
  const date = iso.slice(0, 10).replaceAll('-', '');
  const time = iso.slice(11, 19).replaceAll(':', '');
  return `${date}-${time}-${randomBytes(2).toString('hex')}`;
}

/** True when `s` looks like a run id made by `makeRunId`. */
export function isRunId(s: string): boolean {
  return /^\d{8}-\d{6}-[0-9a-f]{4}$/.test(s);
}
