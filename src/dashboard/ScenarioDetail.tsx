/**
 * Detail of one scenario on one target (Enter on a scenario): grade and reason, totals and
 * errors by kind, percentiles per operation type with percentile bars, the realised mix against
 * the configured one, the checks, and scenario-specific figures. Lines that do not fit scroll
 * (↑/↓, j/k, PgUp/PgDn; the last row says which lines show).
 */
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import type { LatencySummary, ScenarioEndEvent } from '../events/schema.ts';
import { isScenarioNotRun } from '../state/run-state.ts';
import type { ScenarioRun, TargetStatus } from '../state/run-state.ts';
import { fmtClock, fmtCpuPerOp, fmtMs, fmtOps, fmtPct, fmtPercent } from '../format/figures.ts';
import { gradeOfEnd } from '../grades/scenario-grade.ts';
import { bar, fit } from './format.ts';
import { fmtExtra } from '../format/extra-labels.ts';
import { gradeCause, gradeCauseText } from '../grades/rubric.ts';
import { isScrollable, scrollLabel, scrollWindow } from './scroll.ts';
import { gradeColour, scenarioColour, scenarioIcon, scenarioLook } from './status-style.ts';

/** Props of `ScenarioDetail`. */
export interface ScenarioDetailProps {
  readonly target: string;
  /** The target's status: a queued scenario of an ended target is "not run". */
  readonly status: TargetStatus;
  readonly scenario: ScenarioRun;
  readonly width: number;
  /** Rows available, border included; longer details scroll. */
  readonly rows: number;
  /** First line shown (`UiState.detailTop`); clamped. */
  readonly top?: number;
}

/** Rows of the box that are not detail lines: the border and the title. */
const DETAIL_CHROME_ROWS = 3;

/** The detail view: a title, then the lines from `top` that fit, with the position when they do not all fit. */
export function ScenarioDetail({ target, status, scenario, width, rows, top }: ScenarioDetailProps) {
  const lines = detailLines(scenario, status, Math.max(40, width - 2));
  const look = scenarioLook({ status }, scenario);
  const grade = scenario.state === 'passed' || scenario.state === 'failed' || scenario.state === 'aborted' ? scenario.end?.grade : undefined;
  const w = scrollWindow(lines.length, visibleLines(lines.length, rows), top ?? 0);
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1} width={width}>
      <Text wrap="truncate">
        {scenarioIcon(look)} <Text bold>{target}</Text> · <Text bold>{scenario.name}</Text> ·{' '}
        <Text color={scenarioColour(look)}>{look === 'not-run' ? 'not run' : scenario.state}</Text>
        {grade ? (
          <Text bold color={gradeColour(grade.grade)}>
            {' '}
            · {gradeCause(grade.reason)}
          </Text>
        ) : null}
        <Text dimColor> (Esc closes)</Text>
      </Text>
      {/* One row per line, whatever its text: a wrapped line would push the frame past the screen. */}
      {lines.slice(w.start, w.end).map((l, i) => (
        <Box key={w.start + i} height={1} overflowY="hidden">
          {l}
        </Box>
      ))}
      {isScrollable(w) ? (
        <Text dimColor wrap="truncate">
          {scrollLabel('lines', w)} · ↑/↓ j/k PgUp/PgDn scroll
        </Text>
      ) : null}
    </Box>
  );
}

/** Detail lines shown at once out of `total` in a box of `rows` rows (one goes to the position line when they do not all fit). */
function visibleLines(total: number, rows: number): number {
  const room = Math.max(2, rows - DETAIL_CHROME_ROWS);
  return total <= room ? total : room - 1;
}

/** How many detail lines show at once and in all, for the keys that scroll (see `Viewport`). */
export function detailViewport(scenario: ScenarioRun, status: TargetStatus, width: number, rows: number): { readonly detailRows: number; readonly detailLines: number } {
  const total = detailLines(scenario, status, Math.max(40, width - 2)).length;
  return { detailRows: visibleLines(total, rows), detailLines: total };
}

const PERCENTILES: readonly [string, keyof LatencySummary][] = [
  ['p50', 'p50Ms'],
  ['p90', 'p90Ms'],
  ['p99', 'p99Ms'],
  ['p99.9', 'p999Ms'],
  ['max', 'maxMs'],
];

