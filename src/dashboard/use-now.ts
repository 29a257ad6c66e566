/**
 * A clock for elapsed time and ETA countdowns: the current time, refreshed every `intervalMs`
 * while `active`. Inactive (a finished run) it stops ticking, so an idle dashboard costs nothing.
 */
import { useEffect, useState } from 'react';

/** Milliseconds since the epoch, refreshed every `intervalMs` (default 1000) while `active`. */
export function useNow(active: boolean, intervalMs = 1000, clock: () => number = Date.now): number {
  const [now, setNow] = useState(clock);
  useEffect(() => {
    if (!active) return undefined;
    setNow(clock());
    const timer = setInterval(() => setNow(clock()), intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs, clock]);
  return now;
}
