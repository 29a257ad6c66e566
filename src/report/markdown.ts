/**
 * `report.md`: the run summary as Markdown — readable in a terminal (`metabench report`), on
 * GitHub and in a CI artifact. Pure: the same summary always renders the same text.
 */
import { BANDS } from '../grades/rubric.ts';
import { ceilingVerdict, clientBoundNotes, clientBoundText, fmtCeilingRatio, REACHED_CEILING_MARGIN, RUNNER_BOUND_CPU_PERCENT } from '../views/ceiling.ts';
import { fmtCount, fmtCpuPerOp, fmtFactor, fmtMs, fmtNs, fmtOps, fmtPercent } from '../format/figures.ts';
import type { RunSummary, ScenarioCell, TargetSummary } from '../views/summary.ts';
import type { MarkdownSections } from './charts/markdown-section.ts';
import { fmtSpread } from '../views/repeat-cell.ts';

/** Renders a summary as Markdown (ends with a newline); `visuals`: key findings and charts (`visual-reports.ts`). */
export function renderMarkdown(s: RunSummary, visuals: MarkdownSections = { top: [], bottom: [] }): string {
  const out: string[] = [`# metabench report — ${s.runId}`, ''];
  for (const w of s.warnings) out.push(`> **Warning:** ${w}`, '');
  out.push(...visuals.top);
  out.push(...manifestSection(s), '');
  out.push(...overallSection(s), '');
  out.push(...resultsSection(s), '');
  out.push(...ceilingSection(s), '');
  out.push(...reasonsSection(s), '');
  out.push(...sloSection(s), '');
  if (s.micro.rows.length > 0) out.push(...microSection(s), '');
  out.push(...visuals.bottom);
  out.push(...rubricNote());
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

function manifestSection(s: RunSummary): string[] {
  const m = s.manifest;
  const h = m.host;
  const host = h
    ? [h.cpus !== undefined ? `${h.cpus} CPUs` : undefined, h.cpuModel, h.memoryBytes !== undefined ? `${(h.memoryBytes / 2 ** 30).toFixed(1)} GiB RAM` : undefined, [h.os, h.arch].filter(Boolean).join(' ') || undefined]
        .filter((x) => x !== undefined)
        .join(', ')
    : undefined;
  const targets = s.targets.map((t) => `${t.name}${t.kind && t.kind !== t.name ? ` (${t.kind})` : ''}${t.serverVersion ? ` ${t.serverVersion}` : ''}${t.ceiling ? ' (no-op ceiling, not graded)' : ''}`).join(', ');
  const rows: Array<[string, string | undefined]> = [
    ['Run', s.runId],
    ['Status', s.status],
    ['Started', m.startedAt],
    ['Profile', m.profile],
    ['Seed', m.seed !== undefined ? String(m.seed) : undefined],
    ['Client', m.client],
    ['Mode', m.mode === 'parallel' ? 'parallel (targets ran at the same time)' : 'sequential (one target at a time)'],
    ['Repeats', m.repeats !== undefined ? `${m.repeats} (targets interleaved in each repeat; figures are medians)` : undefined],
    ['Host', host],
    ['Node.js', m.nodeVersion],
    ['metabench', m.metabenchVersion && `${m.metabenchVersion}${m.gitCommit ? ` (commit ${m.gitCommit.slice(0, 12)})` : ''}`],
    ['Targets', targets || undefined],
  ];
  return ['| | |', '|---|---|', ...rows.filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => `| ${k} | ${cell(v ?? '')} |`)];
}

function overallSection(s: RunSummary): string[] {
  const lines = ['## Overall', '', '| target | status | grade | why |', '|---|---|---|---|'];
  for (const t of s.targets) {
    const why = t.ceiling ? "not graded: a no-op server, the load generator's ceiling" : (t.overall?.reason ?? 'no scenario finished');
    lines.push(`| ${cell(t.name)} | ${cell(statusText(t) + repeatsText(t, s.manifest.repeats))} | ${t.overall?.grade ?? '—'} | ${cell(why)} |`);
  }
  return lines;
}

/** ` (2 of 3 repeats)` in a run with repeats; empty otherwise. */
function repeatsText(t: TargetSummary, repeats: number | undefined): string {
  if (repeats === undefined || t.repeatsCompleted === undefined || t.status === 'unavailable') return '';
  return t.repeatsCompleted === repeats ? ` (${repeats} repeats)` : ` (${t.repeatsCompleted} of ${repeats} repeats)`;
}

function statusText(t: TargetSummary): string {
  switch (t.status) {
    case 'unavailable':
      return `unavailable: ${t.error ?? ''}${t.hint ? ` (${t.hint})` : ''}`;
    case 'crashed':
    case 'interrupted':
      return t.error ? `${t.status}: ${t.error}` : t.status;
    case 'completed':
    case 'waiting':
    case 'starting':
    case 'running':
      return t.status;
  }
}

