/**
 * Weighted random choice of an operation type, one draw per operation (the seed split its
 * workers 40/40/10/10 instead, so the realised mix followed worker speed, not the weights).
 */
import type { Rng } from './prng.ts';

/** A precomputed chooser over named weights. */
export interface MixChooser<K extends string> {
  /** Draws one name; probability proportional to its weight. */
  choose(rng: Rng): K;
  /** Each name's share of the total weight, 0..1. */
  readonly shares: Readonly<Record<K, number>>;
}

/** Builds a chooser; weights must be finite, non-negative, and not all zero. */
export function createMix<K extends string>(weights: Readonly<Record<K, number>>): MixChooser<K> {
  const names = (Object.keys(weights) as K[]).filter((k) => weights[k] > 0);
  const total = names.reduce((sum, k) => sum + weights[k], 0);
  if (!(total > 0) || !Number.isFinite(total)) {
    throw new Error(`mix: weights ${JSON.stringify(weights)} must be non-negative with a positive sum`);
  }
  const cumulative: number[] = [];
  let acc = 0;
  for (const k of names) {
    acc += weights[k] / total;
    cumulative.push(acc);
  }
  const shares = Object.fromEntries((Object.keys(weights) as K[]).map((k) => [k, weights[k] / total])) as Record<K, number>;
  const last = names[names.length - 1] as K;
  return {
    shares,
    choose(rng) {
      const r = rng.next();
      for (let i = 0; i < cumulative.length; i++) if (r < (cumulative[i] as number)) return names[i] as K;
      return last; // r rounded up to exactly the last cumulative bound
    },
  };
}

/**
 * Largest distance, in percentage points, between realised counts and the configured weights.
 * Returns 0 when nothing was counted.
 */
export function mixDeviationPoints<K extends string>(counts: Readonly<Record<K, number>>, shares: Readonly<Record<K, number>>): number {
  const total = (Object.keys(shares) as K[]).reduce((s, k) => s + (counts[k] ?? 0), 0);
  if (total === 0) return 0;
  let worst = 0;
  for (const k of Object.keys(shares) as K[]) {
    worst = Math.max(worst, Math.abs(((counts[k] ?? 0) / total - shares[k]) * 100));
  }
  return worst;
}
