/**
 * Number formatting shared by grade reasons and reports, so a figure reads the same in
 * `report.md`, in a grade's reason and on the dashboard. Fixed `en-US` grouping keeps output
 * identical on every machine (reports are diffed and tests compare strings).
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
  const s = abs < 1 ? ms.toFixed(2) : abs < 10 ? ms.toFixed(1) : grouped.format(Math.round(ms));
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

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}
