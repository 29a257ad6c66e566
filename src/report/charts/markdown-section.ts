/**
 * report.md's pictures: the key findings at the top, and at the end a "Charts" section that
 * links each SVG (relative to the run folder, so they render wherever the folder's markdown
 * does) with the figures it draws as a table underneath — the percentiles p50 … max and server
 * CPU per op per target, and the ratio bars — so every figure a finding states is in a table.
 */
import type { Finding } from '../findings.ts';
import type { ChartRun } from './chart-data.ts';
import type { ChartSpec } from './chart-list.ts';
import { percentileTable, ratioTable, type Table } from './chart-tables.ts';

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
    out.push(`### ${sc.name}`, '', mine.map((c) => `![${c.title}](${c.file})`).join(' '), '', ...markdownTable(percentileTable(sc)));
  }
  const ratio = specs.find((c) => c.kind === 'ratio');
  if (ratio !== undefined && run.baseline !== undefined) out.push(`### Throughput relative to ${run.baseline.name}`, '', `![${ratio.title}](${ratio.file})`, '', ...markdownTable(ratioTable(run)));
  return out;
}

function markdownTable(t: Table | undefined): string[] {
  if (t === undefined) return [];
  return [`| ${t.head.map(cell).join(' | ')} |`, `|${t.numeric.map((n) => (n ? '---:' : '---')).join('|')}|`, ...t.rows.map((r) => `| ${r.map(cell).join(' | ')} |`), ''];
}

/** Makes text safe inside a Markdown table cell. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

/** Keeps a finding's text from being read as Markdown emphasis or HTML. */
function escapeInline(s: string): string {
  return s.replace(/([\\`*_<>[\]])/g, '\\$1');
}
