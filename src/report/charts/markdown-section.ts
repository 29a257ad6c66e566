/**
 * report.md's pictures: the key findings at the top, and at the end a "Charts" section that
 * links each SVG (relative to the run folder, so they render wherever the folder's markdown
 * does) with the figures it draws as a table underneath — the percentiles p50 … max and server
 * CPU per op per target, and the ratio bars — so every figure a finding states is in a table.
 */
import type { Finding } from '../findings.ts';
import type { ChartRun, ScenarioCharts } from './chart-data.ts';
import { PERCENTILES } from './chart-data.ts';
import type { ChartSpec } from './chart-list.ts';
import { fmtCpuPerOp, fmtFactor, fmtMs, fmtOps } from './run-inputs.ts';

/** The file report.html is written to, beside report.md. */
export const HTML_REPORT_FILE = 'report.html';

/** Lines report.md shows: `top` under its title, `bottom` at its end. */
export interface MarkdownSections {
  top: string[];
  bottom: string[];
}

/** `## Key findings` and its bullets; nothing without findings. */
export function findingsMarkdown(findings: readonly Finding[]): string[] {
  if (findings.length === 0) return [];
  return ['## Key findings', '', ...findings.map((f) => `- ${escapeInline(f.text)}`), ''];
}

/** The `## Charts` section: per scenario its charts and percentile table, then the ratio chart and table. */
export function chartsMarkdown(run: ChartRun, specs: readonly ChartSpec[]): string[] {
  if (specs.length === 0) return [];
  const out = ['## Charts', '', `The same charts, interactive (hover for values, click a legend entry to hide a target): [${HTML_REPORT_FILE}](${HTML_REPORT_FILE}).`, ''];
  for (const sc of run.scenarios) {
    const mine = specs.filter((c) => c.scenario === sc.name);
    if (mine.length === 0) continue;
    out.push(`### ${sc.name}`, '', mine.map((c) => `![${c.title}](${c.file})`).join(' '), '', ...percentileTable(sc), '');
  }
  const ratio = specs.find((c) => c.kind === 'ratio');
  if (ratio !== undefined && run.baseline !== undefined) {
    const b = run.baseline.name;
    out.push(`### Throughput relative to ${b}`, '', `![${ratio.title}](${ratio.file})`, '', `| scenario | target | ops/s | ${cell(b)} ops/s | ÷ ${cell(b)} | client-bound |`, '|---|---|---:|---:|---:|---|');
    for (const r of run.ratios) out.push(`| ${cell(r.scenario)} | ${cell(r.target)} | ${fmtOps(r.opsPerSec)} | ${fmtOps(r.baselineOpsPerSec)} | ${fmtFactor(r.ratio)} | ${r.clientBound ? 'yes' : 'no'} |`);
    out.push('');
  }
  return out;
}

/** Percentiles (ms) of the curves the latency chart draws, and server CPU per op where known. */
function percentileTable(sc: ScenarioCharts): string[] {
  if (sc.latency.length === 0) return [];
  const cpu = Object.keys(sc.serverCpuUsPerOp).length > 0;
  const head = `| target | op | ops measured | ${PERCENTILES.map((p) => p.label).join(' | ')} |${cpu ? ' server CPU/op |' : ''}`;
  const rule = `|---|---|---:|${PERCENTILES.map(() => '---:').join('|')}|${cpu ? '---:|' : ''}`;
  const rows = sc.latency.map((c) => {
    const us = sc.serverCpuUsPerOp[c.target];
    return `| ${cell(c.target)} | ${cell(c.op)} | ${fmtOps(c.count)} | ${c.points.map((p) => fmtMs(p.ms, false)).join(' | ')} |${cpu ? ` ${us !== undefined ? fmtCpuPerOp(us) : '—'} |` : ''}`;
  });
  return [`Latency percentiles (ms):`, '', head, rule, ...rows];
}

/** Makes text safe inside a Markdown table cell. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

/** Keeps a finding's text from being read as Markdown emphasis or HTML. */
function escapeInline(s: string): string {
  return s.replace(/([\\`*_<>[\]])/g, '\\$1');
}
