/**
 * The load generator's ceiling and the client-bound mark (issue 8), one rule for every view. A `noop` target is a near
 * no-op etcd v3 server: what the runner reaches against it on a scenario is the most the client
 * side can drive on that scenario, whatever the server. When that ceiling is less than
 * `CLIENT_BOUND_RATIO` times the scenario's fastest real target, the real targets' figures on
 * that scenario may measure the client more than the server: they are marked client-bound.
 *
 * Worked example: noop 3,000 ops/s, memory 1,000, etcd 900 → ratio 3,000 ÷ 1,000 = 3.0× → not
 * client-bound (the rule is "ceiling ≥ 3× the fastest"). With noop 2,900 → 2.9× → client-bound,
 * and both memory's and etcd's cells carry the mark.
 */
import { fmtCeilingRatio } from '../format/figures.ts';

export { fmtCeilingRatio } from '../format/figures.ts';

/** Target kind (and default name) of the no-op ceiling server. */
export const NOOP_KIND = 'noop';

/** The ceiling must be at least this many times the fastest target, or the scenario is client-bound. */
export const CLIENT_BOUND_RATIO = 3;

/** One sentence saying what the mark means, shared by report.md, the plain table and compare. */
export const CLIENT_BOUND_EXPLANATION = `client-bound: against a no-op server the load generator reached less than ${CLIENT_BOUND_RATIO}× this scenario's fastest target, so the figure may measure the client (the etcd3 client process) more than the server; the ceiling ratio is the no-op figure ÷ the fastest target's.`;

/** The ceiling mark of one scenario, carried by every non-noop cell of that scenario. */
export interface CeilingMark {
  /** The no-op server's throughput on this scenario, ops/s. */
  opsPerSec: number;
  /** `opsPerSec` ÷ the scenario's fastest non-noop throughput. */
  ratio: number;
  /** `ratio < CLIENT_BOUND_RATIO`. */
  clientBound: boolean;
}

/** True for the kind of the no-op ceiling target. Takes any string: kinds read back from files are not trusted to be known. */
export function isNoopKind(kind: string | undefined): boolean {
  return kind === NOOP_KIND;
}

/**
 * The ceiling mark from the no-op figure and the scenario's fastest non-noop figure (ops/s).
 * Undefined when either is missing, not finite or not positive: no ratio can be taken.
 */
export function ceilingMark(noopOpsPerSec: number | undefined, fastestOpsPerSec: number | undefined): CeilingMark | undefined {
  if (noopOpsPerSec === undefined || fastestOpsPerSec === undefined) return undefined;
  if (!(Number.isFinite(noopOpsPerSec) && noopOpsPerSec > 0 && Number.isFinite(fastestOpsPerSec) && fastestOpsPerSec > 0)) return undefined;
  const ratio = noopOpsPerSec / fastestOpsPerSec;
  return { opsPerSec: noopOpsPerSec, ratio, clientBound: ratio < CLIENT_BOUND_RATIO };
}

/** A scenario's ceiling with the targets it was taken from. */
export interface ScenarioCeiling extends CeilingMark {
  /** The noop target. */
  target: string;
  /** The fastest non-noop target on this scenario and its throughput, ops/s. */
  fastest: string;
  fastestOpsPerSec: number;
}

/**
 * The rule, once for every view: the noop target's throughput on a scenario ÷ the fastest other
 * target's, counting only scenarios that passed or failed (an aborted one is partial). `figures`
 * maps each target to its status and throughput on the scenario. Undefined when no ratio can
 * be taken.
 */
export function scenarioCeiling(
  figures: Readonly<Record<string, { readonly status: string; readonly opsPerSec?: number } | undefined>>,
  noopTarget: string | undefined,
  others: readonly string[],
): ScenarioCeiling | undefined {
  if (noopTarget === undefined) return undefined;
  const finished = (t: string): number | undefined => {
    const c = figures[t];
    return c !== undefined && (c.status === 'passed' || c.status === 'failed') ? c.opsPerSec : undefined;
  };
  let fastest: { target: string; opsPerSec: number } | undefined;
  for (const t of others) {
    const ops = finished(t);
    if (ops !== undefined && (fastest === undefined || ops > fastest.opsPerSec)) fastest = { target: t, opsPerSec: ops };
  }
  const mark = ceilingMark(finished(noopTarget), fastest?.opsPerSec);
  if (mark === undefined || fastest === undefined) return undefined;
  return { ...mark, target: noopTarget, fastest: fastest.target, fastestOpsPerSec: fastest.opsPerSec };
}

/**
 * The runner's own CPU (`extra.runnerCpuPercent`, % of one core) at or above which a scenario's
 * cell is marked client-bound without any noop target: the load generator, single-threaded by
 * default, had no time left to drive the server harder.
 */
export const RUNNER_BOUND_CPU_PERCENT = 90;

/** The sentence explaining the runner-CPU mark (report.md, plain table, dashboard title row). */
export const RUNNER_BOUND_EXPLANATION = `client-bound: the runner (the load generator) used ≥ ${RUNNER_BOUND_CPU_PERCENT}% of a core during the scenario, so the figure may measure the client more than the server.`;

/** What the client-bound rule reads from a cell: the ceiling mark and the runner's CPU. */
export interface ClientBoundFacts {
  readonly ceiling?: CeilingMark;
  /** The runner's CPU during the scenario, % of one core. */
  readonly runnerCpuPercent?: number;
}

/** Why a cell is client-bound, both reasons when both hold; empty when it is not. */
export function clientBoundReasons(cell: ClientBoundFacts | undefined): Array<'ceiling' | 'runner-cpu'> {
  const out: Array<'ceiling' | 'runner-cpu'> = [];
  if (cell?.ceiling?.clientBound) out.push('ceiling');
  if (cell?.runnerCpuPercent !== undefined && cell.runnerCpuPercent >= RUNNER_BOUND_CPU_PERCENT) out.push('runner-cpu');
  return out;
}

/** The one rule every view marks `cb` by: the ceiling says so, or the runner's CPU was ≥ 90% of a core. */
export function isClientBound(cell: ClientBoundFacts | undefined): boolean {
  return clientBoundReasons(cell).length > 0;
}

/**
 * Short cell text: `client-bound (ceiling 1.20×)`, `client-bound (runner CPU 96%)`, or both
 * reasons; empty when the cell is not client-bound.
 */
export function clientBoundText(cell: ClientBoundFacts | undefined): string {
  const why = clientBoundReasons(cell).map((r) => (r === 'ceiling' ? `ceiling ${fmtCeilingRatio(cell!.ceiling!.ratio)}` : `runner CPU ${Math.round(cell!.runnerCpuPercent!)}%`));
  return why.length > 0 ? `client-bound (${why.join(', ')})` : '';
}

/** The explanations a set of cells needs under a table: one sentence per reason present. */
export function clientBoundNotes(cells: Iterable<ClientBoundFacts | undefined>): string[] {
  const reasons = new Set<string>();
  for (const c of cells) for (const r of clientBoundReasons(c)) reasons.add(r);
  return [...(reasons.has('ceiling') ? [CLIENT_BOUND_EXPLANATION] : []), ...(reasons.has('runner-cpu') ? [RUNNER_BOUND_EXPLANATION] : [])];
}
