/**
 * Labels and units of a scenario-end's `extra` figures, so the detail view and report say
 * `runner CPU per op 2,429 µs/op` instead of `runnerCpuUsPerOp 2,429`. One table of the keys the
 * workloads write; an unknown key (a newer runner) still gets its unit from its suffix (`…Ms`,
 * `…Bytes`, `…UsPerOp`, `…Percent`, `…OpsPerSec`) and its words from its camelCase.
 */
import { fmtBytes, fmtCount, fmtCpuPerOp, fmtDuration, fmtOps } from './figures.ts';

/** How an `extra` value is written. */
type Unit = 'ms' | 'bytes' | 'usPerOp' | 'percent' | 'opsPerSec' | 'count' | 'points' | 'ratio' | 'revision';

const LABELS: Readonly<Record<string, readonly [label: string, unit: Unit]>> = {
  runnerCpuPercent: ['runner CPU', 'percent'],
  runnerCpuUsPerOp: ['runner CPU per op', 'usPerOp'],
  runnerRssBytes: ['runner RSS', 'bytes'],
  serverCpuPercent: ['server CPU', 'percent'],
  serverCpuUsPerOp: ['server CPU per op', 'usPerOp'],
  bytesReclaimed: ['space reclaimed', 'bytes'],
  dbSizeBeforeBytes: ['db size before', 'bytes'],
  dbSizeAfterBytes: ['db size after', 'bytes'],
  loadMs: ['load phase', 'ms'],
  overwriteMs: ['overwrite phase', 'ms'],
  compactMs: ['compact', 'ms'],
  defragmentMs: ['defragment', 'ms'],
  readMs: ['read phase', 'ms'],
  txnPhaseMs: ['txn phase', 'ms'],
  casPhaseMs: ['CAS phase', 'ms'],
  catchUpMs: ['watchers caught up after', 'ms'],
  compactRevision: ['compacted at revision', 'revision'],
  loadedRevision: ['revision after load', 'revision'],
  intactReads: ['intact reads', 'count'],
  casConflicts: ['CAS conflicts', 'count'],
  casSucceeded: ['CAS increments', 'count'],
  casOpsPerSec: ['CAS throughput', 'opsPerSec'],
  txnThen: ['txn Then branch', 'count'],
  txnElse: ['txn Else branch', 'count'],
  deliveries: ['events delivered', 'count'],
  lostDeliveries: ['events lost', 'count'],
  duplicateDeliveries: ['events duplicated', 'count'],
  outOfOrderDeliveries: ['events out of order', 'count'],
  eventsWritten: ['events written', 'count'],
  watchers: ['watchers', 'count'],
  watchDisconnects: ['watch disconnects', 'count'],
  watchErrors: ['watch errors', 'count'],
  mixDeviationPoints: ['mix deviation', 'points'],
  throughputCv: ['throughput spread (CV)', 'ratio'],
  stableWindows: ['1 s windows judged', 'count'],
  windowMinOpsPerSec: ['slowest 1 s window', 'opsPerSec'],
  windowMeanOpsPerSec: ['mean 1 s window', 'opsPerSec'],
  windowMaxOpsPerSec: ['fastest 1 s window', 'opsPerSec'],
};

const SUFFIXES: readonly [suffix: string, unit: Unit][] = [
  ['UsPerOp', 'usPerOp'],
  ['OpsPerSec', 'opsPerSec'],
  ['Percent', 'percent'],
  ['Bytes', 'bytes'],
  ['Ms', 'ms'],
];

/** `runnerCpuUsPerOp` → `['runner CPU per op', 'usPerOp']`; an unknown key from its suffix and words. */
function labelOf(key: string): readonly [string, Unit] {
  const known = LABELS[key];
  if (known) return known;
  for (const [suffix, unit] of SUFFIXES) {
    if (key.endsWith(suffix) && key.length > suffix.length) return [words(key.slice(0, -suffix.length)), unit];
  }
  return [words(key), 'count'];
}

function words(camel: string): string {
  return camel.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

function valueText(v: number, unit: Unit): string {
  switch (unit) {
    case 'ms':
      return fmtDuration(v);
    case 'bytes':
      return fmtBytes(v);
    case 'usPerOp':
      return fmtCpuPerOp(v);
    case 'percent':
      return `${Number.isFinite(v) ? Math.round(v) : v}% of a core`;
    case 'opsPerSec':
      return `${fmtOps(v)} ops/s`;
    case 'points':
      return `${Number.isFinite(v) ? v.toFixed(2) : v} points`;
    case 'ratio':
      return Number.isFinite(v) ? v.toFixed(3) : String(v);
    case 'revision':
      return `${v}`;
    case 'count':
      return fmtCount(v);
  }
}

/** One `extra` figure as a label and a value with its unit: `runner CPU per op 2,429 µs/op`. */
export function fmtExtra(key: string, value: number): string {
  const [label, unit] = labelOf(key);
  // Percentages of a core only for CPU; other percentages are plain.
  const text = unit === 'percent' && !/cpu/i.test(key) ? `${Math.round(value)}%` : valueText(value, unit);
  return `${label} ${text}`;
}
