/**
 * Ratios to etcd: when etcd ran in the same run, every scenario of the other targets shows its
 * throughput and p99 relative to etcd's on the same scenario (same machine, same client path).
 * The baseline is found by kind, once, for every view (dashboard, plain table, report.md).
 */
import type { RunState } from '../state/types.ts';

/** Kind of the target ratios are taken against. */
export const BASELINE_KIND = 'etcd';

/** The baseline target: the first target of kind etcd that passed a scenario; undefined when none did. */
export function baselineTarget(state: RunState): string | undefined {
  return state.targetOrder.find((n) => state.targets[n].targetKind === BASELINE_KIND && state.targets[n].scenarios.some((s) => s.state === 'passed'));
}


/** A scenario's headline figures on one target (what a ratio is taken from). */
export interface RatioInput {
  /** Operations per second. */
  opsPerSec?: number;
  /** Headline p99 latency, ms. */
  p99Ms?: number;
}

/**
 * A target's figures relative to etcd's. `opsPerSec` > 1: more throughput than etcd;
 * `p99` < 1: lower (better) tail latency than etcd. Each is absent when either side lacks it or
 * etcd's figure is 0.
 */
export interface EtcdRatio {
  opsPerSec?: number;
  p99?: number;
}

/**
 * `target ÷ etcd` for throughput and p99. Undefined when no ratio can be taken (etcd did not
 * produce figures for the scenario). Pass etcd's figures only for a scenario etcd passed: a
 * failed or aborted baseline makes every ratio misleading.
 */
export function ratioToEtcd(target: RatioInput, etcd: RatioInput | undefined): EtcdRatio | undefined {
  if (etcd === undefined) return undefined;
  const out: EtcdRatio = {};
  if (target.opsPerSec !== undefined && etcd.opsPerSec !== undefined && etcd.opsPerSec > 0) out.opsPerSec = target.opsPerSec / etcd.opsPerSec;
  if (target.p99Ms !== undefined && etcd.p99Ms !== undefined && etcd.p99Ms > 0) out.p99 = target.p99Ms / etcd.p99Ms;
  return out.opsPerSec === undefined && out.p99 === undefined ? undefined : out;
}
