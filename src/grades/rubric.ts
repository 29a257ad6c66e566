/**
 * Where a scenario's grade is decided. A pure, deterministic function of the scenario's totals,
 * its correctness checks and the SLOs declared in its scenario file (resolved per target).
 *
 * Headroom says how comfortably an SLO is met; 1× means exactly at the limit:
 *
 *   latency     maxP99Ms / p99Ms               (p99 14 ms against 200 ms → 14.3×)
 *   throughput  opsPerSec / minOpsPerSec       (9,800 ops/s against a 500 floor → 19.6×)
 *   errors      maxErrorRate / (errors / ops)  (0 errors → ∞; 0.5% against 1% → 2×)
 *
 * The grade is set by the smallest headroom among the SLOs the scenario declares, each band
 * doubling the one below (a value exactly on an edge gets the better band):
 *
 *   A+ ≥ 8×   A ≥ 4×   B ≥ 2×   C ≥ 1× (every SLO met)   D ≥ 0.5× (missed by at most 2×)   F below
 *
 * Gates that force F whatever the figures: a failed correctness check, a scenario that failed
 * (crashed or errored), was aborted or interrupted, or completed no operations. A scenario that
 * declares neither `maxP99Ms` nor `minOpsPerSec` is capped at C: zero errors alone is not
 * evidence of performance (the seed's "A+ for 0 errors" — DESIGN section 7, item 6).
 *
 * Worked example, memory target, large-scale-load, SLO {maxErrorRate 0.01, maxP99Ms 200,
 * minOpsPerSec 500}: 0 errors (∞), p99 40 ms (5×), 2,400 ops/s (4.8×) → smallest 4.8× → A,
 * reason `A: every SLO met, weakest throughput 4.8×; 0 errors, p99 40 ms ≤ 200 ms, 2,400 ops/s = 4.8× floor`.
 * Below C the reason starts with the SLO missed and by how much: `D: p99 SLO missed by 1.7×; …`.
 */
import type { Check, Grade } from '../events/schema.ts';
import { fmtCount, fmtFactor, fmtMs, fmtOps, fmtPercent } from '../format/figures.ts';
import { gradeBelow, type GradeLetter } from './letters.ts';

/** SLO keys the rubric reads; other keys in a scenario's `slo` are carried but not judged. */
export interface Slo {
  /** Largest acceptable share of attempted operations that fail, 0..1 (0.01 = 1%). */
  maxErrorRate?: number;
  /** Largest acceptable p99 latency in milliseconds. */
  maxP99Ms?: number;
  /** Smallest acceptable throughput in operations per second. */
  minOpsPerSec?: number;
}

/** What a scenario is graded on (a scenario-end event's figures, flattened). */
export interface GradeInput {
  status: 'passed' | 'failed' | 'aborted';
  /** Attempted operations (the one denominator for the error rate). */
  ops: number;
  /** Failed operations, all kinds. */
  errors: number;
  opsPerSec: number;
  /** The scenario's headline p99 latency in milliseconds. */
  p99Ms: number;
  checks: readonly Check[];
  /** Declared SLOs; see `Slo` for the keys judged. */
  slo: Readonly<Record<string, number>>;
  /** Why the scenario failed or was aborted, when known (goes into the reason). */
  error?: string;
}

/** A rubric band: the smallest headroom (× the SLO) that still earns the letter. */
export interface Band {
  grade: GradeLetter;
  minHeadroom: number;
  meaning: string;
}

/** The bands, best first. Anything below the last band (or any gate) is F. */
export const BANDS: readonly Band[] = [
  { grade: 'A+', minHeadroom: 8, meaning: 'every SLO met with at least 8× headroom' },
  { grade: 'A', minHeadroom: 4, meaning: 'every SLO met with at least 4× headroom' },
  { grade: 'B', minHeadroom: 2, meaning: 'every SLO met with at least 2× headroom' },
  { grade: 'C', minHeadroom: 1, meaning: 'every SLO met' },
  { grade: 'D', minHeadroom: 0.5, meaning: 'an SLO missed, by at most 2×' },
];

/** Most a scenario can earn when it declares no latency or throughput SLO. */
export const NO_PERF_SLO_CAP: GradeLetter = 'C';

// Headrooms are ratios of floats (0.01 / (1 / 800) is 8.000000000000002, 0.02 / 0.0025 may land
// a hair under 8); a relative tolerance keeps a value "exactly on an edge" in the better band.
const EDGE_TOLERANCE = 1e-9;

interface Judged {
  metric: 'errors' | 'p99' | 'throughput';
  headroom: number;
}

