/**
 * `put` (sustained-load): a steady stream of Puts over each client's bounded key space. Reports
 * the per-second series' spread (coefficient of variation) and checks it against the SLO's
 * `maxThroughputCv`; the first and last windows are left out (ramp-up and partial window), and a
 * run with fewer than {@link MIN_WINDOWS} full windows is too short to judge (one GC pause or
 * fsync stall would decide it).
 */
import { check, loopOptions, makeValue, type PhaseDef, type Workload } from '../kit.ts';
import { round } from '../recorder.ts';

/** Fewest full one-second windows the stability check judges. */
export const MIN_WINDOWS = 5;

/** The Put phase (nothing to tally: its check reads the recorder's series). */
export const putPhase: PhaseDef<undefined, Record<string, never>> = {
  name: 'put',
  tally: () => ({}),
  op: ({ params: p }) => async (w, seq, warmup) => {
    const key = `${p.keyPrefix}${warmup ? '-warmup' : ''}/client-${w.index}/key-${seq % p.keySpace}`;
    await w.client.put(key, makeValue(`${w.index}:${seq}:`, p.valueSize));
    return 'put';
  },
};

/** Runs the put workload. */
export const put: Workload = async (run) => {
  const { params: p, ctx, rec, slo } = run;
  await run.phase(putPhase, undefined, loopOptions(p, ctx.seed));
  rec.stop();
  const { cv, mean, min, max, windows } = spread(rec.series());
  const maxCv = slo.maxThroughputCv;
  const extra = { throughputCv: round(cv, 4), windowMeanOpsPerSec: round(mean, 1), windowMinOpsPerSec: min, windowMaxOpsPerSec: max, stableWindows: windows };
  const checks =
    maxCv === undefined
      ? []
      : [
          windows < MIN_WINDOWS
            ? check('throughput stable', true, `CV ${cv.toFixed(3)} over only ${windows} full one-second windows (< ${MIN_WINDOWS}): too short to judge the spread`)
            : check('throughput stable', cv <= maxCv, `per-second throughput CV ${cv.toFixed(3)} (limit ${maxCv}) over ${windows} windows, min ${min} / mean ${Math.round(mean)} / max ${max} ops/s`),
        ];
  return { checks, extra };
};

/** Spread of a per-second series without its first and last window. */
export function spread(series: readonly number[]): { cv: number; mean: number; min: number; max: number; windows: number } {
  const inner = series.length > 2 ? series.slice(1, -1) : [];
  if (inner.length === 0) return { cv: 0, mean: 0, min: 0, max: 0, windows: 0 };
  const mean = inner.reduce((a, b) => a + b, 0) / inner.length;
  const variance = inner.reduce((a, b) => a + (b - mean) ** 2, 0) / inner.length;
  return { cv: mean > 0 ? Math.sqrt(variance) / mean : 0, mean, min: Math.min(...inner), max: Math.max(...inner), windows: inner.length };
}
