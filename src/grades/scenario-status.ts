/**
 * Whether a scenario that ran to its end passed. A workload says `passed` when it finished and
 * its correctness checks held; that is not enough to pass. A scenario also fails when:
 *
 *   - no operation succeeded (every attempt failed, or none was attempted): nothing was measured,
 *     so its p99 of 0 ms and its throughput of 0 would otherwise read as figures;
 *   - its error rate (failed ÷ attempted) is over the SLO's `maxErrorRate`.
 *
 * Worked example: an endpoint killed mid-scenario, 57,845 of 61,871 operations failed, SLO
 * `maxErrorRate` 0.01 → `failed`, error `error rate 93.49% (57,845 of 61,871 operations failed:
 * 57,845 BrokenCircuitError) is over the SLO's maxErrorRate 1%`.
 *
 * A `failed` or `aborted` status stays as it is (its error already says why).
 */
import { fmtCount, fmtPercent } from '../format/figures.ts';

/** The figures the rule reads (a scenario outcome's). */
export interface StatusInput {
  readonly status: 'passed' | 'failed' | 'aborted';
  /** Attempted operations (the denominator of the error rate). */
  readonly ops: number;
  readonly errors: { readonly total: number; readonly byKind: Readonly<Record<string, number>> };
  readonly error?: string;
}

/** The status a scenario ends with, and why when it failed. */
export interface StatusVerdict {
  readonly status: 'passed' | 'failed' | 'aborted';
  readonly error?: string;
}

/** Kinds named in the reason, most frequent first. */
const KINDS_SHOWN = 3;

/** Decides a scenario's final status from its figures and its SLO (see the module comment). */
export function scenarioStatus(s: StatusInput, slo: Readonly<Record<string, number>>): StatusVerdict {
  const kept: StatusVerdict = { status: s.status, ...(s.error !== undefined ? { error: s.error } : {}) };
  if (s.status !== 'passed') return kept;
  const failedOps = s.errors.total;
  const attempted = s.ops;
  if (!(attempted > 0)) return { status: 'failed', error: 'no operation was attempted' };
  const kinds = kindsText(s.errors.byKind);
  if (failedOps >= attempted) {
    return { status: 'failed', error: `no successful operation: ${fmtCount(failedOps)} of ${fmtCount(attempted)} failed${kinds}` };
  }
  const maxErrorRate = slo.maxErrorRate;
  const rate = failedOps / attempted;
  if (typeof maxErrorRate === 'number' && Number.isFinite(maxErrorRate) && rate > maxErrorRate) {
    return {
      status: 'failed',
      error: `error rate ${fmtPercent(rate)} (${fmtCount(failedOps)} of ${fmtCount(attempted)} operations failed${kinds}) is over the SLO's maxErrorRate ${fmtPercent(maxErrorRate)}`,
    };
  }
  return kept;
}

function kindsText(byKind: Readonly<Record<string, number>>): string {
  const sorted = Object.entries(byKind)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (sorted.length === 0) return '';
  const shown = sorted.slice(0, KINDS_SHOWN).map(([k, n]) => `${fmtCount(n)} ${k}`);
  const more = sorted.length > KINDS_SHOWN ? `, ${sorted.length - KINDS_SHOWN} more kinds` : '';
  return `: ${shown.join(', ')}${more}`;
}
