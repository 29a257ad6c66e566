/**
 * When `metabench compare` calls a change in one figure (throughput, p99) a regression or an
 * improvement. The runs' own spread is the noise: a change is called only when it is larger
 * than that spread and than the threshold; between runs without repeats the noise is unknown,
 * and no verdict is given.
 *
 * The rule, for a figure with median `a` in run A and `b` in run B (each the median over the
 * run's repeats, `metabench run --repeat N`):
 *
 *   noise  = (maxA − minA) / 2 + (maxB − minB) / 2     half of each run's min–max range, added
 *   called = |b − a| > noise  and  |b − a| / a > threshold
 *
 * Worked example, threshold 5%: A's ops/s over 3 repeats 3,900 / 4,000 / 4,100 (median 4,000,
 * half-range 100), B's 3,500 / 3,600 / 3,800 (median 3,600, half-range 150): noise 250 ops/s
 * (±6.3% of A), change −400 (−10%) → regression. Had B been 3,700 / 3,850 / 3,950, the change
 * −150 is inside the noise → within noise.
 *
 * One repeat has no range: when either run has a single repeat of the figure, its verdict is
 * `noise unknown` (the change is shown, not called). Use 3 or more repeats: with 2, a half-range
 * is one difference, a weak estimate of the spread.
 */
import type { RepeatSpread } from '../views/repeat-cell.ts';

/** How a figure moved: beyond the noise for better or worse, within it, or noise not known. */
export type Verdict = 'regression' | 'improvement' | 'within noise' | 'noise unknown';

/** One figure in both runs. `change` is (b − a) / a. */
export interface MetricChange {
  a: number;
  b: number;
  change: number;
  verdict: Verdict;
  /**
   * The combined spread of the two runs (half of each one's min–max range, added) as a share of
   * `a`; absent when either run has a single repeat (then the verdict is `noise unknown`).
   */
  noise?: number;
}

/** The rule in one line, for `compare --help` and the report. */
export const NOISE_RULE =
  "a change is called only when it exceeds both the threshold and the runs' combined spread (half of each run's min–max range over its repeats, added); between runs without repeats the noise is unknown and no verdict is given";

/**
 * Judges one figure: `a`, `b` the medians, `spreadA`/`spreadB` their spreads over repeats
 * (undefined for a single repeat), `threshold` a fraction (0.05), `better` the good direction.
 */
export function judgeChange(
  a: number,
  b: number,
  spread: { a?: RepeatSpread; b?: RepeatSpread },
  threshold: number,
  better: 'higher' | 'lower',
): MetricChange {
  const rel = a === 0 ? (b === 0 ? 0 : Number.POSITIVE_INFINITY) : (b - a) / a;
  if (spread.a === undefined || spread.b === undefined) return { a, b, change: rel, verdict: 'noise unknown' };
  const noiseAbs = (spread.a.max - spread.a.min) / 2 + (spread.b.max - spread.b.min) / 2;
  const noise = a === 0 ? (noiseAbs === 0 ? 0 : Number.POSITIVE_INFINITY) : noiseAbs / Math.abs(a);
  const good = better === 'higher' ? rel : -rel;
  // Strictly beyond both: a change exactly at the threshold or the noise is still noise.
  const beyond = Math.abs(b - a) > noiseAbs && Math.abs(rel) > threshold;
  const verdict: Verdict = !beyond ? 'within noise' : good > 0 ? 'improvement' : 'regression';
  return { a, b, change: rel, verdict, noise };
}