function resultsSection(s: RunSummary): string[] {
  const targets = s.targets.filter((t) => s.scenarios.some((sc) => sc.results[t.name] !== undefined));
  if (targets.length === 0 || s.scenarios.length === 0) return ['## Results', '', 'No scenario results.'];
  // Two narrow tables (figures, then verdicts) rather than one 18-column one: both stay
  // readable when `metabench report` prints them raw in an 80-column terminal.
  const head = `| scenario | ${targets.map((t) => cell(t.ceiling ? `${t.name} (ceiling)` : t.name)).join(' | ')} |`;
  const rule = `|---|${targets.map(() => '---').join('|')}|`;
  const perf = ['### Throughput and latency (ops/s; p50 / p99 ms)', '', head, rule];
  const verdict = ['### Grades and correctness', '', head, rule];
  for (const sc of s.scenarios) {
    perf.push(`| ${cell(sc.name)} | ${targets.map((t) => cell(figuresCell(sc.results[t.name], t.name === s.baseline ? undefined : s.baseline))).join(' | ')} |`);
    verdict.push(`| ${cell(sc.name)} | ${targets.map((t) => cell(verdictCell(sc.results[t.name], t.ceiling === true))).join(' | ')} |`);
  }
  const lines = ['## Results', '', ...perf, ''];
  if (s.manifest.repeats !== undefined) {
    lines.push(`Each figure is the median of ${s.manifest.repeats} repeats (targets interleaved in each repeat); ± is half the min–max range over the repeats, as a share of the median. Grades judge the medians.`, '');
  }
  for (const note of clientBoundNotes(s.scenarios.flatMap((sc) => Object.values(sc.results)), s.manifest.client)) lines.push(`Marked ${note}`, '');
  if (s.baseline !== undefined) {
    lines.push(`Ratios divide by ${s.baseline}'s figure on the same scenario: ops/s above 1× is more throughput than ${s.baseline}, p99 below 1× a lower tail latency.`, '');
  }
  return [...lines, ...verdict];
}

/** `4,000 · 5.0 / 20 · 2.0× / 0.50× etcd · server CPU 38 µs/op` */
function figuresCell(c: ScenarioCell | undefined, baseline: string | undefined): string {
  if (c === undefined) return '—';
  if (c.opsPerSec === undefined) return c.status === 'queued' ? 'not run' : c.status === 'running' ? 'unfinished' : c.status;
  const spread = (k: 'opsPerSec' | 'p99Ms' | 'serverCpuUsPerOp') => (c.spread?.[k] !== undefined ? ` ${fmtSpread(c.spread[k])}` : '');
  const parts = [fmtOps(c.opsPerSec) + spread('opsPerSec')];
  if (c.p99Ms !== undefined) parts.push(`${fmtMs(c.p50Ms ?? 0, false)} / ${fmtMs(c.p99Ms, false)}${spread('p99Ms')}`);
  const r = c.vsEtcd;
  if (r !== undefined && baseline !== undefined) parts.push(`${r.opsPerSec !== undefined ? fmtFactor(r.opsPerSec) : '—'} / ${r.p99 !== undefined ? fmtFactor(r.p99) : '—'} ${baseline}`);
  if (c.serverCpuUsPerOp !== undefined) parts.push(`server CPU ${fmtCpuPerOp(c.serverCpuUsPerOp)}${spread('serverCpuUsPerOp')}`);
  const bound = clientBoundText(c);
  if (bound) parts.push(`**${bound}**`);
  return parts.join(' · ');
}

/** `**A+** · 0 errors · checks 2/2 ✓`; a ceiling (noop) cell says `not graded` instead of a letter. */
function verdictCell(c: ScenarioCell | undefined, ceiling = false): string {
  if (c === undefined) return '—';
  if (c.grade === undefined && c.opsPerSec === undefined) return c.status === 'queued' ? 'not run' : c.status === 'running' ? 'unfinished' : c.status;
  const parts = [c.grade ? `**${c.grade.grade}**${c.ownSlo ? ' (own SLO)' : ''}` : ceiling ? 'not graded (ceiling)' : '—'];
  if (c.status === 'failed' || c.status === 'aborted') parts.push(c.status);
  if (c.errors !== undefined) parts.push(c.errors === 0 ? '0 errors' : `${fmtCount(c.errors)} errors (${fmtPercent(c.errorRate ?? 0)})`);
  if (c.checks !== undefined && c.checks.total > 0) {
    parts.push(`checks ${c.checks.passed}/${c.checks.total}${c.checks.failed.length > 0 ? ` ✗ ${c.checks.failed.join(', ')}` : ' ✓'}`);
  }
  return parts.join(' · ');
}

/**
 * One row per scenario: the noop figure, the fastest target, their ratio and the verdict, so a
 * reader sees which results measure the server and which may measure the client.
 */