/** Grades one scenario. Pure: the same input always gives the same letter and reason. */
export function gradeScenario(input: GradeInput): Grade {
  const gate = gateFailure(input);
  if (gate !== undefined) return { grade: 'F', reason: `F: ${gate}` };

  const slo = input.slo as Slo;
  const errorRate = input.errors / input.ops;
  const judged: Judged[] = [];
  const parts: string[] = [];

  if (isLimit(slo.maxErrorRate, true)) {
    const headroom = input.errors === 0 ? Number.POSITIVE_INFINITY : slo.maxErrorRate / errorRate;
    judged.push({ metric: 'errors', headroom });
    parts.push(input.errors === 0 ? '0 errors' : `${errorsText(input.errors, errorRate)} ${meets(headroom) ? '≤' : '>'} ${fmtPercent(slo.maxErrorRate)}`);
  } else {
    parts.push(input.errors === 0 ? '0 errors' : errorsText(input.errors, errorRate));
  }

  if (isLimit(slo.maxP99Ms, false)) {
    const headroom = input.p99Ms <= 0 ? Number.POSITIVE_INFINITY : slo.maxP99Ms / input.p99Ms;
    judged.push({ metric: 'p99', headroom });
    parts.push(`p99 ${fmtMs(input.p99Ms)} ${meets(headroom) ? '≤' : '>'} ${fmtMs(slo.maxP99Ms)}`);
  } else {
    parts.push(`p99 ${fmtMs(input.p99Ms)}`);
  }

  if (isLimit(slo.minOpsPerSec, false)) {
    const headroom = input.opsPerSec / slo.minOpsPerSec;
    judged.push({ metric: 'throughput', headroom });
    parts.push(
      meets(headroom)
        ? `${fmtOps(input.opsPerSec)} ops/s = ${fmtFactor(headroom)} floor`
        : `${fmtOps(input.opsPerSec)} ops/s < floor ${fmtOps(slo.minOpsPerSec)} (${fmtFactor(headroom)})`,
    );
  } else {
    parts.push(`${fmtOps(input.opsPerSec)} ops/s`);
  }

  const weakest = judged.reduce<Judged | undefined>((w, j) => (w === undefined || j.headroom < w.headroom ? j : w), undefined);
  let grade = weakest === undefined ? 'A+' : bandFor(weakest.headroom);
  // What set the grade comes first, so a status line can show just that (`gradeCause`).
  let cause = weakest === undefined ? 'no SLO declared' : meets(weakest.headroom) ? `every SLO met, weakest ${weakest.metric} ${fmtFactor(weakest.headroom)}` : `${weakest.metric} SLO missed by ${fmtFactor(1 / weakest.headroom)}`;
  const hasPerfSlo = judged.some((j) => j.metric !== 'errors');
  if (!hasPerfSlo && gradeBelow(NO_PERF_SLO_CAP, grade)) {
    grade = NO_PERF_SLO_CAP;
    cause = 'no latency or throughput SLO declared, capped at C';
  }
  return { grade, reason: `${grade}: ${cause}; ${parts.join(', ')}` };
}

/**
 * What set a grade, from its reason: the clause before the first `; ` (`F: throughput SLO missed
 * by 2.0×`, `F: check watch-exactly-once failed (3 events lost)`), for one-line status displays.
 */
export function gradeCause(reason: string): string {
  const cut = reason.indexOf('; ');
  return cut < 0 ? reason : reason.slice(0, cut);
}

/** {@link gradeCause} without the letter: `throughput SLO missed by 2.0×`. */
export function gradeCauseText(reason: string): string {
  return gradeCause(reason).replace(/^[A-F][+]?: /, '');
}

/** The band a headroom falls in: the first band whose edge it reaches, else F. */
export function bandFor(headroom: number): GradeLetter {
  for (const band of BANDS) {
    if (headroom >= band.minHeadroom * (1 - EDGE_TOLERANCE)) return band.grade;
  }
  return 'F';
}

function gateFailure(input: GradeInput): string | undefined {
  const failed = input.checks.filter((c) => !c.ok);
  const checksText =
    failed.length === 0
      ? ''
      : failed.length === 1
        ? `check ${failed[0].name} failed (${oneLine(failed[0].detail)})`
        : `${failed.length} checks failed: ${failed.map((c) => `${c.name} (${oneLine(c.detail)})`).join(', ')}`;
  const because = input.error === undefined ? '' : `: ${oneLine(input.error)}`;
  switch (input.status) {
    case 'aborted':
      return `scenario aborted before completion${because}`;
    case 'failed':
      return checksText !== '' ? checksText : `scenario failed${because || ' (crash or error)'}`;
    case 'passed':
      break;
  }
  if (checksText !== '') return checksText;
  if (!(input.ops > 0)) return 'no operations completed';
  if (![input.errors, input.opsPerSec, input.p99Ms].every(Number.isFinite)) {
    return `invalid measurement (errors ${input.errors}, ops/s ${input.opsPerSec}, p99 ${input.p99Ms})`;
  }
  return undefined;
}

/** A limit is judged when declared as a finite number; throughput and latency limits must be > 0. */
function isLimit(v: number | undefined, zeroAllowed: boolean): v is number {
  return typeof v === 'number' && Number.isFinite(v) && (zeroAllowed ? v >= 0 : v > 0);
}

function meets(headroom: number): boolean {
  return headroom >= 1 - EDGE_TOLERANCE;
}

function errorsText(errors: number, rate: number): string {
  return `${fmtCount(errors)} error${errors === 1 ? '' : 's'} = ${fmtPercent(rate)}`;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
