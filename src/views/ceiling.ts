/**
 * The load generator's ceiling and the client-bound mark (issue 12), one rule for every view. A
 * `noop` target is a near no-op etcd v3 server: what the runner reaches against it on a scenario
 * is about the most the client side can drive on that scenario, whatever the server. A cell is
 * marked client-bound when either holds:
 *
 * - the runner's own CPU was ≥ `RUNNER_BOUND_CPU_PERCENT` (90%) of a core during the scenario:
 *   the load generator had no time left to drive the server harder;
 * - the target reached the ceiling: the noop figure is less than `REACHED_CEILING_MARGIN` (1.25×)
 *   this target's throughput, so the target went about as fast as the client can go at all.
 *
 * The margin is 1.25 because of how noisy the figures are on this 2-core shared machine: two
 * back-to-back bench:serve runs (README, Status) moved the noop figure by 6–9% and the targets'
 * by 13–48%. A margin near the noop figure's own noise (≤ 10%) would flip with it from run to
 * run; 25% marks a target only when it is plainly close to the client's limit (run 1's memory
 * Put, 16,941/s against noop's 16,844, is caught; a
 * target at half the noop figure is not). A fixed ratio to the
 * fastest target (issue 8's "noop ≥ 3× the fastest") no longer works: once serve costs about
 * what the client does, two shared cores cannot keep any ceiling 3× above it, and every
 * scenario was marked even where the runner had headroom. The ratio noop ÷ fastest stays as
 * information (`ratio`), not as the rule.
 *
 * Worked example: noop 10,000 ops/s, memory 8,500, etcd 4,000, runner CPU 60% on each →
 * noop ÷ memory = 1.176 < 1.25 → memory is client-bound, printed `client-bound (at ceiling
 * 1.17×)`; noop ÷ etcd = 2.5 → etcd is not. With memory at 8,000 instead, noop ÷ memory is
 * exactly 1.25 → not client-bound (the rule is "under 1.25×"). Had etcd's runner used 93% of a
 * core, etcd would be `client-bound (runner CPU 93%)` whatever the noop figure. The ceiling
 * ratio noop ÷ fastest (1.17× or 1.25× here) is shown either way.
 *
 * The verdict is always recomputed from the figures (`clientBoundReasons`), never read from a
 * stored boolean, so a summary.json written under the older rule reads under this one.
 */
import { fmtCeilingRatio } from '../format/figures.ts';

export { fmtCeilingRatio } from '../format/figures.ts';

/** Target kind (and default name) of the no-op ceiling server. */
export const NOOP_KIND = 'noop';

/** A target has reached the ceiling when the noop figure is under this many times its own throughput. */
export const REACHED_CEILING_MARGIN = 1.25;

/**
 * The runner's own CPU (`extra.runnerCpuPercent`, % of one core) at or above which a cell is
 * client-bound: the load generator, single-threaded by default, had no time left to drive the
 * server harder.
 */
export const RUNNER_BOUND_CPU_PERCENT = 90;

/** The ceiling mark of one cell, carried by every non-noop cell with figures on a scenario the noop target finished. */
export interface CeilingMark {
  /** The no-op server's throughput on this scenario, ops/s. */
  opsPerSec: number;
  /** `opsPerSec` ÷ the scenario's fastest non-noop throughput: information, not the rule. */
  ratio: number;
  /** This cell's target reached the ceiling (`reachedCeiling`): the ceiling half of the rule. */
  clientBound: boolean;
}

/** True for the kind of the no-op ceiling target. Takes any string: kinds read back from files are not trusted to be known. */
export function isNoopKind(kind: string | undefined): boolean {
  return kind === NOOP_KIND;
}

/** True when both are finite and positive: a ratio can be taken. */
const usable = (x: number | undefined): x is number => x !== undefined && Number.isFinite(x) && x > 0;

/** The target reached the ceiling: noop < `REACHED_CEILING_MARGIN` × the target's ops/s. False when either figure is unusable. */
export function reachedCeiling(noopOpsPerSec: number | undefined, targetOpsPerSec: number | undefined): boolean {
  return usable(noopOpsPerSec) && usable(targetOpsPerSec) && noopOpsPerSec < REACHED_CEILING_MARGIN * targetOpsPerSec;
}

/**
 * The ceiling mark of a cell from the no-op figure, the scenario's fastest non-noop figure and
 * this cell's own (ops/s; `target` defaults to the fastest, i.e. the scenario's verdict).
 * Undefined when the noop or fastest figure is missing, not finite or not positive.
 */
export function ceilingMark(noopOpsPerSec: number | undefined, fastestOpsPerSec: number | undefined, targetOpsPerSec = fastestOpsPerSec): CeilingMark | undefined {
  if (!usable(noopOpsPerSec) || !usable(fastestOpsPerSec)) return undefined;
  return { opsPerSec: noopOpsPerSec, ratio: noopOpsPerSec / fastestOpsPerSec, clientBound: reachedCeiling(noopOpsPerSec, targetOpsPerSec) };
}

/** A scenario's ceiling with the targets it was taken from; `clientBound`: the fastest target reached it. */
export interface ScenarioCeiling extends CeilingMark {
  /** The noop target. */
  target: string;
  /** The fastest non-noop target on this scenario and its throughput, ops/s. */
  fastest: string;
  fastestOpsPerSec: number;
}