function ceilingSection(s: RunSummary): string[] {
  if (s.ceilingTarget === undefined) return [];
  const lines = [
    "## Load generator's ceiling",
    '',
    `${s.ceilingTarget} is a no-op server: its throughput is about the most the load generator drives on each scenario. A target that comes within ${REACHED_CEILING_MARGIN}× of it (the no-op figure under ${REACHED_CEILING_MARGIN}× the target's) has reached that ceiling, and its result is marked client-bound, as is any result where the runner used ≥ ${RUNNER_BOUND_CPU_PERCENT}% of a core. Ceiling ÷ fastest is shown for information.`,
    '',
    '| scenario | ceiling ops/s | fastest target | ops/s | ceiling ÷ fastest | verdict |',
    '|---|---:|---|---:|---:|---|',
  ];
  for (const sc of s.scenarios) {
    const c = sc.ceiling;
    if (c === undefined) {
      const noop = sc.results[s.ceilingTarget];
      lines.push(`| ${cell(sc.name)} | ${noop?.opsPerSec !== undefined ? fmtOps(noop.opsPerSec) : cell(noop?.status ?? 'not run')} | — | — | — | no ratio (${noop?.opsPerSec === undefined ? 'no ceiling figure' : 'no other target finished'}) |`);
      continue;
    }
    lines.push(`| ${cell(sc.name)} | ${fmtOps(c.opsPerSec)} | ${cell(c.fastest)} | ${fmtOps(c.fastestOpsPerSec)} | ${fmtCeilingRatio(c.ratio)} | ${verdictText(ceilingVerdict(sc.results))} |`);
  }
  return lines;
}

/** `**client-bound**: memory at the ceiling (< 1.25×)`, or `below the ceiling (≥ 1.25× every target)` (the runner-CPU mark is in the results table). */
function verdictText(v: ReturnType<typeof ceilingVerdict>): string {
  return v.atCeiling.length > 0 ? `**client-bound**: ${cell(v.text)}` : v.text;
}

function reasonsSection(s: RunSummary): string[] {
  const lines = ['## Grade reasons', ''];
  for (const sc of s.scenarios) {
    for (const t of s.targets) {
      const c = sc.results[t.name];
      if (c?.grade) lines.push(`- **${sc.name}** on **${t.name}**: ${c.grade.reason}`);
      else if (c?.error) lines.push(`- **${sc.name}** on **${t.name}**: ${c.status}: ${c.error}`);
    }
  }
  return lines.length > 2 ? lines : [];
}

function sloSection(s: RunSummary): string[] {
  const keys = ['maxErrorRate', 'maxP99Ms', 'minOpsPerSec'];
  const extra = new Set<string>();
  for (const sc of s.scenarios) for (const c of Object.values(sc.results)) for (const k of Object.keys(c.slo ?? {})) if (!keys.includes(k)) extra.add(k);
  const lines = ['## SLOs used', '', `| scenario | target | max error rate | max p99 | min ops/s${[...extra].map((k) => ` | ${k}`).join('')} |`, `|---|---|---:|---:|---:${[...extra].map(() => '|---:').join('')}|`];
  let any = false;
  for (const sc of s.scenarios) {
    for (const t of s.targets) {
      const slo = sc.results[t.name]?.slo;
      if (!slo) continue;
      any = true;
      const v = (k: string, f: (n: number) => string) => (slo[k] !== undefined ? f(slo[k]) : '—');
      lines.push(`| ${cell(sc.name)} | ${cell(t.name)} | ${v('maxErrorRate', fmtPercent)} | ${v('maxP99Ms', (n) => fmtMs(n))} | ${v('minOpsPerSec', fmtOps)}${[...extra].map((k) => ` | ${v(k, String)}`).join('')} |`);
    }
  }
  return any ? lines : ['## SLOs used', '', 'No scenario reported its SLOs.'];
}

function microSection(s: RunSummary): string[] {
  const { engines, rows } = s.micro;
  const head = ['case', ...engines.flatMap((e) => [`${e} ops/s`, `${e} mean`, `${e} p99`])];
  const lines = ['## Micro-benchmarks (in-process, tinybench)', '', `| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`];
  for (const r of rows) {
    const cells = engines.flatMap((e) => {
      const m = r.results[e];
      return m ? [fmtOps(m.opsPerSec), fmtNs(m.meanNs), fmtNs(m.p99Ns)] : ['—', '—', '—'];
    });
    lines.push(`| ${cell(r.case)} | ${cells.join(' | ')} |`);
  }
  return lines;
}

function rubricNote(): string[] {
  const bands = BANDS.map((b) => `${b.grade} ≥ ${b.minHeadroom}×`).join(', ');
  return [
    '---',
    '',
    `Grades come from headroom against each SLO (limit ÷ p99, ops/s ÷ floor, error budget ÷ error rate); the smallest headroom sets the letter: ${bands}, F below — and F for any failed check, crash or interrupted scenario. A target's overall grade is its weakest scenario's.`,
  ];
}

/** Makes text safe inside a Markdown table cell. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}
