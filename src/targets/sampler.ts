/**
 * Samples a server process's CPU% and RSS once a second with pidusage, keeping the newest sample
 * for progress events (`ScenarioContext.serverSample()`), and tells the CPU time it has used so
 * far (`ScenarioContext.serverCpuUs()`, for CPU per operation over a measured phase).
 */
import pidusage from 'pidusage';
import { processCpuUs } from './proc-cpu.ts';
import type { ServerSample } from '../events/schema.ts';

/** Default sampling interval in milliseconds. */
export const SAMPLE_INTERVAL_MS = 1000;

/** A running sampler. */
export interface ProcessSampler {
  /** The newest sample, or undefined before the first one (or after the process is gone). */
  latest(): ServerSample | undefined;
  /**
   * CPU time (user + system) the process has used so far, in µs: read from /proc at the call
   * (exact to 10 ms) where there is one, else the newest pidusage sample's (up to a second old);
   * undefined before the first sample without /proc, or once the process is gone.
   */
  cpuTimeUs(): number | undefined;
  /** Stops sampling and drops pidusage's history for the pid. */
  stop(): void;
}

/** Starts sampling `pid` every `intervalMs` (default 1000). */
export function sampleProcess(pid: number, intervalMs = SAMPLE_INTERVAL_MS): ProcessSampler {
  let latest: ServerSample | undefined;
  let latestCpuMs: number | undefined;
  let stopped = false;
  let inFlight = false;
  const take = () => {
    if (inFlight || stopped) return;
    inFlight = true;
    pidusage(pid)
      .then((s) => {
        if (stopped) return;
        latest = { pid, cpuPercent: Math.round(s.cpu * 10) / 10, rssBytes: s.memory };
        latestCpuMs = s.ctime;
      })
      .catch((err: unknown) => {
        // The process is gone (or /proc unreadable): no sample rather than a stale one.
        void err;
        latest = undefined;
        latestCpuMs = undefined;
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
    cpuTimeUs: () => processCpuUs(pid) ?? (latestCpuMs === undefined ? undefined : latestCpuMs * 1000),
    stop: () => {
      stopped = true;
      clearInterval(timer);
      pidusage.clear();
    },
  };
}
