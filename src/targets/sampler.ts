/**
 * Samples a server process's CPU% and RSS once a second with pidusage, keeping the newest sample
 * for progress events (`ScenarioContext.serverSample()`).
 */
import pidusage from 'pidusage';
import type { ServerSample } from '../events/schema.ts';

/** Default sampling interval in milliseconds. */
export const SAMPLE_INTERVAL_MS = 1000;

/** A running sampler. */
export interface ProcessSampler {
  /** The newest sample, or undefined before the first one (or after the process is gone). */
  latest(): ServerSample | undefined;
  /** Stops sampling and drops pidusage's history for the pid. */
  stop(): void;
}

/** Starts sampling `pid` every `intervalMs` (default 1000). */
export function sampleProcess(pid: number, intervalMs = SAMPLE_INTERVAL_MS): ProcessSampler {
  let latest: ServerSample | undefined;
  let stopped = false;
  let inFlight = false;
  const take = () => {
    if (inFlight || stopped) return;
    inFlight = true;
    pidusage(pid)
      .then((s) => {
        if (!stopped) latest = { pid, cpuPercent: Math.round(s.cpu * 10) / 10, rssBytes: s.memory };
      })
      .catch((err: unknown) => {
        // The process is gone (or /proc unreadable): no sample rather than a stale one.
        void err;
        latest = undefined;
      })
      .finally(() => {
        inFlight = false;
      });
  };
  take();
  const timer = setInterval(take, intervalMs);
  timer.unref();
  return {
    latest: () => latest,
    stop: () => {
      stopped = true;
      clearInterval(timer);
      pidusage.clear();
    },
  };
}
