/**
 * A process's CPU time so far (user + system) from `/proc/<pid>/stat`: exact to the clock tick
 * (10 ms) and read at the instant asked, unlike pidusage's once-a-second percentages, so the
 * difference over a measured phase divided by its operations gives CPU µs per operation.
 */
import { readFileSync } from 'node:fs';

/** Microseconds per clock tick: Linux reports utime and stime in USER_HZ = 100 per second. */
const US_PER_TICK = 10_000;

/** CPU time (user + system) `pid` has used so far, in µs; undefined where /proc cannot say (not Linux, process gone). */
export function processCpuUs(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (err) {
    void err; // No /proc (macOS) or the process has exited: the caller reports no figure.
    return undefined;
  }
  // The command name may hold spaces and parentheses: the fields after its last ')' start at
  // `state` (field 3), so utime and stime (fields 14 and 15) are the 12th and 13th after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? ticks * US_PER_TICK : undefined;
}
