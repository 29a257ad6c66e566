/**
 * Issue 11's goals for the load generator, judged on what `bench:client` measured: each goal's
 * figure, its threshold and whether it was met (`undefined`: not measured in this run, e.g. no
 * etcd installed). Pure, so the table can be tested without running anything.
 */
import type { ClientKind } from '../client/types.ts';

/** One measured row of bench:client. */
export interface Measured {
  readonly target: string;
  /** Scenario file name: `put-50`, `put-20`, `txn-10`, `pairs-50`, `rss`. */
  readonly shape: string;
  readonly client: ClientKind;
  readonly threads: number;
  readonly opsPerSec: number;
  readonly p99Ms?: number;
  readonly runnerCpuUsPerOp?: number;
  readonly serverCpuUsPerOp?: number;
  /** `rss` only: the runner's heap after GC after 10×N operations ÷ after N. */
  readonly rssRatio?: number;
  readonly status: string;
}

/** One goal as printed. */
export interface GoalResult {
  readonly goal: string;
  readonly measured: string;
  readonly target: string;
  readonly met: boolean | undefined;
}

/** Today's figures the issue asks to beat (etcd3 client, standard profile, this machine). */
export const BASELINE = { sustainedOpsPerSec: 2278, largeScalePairsPerSec: 1250, txnPerSec: 1537 } as const;

/** Largest growth of the runner's retained heap from N to 10×N operations that still counts as flat. */
export const FLAT_RSS_RATIO = 1.2;

interface Goal {
  readonly goal: string;
  readonly pick: (m: Measured) => boolean;
  readonly value: (m: Measured) => number | undefined;
  /** `max`: the value must be at most `limit`; `min`: at least. */
  readonly kind: 'max' | 'min';
  readonly limit: number;
  readonly unit: string;
}

const etcdNative = (shape: string) => (m: Measured) => m.target === 'etcd' && m.shape === shape && m.client === 'native' && m.threads === 1;
const ops = (m: Measured): number => m.opsPerSec;

const GOALS: readonly Goal[] = [
  { goal: 'runner CPU per RPC, etcd, 50 clients Put, 1 connection', pick: etcdNative('put-50'), value: (m) => m.runnerCpuUsPerOp, kind: 'max', limit: 40, unit: 'µs' },
  { goal: 'etcd Puts, 20 clients (etcd tools/benchmark: 6,922/s)', pick: etcdNative('put-20'), value: ops, kind: 'min', limit: 6900, unit: '/s' },
  { goal: 'etcd Puts, 50 clients (etcd tools/benchmark: 8,412/s)', pick: etcdNative('put-50'), value: ops, kind: 'min', limit: 8400, unit: '/s' },
  { goal: 'etcd txn-put, 10 clients (etcd tools/benchmark: 3,147/s)', pick: etcdNative('txn-10'), value: ops, kind: 'min', limit: 3150, unit: '/s' },
  { goal: `sustained-load shape on etcd ≥ 2.5 × ${BASELINE.sustainedOpsPerSec.toLocaleString('en-US')}`, pick: etcdNative('put-20'), value: ops, kind: 'min', limit: 2.5 * BASELINE.sustainedOpsPerSec, unit: '/s' },
  { goal: `large-scale-load shape on etcd ≥ 2.5 × ${BASELINE.largeScalePairsPerSec.toLocaleString('en-US')} pairs`, pick: etcdNative('pairs-50'), value: ops, kind: 'min', limit: 2.5 * BASELINE.largeScalePairsPerSec, unit: '/s' },
  { goal: `txn-throughput shape on etcd ≥ 2 × ${BASELINE.txnPerSec.toLocaleString('en-US')}`, pick: etcdNative('txn-10'), value: ops, kind: 'min', limit: 2 * BASELINE.txnPerSec, unit: '/s' },
  { goal: 'runner memory (heap after GC) flat, N to 10×N operations', pick: (m) => m.shape === 'rss', value: (m) => m.rssRatio, kind: 'max', limit: FLAT_RSS_RATIO, unit: '×' },
];

const fmt = (x: number, unit: string): string => (unit === '×' ? `${x.toFixed(2)}×` : `${Math.round(x).toLocaleString('en-US')} ${unit}`);

/** Every goal against the rows measured (the first row each goal picks). */
export function evaluateGoals(rows: readonly Measured[]): GoalResult[] {
  return GOALS.map((g) => {
    const row = rows.find(g.pick);
    const v = row ? g.value(row) : undefined;
    const target = `${g.kind === 'max' ? '≤' : '≥'} ${fmt(g.limit, g.unit)}`;
    if (v === undefined || !Number.isFinite(v)) return { goal: g.goal, measured: '-', target, met: undefined };
    return { goal: g.goal, measured: fmt(v, g.unit), target, met: g.kind === 'max' ? v <= g.limit : v >= g.limit };
  });
}