/**
 * A scenario's ceiling: the noop target's throughput ÷ the fastest other target's, counting
 * only scenarios that passed or failed (an aborted one is partial). `figures` maps each target
 * to its status and throughput on the scenario. Undefined when no ratio can be taken.
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

/** The rule in one phrase, for the lines that state it (report.html, compare, findings, charts). */
export const CLIENT_BOUND_RULE = `within ${REACHED_CEILING_MARGIN}× of the no-op ceiling, or runner CPU ≥ ${RUNNER_BOUND_CPU_PERCENT}% of a core`;

/** `the native client`, or metabench's client when the run does not say which. */
const clientName = (client: string | undefined): string => (client !== undefined ? `the ${client} client` : "metabench's client");

/** The sentence explaining the reached-the-ceiling mark; `client`: the run's `--client`, when known. */
export function clientBoundExplanation(client?: string): string {
  return `client-bound (at ceiling N×): this target came within ${REACHED_CEILING_MARGIN}× of what the load generator (${clientName(client)}) reached against a no-op server on this scenario (N× = the no-op figure ÷ this target's), so the figure may measure the client more than the server.`;
}

/** The sentence explaining the runner-CPU mark; `client`: the run's `--client`, when known. */
export function runnerBoundExplanation(client?: string): string {
  return `client-bound (runner CPU N%): the load generator (${clientName(client)}) used ≥ ${RUNNER_BOUND_CPU_PERCENT}% of a core during the scenario, so the figure may measure the client more than the server.`;
}

/** What the client-bound rule reads from a cell: its throughput, the ceiling mark and the runner's CPU. */
export interface ClientBoundFacts {
  readonly opsPerSec?: number;
  readonly ceiling?: CeilingMark;
  /** The runner's CPU during the scenario, % of one core. */
  readonly runnerCpuPercent?: number;
}

/**
 * Why a cell is client-bound, both reasons when both hold; empty when it is not. The ceiling
 * reason is recomputed from the noop figure and the cell's own, not read from `ceiling.clientBound`.
 */
export function clientBoundReasons(cell: ClientBoundFacts | undefined): Array<'ceiling' | 'runner-cpu'> {
  const out: Array<'ceiling' | 'runner-cpu'> = [];
  if (reachedCeiling(cell?.ceiling?.opsPerSec, cell?.opsPerSec)) out.push('ceiling');
  if (cell?.runnerCpuPercent !== undefined && cell.runnerCpuPercent >= RUNNER_BOUND_CPU_PERCENT) out.push('runner-cpu');
  return out;
}

/** The one rule every view marks `cb` by: the target reached the ceiling, or the runner's CPU was ≥ 90% of a core. */
export function isClientBound(cell: ClientBoundFacts | undefined): boolean {
  return clientBoundReasons(cell).length > 0;
}

/**
 * Why, in short: `at ceiling 1.17×` (the noop figure ÷ this cell's, rounded down), `runner CPU
 * 96%`, or both joined by a comma; empty when the cell is not client-bound.
 */
export function clientBoundWhy(cell: ClientBoundFacts | undefined): string {
  return clientBoundReasons(cell)
    .map((r) => (r === 'ceiling' ? `at ceiling ${fmtCeilingRatio(cell!.ceiling!.opsPerSec / cell!.opsPerSec!)}` : `runner CPU ${Math.round(cell!.runnerCpuPercent!)}%`))
    .join(', ');
}

/** Short cell text: `client-bound (at ceiling 1.17×)`, `client-bound (runner CPU 96%)`, or both; empty when not client-bound. */
export function clientBoundText(cell: ClientBoundFacts | undefined): string {
  const why = clientBoundWhy(cell);
  return why ? `client-bound (${why})` : '';
}

/** The targets of a scenario row whose cells reached the ceiling (the noop cell never does), in the row's order. */
export function targetsAtCeiling(results: Readonly<Record<string, ClientBoundFacts | undefined>>): string[] {
  return Object.entries(results)
    .filter(([, c]) => clientBoundReasons(c).includes('ceiling'))
    .map(([t]) => t);
}

/** A ceiling table's verdict for a scenario: `client-bound: memory, etcd at the ceiling (< 1.25×)`, or not client-bound. */
export function ceilingVerdict(results: Readonly<Record<string, ClientBoundFacts | undefined>>): { atCeiling: string[]; text: string } {
  const at = targetsAtCeiling(results);
  return { atCeiling: at, text: at.length > 0 ? `${at.join(', ')} at the ceiling (< ${REACHED_CEILING_MARGIN}×)` : `below the ceiling (≥ ${REACHED_CEILING_MARGIN}× every target)` };
}

/** The explanations a set of cells needs under a table: one sentence per reason present; `client`: the run's `--client`. */
export function clientBoundNotes(cells: Iterable<ClientBoundFacts | undefined>, client?: string): string[] {
  const reasons = new Set<string>();
  for (const c of cells) for (const r of clientBoundReasons(c)) reasons.add(r);
  return [...(reasons.has('ceiling') ? [clientBoundExplanation(client)] : []), ...(reasons.has('runner-cpu') ? [runnerBoundExplanation(client)] : [])];
}