function detailLines(s: ScenarioRun, status: TargetStatus, width: number): ReactNode[] {
  switch (s.state) {
    case 'queued':
      return [isScenarioNotRun({ status }, s) ? <Text dimColor>not run: the target ended ({status.state}) before this scenario started</Text> : <Text dimColor>not started yet</Text>];
    case 'running': {
      const p = s.progress;
      return [
        <Text>
          running: {fmtPct(p?.fraction ?? 0)} · {p ? `${fmtOps(p.opsPerSec)} ops/s · p50 ${fmtMs(p.p50Ms)} · p99 ${fmtMs(p.p99Ms)} · ${p.errors} errors` : 'no progress yet'}
        </Text>,
        <Text dimColor>final percentiles, mix and checks appear when it ends</Text>,
        ...paramLines(s.params),
      ];
    }
    case 'passed':
    case 'failed':
    case 'aborted':
      if (!s.end) return [<Text color="yellow">ended without a result: {s.state === 'aborted' ? (s.reason ?? 'aborted') : s.state}</Text>];
      return endLines(s.end, s.params, width);
  }
}

function endLines(e: ScenarioEndEvent, params: Readonly<Record<string, unknown>> | undefined, width: number): ReactNode[] {
  const out: ReactNode[] = [];
  // The grade every view shows (the runner's; see src/grades/scenario-grade.ts).
  const grade = gradeOfEnd(e);
  if (grade) {
    out.push(
      <Text wrap="truncate">
        grade{' '}
        <Text bold color={gradeColour(grade.grade)}>
          {grade.grade}
        </Text>{' '}
        — set by {gradeCauseText(grade.reason)}
      </Text>,
    );
    const rest = grade.reason.slice(gradeCause(grade.reason).length + 2);
    if (rest !== '') out.push(<Text dimColor wrap="truncate">  {rest}</Text>);
  }
  if (e.error) out.push(<Text color="red" wrap="truncate">error: {e.error}</Text>);
  const errRate = e.ops > 0 ? e.errors.total / e.ops : 0;
  const kinds = Object.entries(e.errors.byKind).map(([k, n]) => `${k} ${n}`).join(', ');
  out.push(
    <Text wrap="truncate">
      {fmtClock(e.durationMs)} · {fmtOps(e.ops)} ops · <Text bold>{fmtOps(e.opsPerSec)} ops/s</Text> · errors {e.errors.total} ({fmtPercent(errRate)})
      {kinds ? ` — ${kinds}` : ''}
      {e.lateOps !== undefined ? ` · late ${e.lateOps}` : ''}
      {e.extra?.serverCpuUsPerOp !== undefined ? ` · server CPU ${fmtCpuPerOp(e.extra.serverCpuUsPerOp)}` : ''}
    </Text>,
  );
  const ops = Object.entries(e.latency);
  if (ops.length > 0) {
    out.push(<Text bold>latency (ms){e.headline !== undefined ? <Text dimColor> · ◂ headline ({e.headline}): the p99 judged and shown for every target</Text> : null}</Text>);
    out.push(<Text dimColor>{fit('op', 16) + fit('count', 10) + PERCENTILES.map(([n]) => fit(n, 10)).join('')}</Text>);
    for (const [op, l] of ops) out.push(<Text wrap="truncate">{fit(op === e.headline ? `${op} ◂` : op, 16) + fit(fmtOps(l.count), 10) + PERCENTILES.map(([, k]) => fit(fmtMs(l[k], false), 10)).join('')}</Text>);
    // Percentile bars on a log scale: p50 and max can be orders of magnitude apart.
    const top = Math.max(...ops.map(([, l]) => l.maxMs), 0.001);
    const barW = Math.max(10, Math.min(48, width - 16 - 12));
    for (const [op, l] of ops) {
      out.push(<Text dimColor>{op} percentiles (log scale, up to {fmtMs(top)})</Text>);
      for (const [name, k] of PERCENTILES) {
        out.push(
          <Text wrap="truncate">
            {fit(`  ${name}`, 16)}
            <Text color="cyan">{bar(logShare(l[k], top), barW)}</Text> {fmtMs(l[k])}
          </Text>,
        );
      }
    }
  }
  if (e.mix) out.push(...mixLines(e.mix, params));
  if (e.checks.length > 0) {
    out.push(<Text bold>checks</Text>);
    for (const c of e.checks)
      out.push(
        <Text wrap="truncate">
          {c.ok ? '✅' : '❌'} <Text color={c.ok ? 'green' : 'red'}>{c.name}</Text> — {c.detail}
        </Text>,
      );
  }
  const { serverCpuUsPerOp: _cpu, ...extra } = e.extra ?? {};
  // Labelled and with units (`runner CPU per op 2,429 µs/op`), packed into lines that fit.
  if (Object.keys(extra).length > 0) {
    out.push(<Text bold>figures</Text>);
    for (const line of packLines(Object.entries(extra).map(([k, v]) => fmtExtra(k, v)), width - 2)) out.push(<Text wrap="truncate">  {line}</Text>);
  }
  if (e.slo) out.push(<Text dimColor wrap="truncate">SLO: {sloText(e.slo)}</Text>);
  return out;
}

