/**
 * Every figure metabench prints, formatted in one place, so a number reads the same in
 * `report.md`, in a grade's reason, in `tail`, the plain table and on the dashboard. One
 * definition per kind of figure; fixed `en-US` grouping keeps output identical on every machine
 * (reports are diffed and tests compare strings). Unknown or non-finite input never throws.
 */

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Operations per second as a whole number with thousands separators: `9,800`. */
export function fmtOps(opsPerSec: number): string {
  if (!Number.isFinite(opsPerSec)) return String(opsPerSec);
  return grouped.format(Math.round(opsPerSec));
}

/** A count with thousands separators: `12,345`. */
export function fmtCount(n: number): string {
  return fmtOps(n);
}

/**
 * A latency in milliseconds, precise where it matters: `0.42 ms`, `3.1 ms`, `14 ms`, `1,250 ms`.
 * `unit` false drops the ` ms` suffix (table cells whose header names the unit).
 */
export function fmtMs(ms: number, unit = true): string {
  if (!Number.isFinite(ms)) return String(ms);
  const abs = Math.abs(ms);
  const s = abs < 0.995 ? ms.toFixed(2) : abs < 9.95 ? ms.toFixed(1) : grouped.format(Math.round(ms));
  return unit ? `${s} ms` : s;
}

/** A fraction as a percentage with at most two decimals, trailing zeros dropped: 0.0125 → `1.25%`. */
export function fmtPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return String(fraction);
  const pct = fraction * 100;
  // Tiny rates (1 error in 100,000 ops) would round to 0%, which reads as "no errors".
  const s = pct !== 0 && Math.abs(pct) < 0.01 ? pct.toPrecision(2) : pct.toFixed(2);
  return `${trimZeros(s)}%`;
}

/** A ratio or headroom factor: `0.49×`, `2.9×`, `19.6×`, `120×`, `∞×`. */
export function fmtFactor(x: number): string {
  if (x === Number.POSITIVE_INFINITY) return '∞×';
  if (!Number.isFinite(x)) return `${x}×`;
  if (x >= 100) return `${grouped.format(Math.round(x))}×`;
  return `${x < 1 ? x.toFixed(2) : x.toFixed(1)}×`;
}

/** A signed relative change: 0.123 → `+12.3%`, -0.05 → `-5.0%`. */
export function fmtChange(fraction: number): string {
  if (!Number.isFinite(fraction)) return fraction > 0 ? '+∞%' : String(fraction);
  const pct = (fraction * 100).toFixed(1);
  return fraction >= 0 ? `+${pct}%` : `${pct}%`;
}

/** A duration in nanoseconds, in the unit that reads best: `850 ns`, `1.23 µs`, `12.3 µs`, `1.3 ms`. */
export function fmtNs(ns: number): string {
  if (!Number.isFinite(ns)) return String(ns);
  if (ns < 999.5) return `${Math.round(ns)} ns`;
  if (ns < 9_995) return `${(ns / 1000).toFixed(2)} µs`;
  if (ns < 999_950) return `${(ns / 1000).toFixed(1)} µs`;
  return fmtMs(ns / 1e6);
}

/** A measured duration in ms, as precise as it is short: `850 ms`, `12.3 s`, `4m 05s`, `1h 02m`. */
export function fmtDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 999.5) return `${Math.round(ms)} ms`;
  if (ms < 59_950) return `${(ms / 1000).toFixed(1)} s`;
  return fmtClock(ms);
}

/**
 * An elapsed time or an ETA in ms, to the second, for clocks that tick: `45s`, `3m 05s`,
 * `1h 02m`; negative, unknown or non-finite as `—`.
 */
export function fmtClock(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  const totalSec = Math.round(ms / 1000);
  if (totalSec < 60) return `${totalSec}s`;
  const min = Math.floor(totalSec / 60);
  const sec = totalSec % 60;
  if (min < 60) return `${min}m ${String(sec).padStart(2, '0')}s`;
  return `${Math.floor(min / 60)}h ${String(min % 60).padStart(2, '0')}m`;
}

/** Bytes in binary units: `512 B`, `1.5 KiB`, `120 MiB`, `1.4 GiB`; unknown as `—`. */
export function fmtBytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  // 1023.96 KiB would print as `1024 KiB`: carry into the next unit instead.
  if (Math.round(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Math.abs(v) >= 10 || i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

/** A fraction 0..1 of work done as a whole percentage, rounded down and clamped: `60%`. */
export function fmtPct(fraction: number): string {
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  return `${Math.floor(f * 100)}%`;
}

/** CPU use in percent of one core, whole: `56%`; over 100% when it used several cores; unknown as `—`. */
export function fmtCpuPercent(percentOfCore: number | undefined): string {
  if (percentOfCore === undefined || !Number.isFinite(percentOfCore)) return '—';
  return `${grouped.format(Math.round(percentOfCore))}%`;
}

/** A count compactly for narrow cells and axis labels: `950`, `12.3k`, `1.2M`. */
export function fmtCompact(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  if (abs < 999.5) return String(Math.round(n));
  if (abs < 999_500) return `${trimZeros((n / 1e3).toFixed(abs < 9_950 ? 1 : 0))}k`;
  return `${trimZeros((n / 1e6).toFixed(abs < 9_950_000 ? 1 : 0))}M`;
}

/** A server CPU cost per operation, in µs: `38 µs/op`, `4.5 µs/op`. */
export function fmtCpuPerOp(usPerOp: number): string {
  if (!Number.isFinite(usPerOp)) return `${usPerOp} µs/op`;
  return `${usPerOp < 9.95 ? usPerOp.toFixed(1) : grouped.format(Math.round(usPerOp))} µs/op`;
}

/**
 * A ratio that a threshold is judged on (the load generator's ceiling), with two decimals, rounded down so it never reads as the other side of the
 * threshold (2.996 is `2.99×`, not `3.00×`); from 100× as `fmtFactor` writes it.
 */
export function fmtCeilingRatio(ratio: number): string {
  if (!Number.isFinite(ratio) || ratio >= 100) return fmtFactor(ratio);
  // The epsilon keeps binary noise (0.29 × 100 = 28.999…) from dropping a hundredth.
  return `${(Math.floor(ratio * 100 + 1e-9) / 100).toFixed(2)}×`;
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}