/** Items joined by ` · ` into lines of at most `width` columns (an item longer than that gets its own line). */
function packLines(items: readonly string[], width: number): string[] {
  const lines: string[] = [];
  for (const item of items) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 3 + item.length <= width) lines[lines.length - 1] = `${last} · ${item}`;
    else lines.push(item);
  }
  return lines;
}

/** `errors ≤ 1% · p99 ≤ 200 ms · ≥ 500 ops/s · throughput CV ≤ 0.3`: the SLO in words and units. */
export function sloText(slo: Readonly<Record<string, number>>): string {
  return Object.entries(slo)
    .map(([k, v]) => {
      switch (k) {
        case 'maxErrorRate':
          return `errors ≤ ${fmtPercent(v)}`;
        case 'maxP99Ms':
          return `p99 ≤ ${fmtMs(v)}`;
        case 'minOpsPerSec':
          return `≥ ${fmtOps(v)} ops/s`;
        case 'maxThroughputCv':
          return `throughput CV ≤ ${v}`;
        default:
          return fmtExtra(k, v);
      }
    })
    .join(' · ');
}

/** Share of `top` on a log scale from 1 µs, 0..1. */
function logShare(v: number, top: number): number {
  const lo = Math.log10(0.001);
  return v <= 0.001 ? 0 : (Math.log10(v) - lo) / (Math.log10(top) - lo || 1);
}

function mixLines(mix: Readonly<Record<string, number>>, params: Readonly<Record<string, unknown>> | undefined): ReactNode[] {
  const configured = configuredMix(params?.mix);
  const out: ReactNode[] = [<Text bold>operation mix (realised{configured ? ' vs configured' : ''})</Text>];
  for (const [op, share] of Object.entries(mix)) {
    const want = configured?.[op];
    const off = want !== undefined && Math.abs(share - want) > 0.02;
    out.push(
      <Text wrap="truncate">
        {fit(`  ${op}`, 16)}
        <Text color="cyan">{bar(share, 20)}</Text> {fmtPercent(share).padEnd(7)}
        {want !== undefined ? <Text color={off ? 'red' : 'green'}> (configured {fmtPercent(want)})</Text> : null}
      </Text>,
    );
  }
  return out;
}

/** The configured mix from params (weights in any unit), normalised to shares; else undefined. */
export function configuredMix(raw: unknown): Record<string, number> | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const entries = Object.entries(raw as Record<string, unknown>).filter((e): e is [string, number] => typeof e[1] === 'number' && e[1] >= 0);
  const sum = entries.reduce((a, [, v]) => a + v, 0);
  if (entries.length === 0 || sum <= 0) return undefined;
  return Object.fromEntries(entries.map(([k, v]) => [k.toLowerCase(), v / sum]));
}

function paramLines(params: Readonly<Record<string, unknown>>): ReactNode[] {
  const entries = Object.entries(params).filter(([, v]) => typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean');
  if (entries.length === 0) return [];
  return [<Text dimColor wrap="truncate">parameters: {entries.map(([k, v]) => `${k} ${String(v)}`).join(' · ')}</Text>];
}
