/**
 * `report.html`: one self-contained page per run — the key findings, the overall grades, the
 * scenario × target grades table and every chart of report.md, drawn by ECharts in the browser
 * from the same options as the SVG files (hover for values, click a legend entry to hide a
 * target). No network: ECharts' script is inlined, and each chart's SVG rendering sits in its
 * box as the fallback until the script replaces it (so the page still shows pictures with
 * scripts off). Light or dark after the viewer's setting.
 *
 * The page reports its own drawing for tests: `<html data-charts-drawn="N">` once N charts are
 * up, `data-chart-errors="…"` when a chart or the page threw.
 */
import type { ChartRun } from '../charts/chart-data.ts';
import type { ChartSpec } from '../charts/chart-list.ts';
import { percentileTable, ratioTable, type Table } from '../charts/chart-tables.ts';
import type { Finding } from '../findings.ts';
import { ceilingVerdict, CLIENT_BOUND_RULE, clientBoundText, fmtCeilingRatio, fmtCount, fmtCpuPerOp, fmtMs, fmtOps, fmtPercent, type RunSummary, type ScenarioCell } from '../charts/run-inputs.ts';
import { PAGE_SCRIPT, PAGE_STYLE } from './page-assets.ts';

/** What the page is made of. */
export interface HtmlReportInput {
  summary: RunSummary;
  findings: readonly Finding[];
  /** The chart input (for the tables under the charts). */
  run: ChartRun;
  charts: readonly ChartSpec[];
  /** Static SVG of each chart by file name (the no-script fallback); optional. */
  svgs?: ReadonlyMap<string, string>;
  /** ECharts' browser build, already safe to inline (see `echarts-script.ts`). */
  echartsScript: string;
}

/** Renders report.html. Pure. */
export function renderHtml(input: HtmlReportInput): string {
  const s = input.summary;
  const specs = input.charts.map((c, i) => ({ id: `chart-${i + 1}`, kind: c.kind, option: c.option }));
  const title = `metabench report — ${s.runId}`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title>`,
    `<style>${PAGE_STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${esc(title)}</h1>`,
    `<p class="facts">${esc(facts(s))}</p>`,
    ...s.warnings.map((w) => `<p class="warning"><strong>Warning:</strong> ${esc(w)}</p>`),
    ...findingsHtml(input.findings),
    ...overallHtml(s),
    ...gradesHtml(s),
    ...ceilingHtml(s),
    ...chartsHtml(input),
    `<footer>Written by metabench from the run's result files · charts drawn with Apache ECharts, inlined.</footer>`,
    `<script type="application/json" id="chart-data">${jsonForScript(specs)}</script>`,
    `<script>${input.echartsScript}</script>`,
    `<script>${PAGE_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function facts(s: RunSummary): string {
  const m = s.manifest;
  return [`status ${s.status}`, m.profile && `profile ${m.profile}`, m.startedAt && `started ${m.startedAt}`, m.seed !== undefined && `seed ${m.seed}`, m.mode, m.host?.cpus !== undefined && `${m.host.cpus} CPUs`]
    .filter((x): x is string => typeof x === 'string' && x !== '')
    .join(' · ');
}

function findingsHtml(findings: readonly Finding[]): string[] {
  if (findings.length === 0) return [];
  return ['<section id="findings"><h2>Key findings</h2><ul>', ...findings.map((f) => `<li class="finding ${f.kind}">${esc(f.text)}</li>`), '</ul></section>'];
}

function overallHtml(s: RunSummary): string[] {
  const rows = s.targets.map((t) => {
    const why = t.ceiling ? "not graded: a no-op server, the load generator's ceiling" : (t.overall?.reason ?? t.error ?? 'no scenario finished');
    return `<tr><th scope="row">${esc(t.name)}</th><td>${esc(t.status)}</td><td>${gradeHtml(t.overall?.grade)}</td><td>${esc(why)}</td></tr>`;
  });
  return ['<section id="overall"><h2>Overall</h2><table><thead><tr><th>target</th><th>status</th><th>grade</th><th>why</th></tr></thead><tbody>', ...rows, '</tbody></table></section>'];
}

function gradesHtml(s: RunSummary): string[] {
  const targets = s.targets.filter((t) => s.scenarios.some((sc) => sc.results[t.name] !== undefined));
  if (targets.length === 0 || s.scenarios.length === 0) return [];
  const head = `<tr><th>scenario</th>${targets.map((t) => `<th>${esc(t.ceiling ? `${t.name} (ceiling)` : t.name)}</th>`).join('')}</tr>`;
  const rows = s.scenarios.map((sc) => `<tr><th scope="row">${esc(sc.name)}</th>${targets.map((t) => `<td>${cellHtml(sc.results[t.name], t.ceiling === true)}</td>`).join('')}</tr>`);
  return [
    '<section id="grades"><h2>Grades and results</h2>',
    '<p class="note">Grade · ops/s · p50 / p99 ms · errors · checks; client-bound cells are marked.</p>',
    `<table><thead>${head}</thead><tbody>`,
    ...rows,
    '</tbody></table></section>',
  ];
}

/** The load generator's ceiling per scenario, as report.md's table has it. */
function ceilingHtml(s: RunSummary): string[] {
  const rows = s.scenarios.flatMap((sc) => {
    const c = sc.ceiling;
    if (c === undefined) return [];
    const v = ceilingVerdict(sc.results);
    const verdict = v.atCeiling.length > 0 ? `<span class="cb">client-bound</span>: ${esc(v.text)}` : esc(v.text);
    return [`<tr><th scope="row">${esc(sc.name)}</th><td class="num">${esc(fmtOps(c.opsPerSec))}</td><td>${esc(c.fastest)}</td><td class="num">${esc(fmtOps(c.fastestOpsPerSec))}</td><td class="num">${esc(fmtCeilingRatio(c.ratio))}</td><td>${verdict}</td></tr>`];
  });
  if (rows.length === 0) return [];
  return [
    `<section id="ceiling"><h2>Load generator's ceiling</h2><p class="note">${esc(s.ceilingTarget ?? 'noop')} is a no-op server: its throughput is about the most the load generator drives on each scenario. A result is client-bound (${esc(CLIENT_BOUND_RULE)}) and marked; ceiling ÷ fastest is shown for information.</p>`,
    '<table><thead><tr><th>scenario</th><th>ceiling ops/s</th><th>fastest target</th><th>ops/s</th><th>ceiling ÷ fastest</th><th>verdict</th></tr></thead><tbody>',
    ...rows,
    '</tbody></table></section>',
  ];
}

function cellHtml(c: ScenarioCell | undefined, ceiling: boolean): string {
  if (c === undefined) return '—';
  const parts: string[] = [ceiling ? 'not graded (ceiling)' : gradeHtml(c.grade?.grade)];
  if (c.opsPerSec !== undefined) parts.push(`${esc(fmtOps(c.opsPerSec))} ops/s`);
  else parts.push(esc(c.status === 'queued' ? 'not run' : c.status));
  if (c.p99Ms !== undefined) parts.push(`${esc(fmtMs(c.p50Ms ?? 0, false))} / ${esc(fmtMs(c.p99Ms, false))} ms`);
  if (c.serverCpuUsPerOp !== undefined) parts.push(`server CPU ${esc(fmtCpuPerOp(c.serverCpuUsPerOp))}`);
  if (c.errors !== undefined) parts.push(c.errors === 0 ? '0 errors' : `<span class="bad">${esc(fmtCount(c.errors))} errors (${esc(fmtPercent(c.errorRate ?? 0))})</span>`);
  if (c.checks !== undefined && c.checks.total > 0) parts.push(c.checks.failed.length > 0 ? `<span class="bad">checks ✗ ${esc(c.checks.failed.join(', '))}</span>` : `checks ${c.checks.passed}/${c.checks.total} ✓`);
  const bound = clientBoundText(c);
  if (bound) parts.push(`<span class="cb">${esc(bound)}</span>`);
  const title = c.grade?.reason ?? c.error;
  return `<span${title ? ` title="${esc(title)}"` : ''}>${parts.join(' · ')}</span>`;
}

function gradeHtml(grade: string | undefined): string {
  if (grade === undefined) return '<span class="grade none">—</span>';
  return `<span class="grade g-${grade === 'A+' ? 'Aplus' : grade}">${esc(grade)}</span>`;
}

function chartsHtml(input: HtmlReportInput): string[] {
  if (input.charts.length === 0) return [];
  const out = ['<section id="charts"><h2>Charts</h2>'];
  const groups = [...new Set(input.charts.map((c) => c.scenario))];
  for (const scenario of groups) {
    out.push(`<h3>${esc(scenario ?? `Throughput relative to ${input.run.baseline?.name ?? 'the baseline'}`)}</h3><div class="chart-row">`);
    input.charts.forEach((c, i) => {
      if (c.scenario !== scenario) return;
      const fallback = input.svgs?.get(c.file) ?? '';
      out.push(`<figure><div class="chart" id="chart-${i + 1}" role="img" aria-label="${esc(c.title)}">${fallback}</div><figcaption><a href="${esc(c.file)}">${esc(c.file)}</a></figcaption></figure>`);
    });
    out.push('</div>');
    const sc = input.run.scenarios.find((x) => x.name === scenario);
    out.push(...tableHtml(scenario === undefined ? ratioTable(input.run) : sc && percentileTable(sc)));
  }
  out.push('</section>');
  return out;
}

function tableHtml(t: Table | undefined): string[] {
  if (t === undefined) return [];
  const td = (text: string, i: number) => `<td${t.numeric[i] ? ' class="num"' : ''}>${esc(text)}</td>`;
  return [`<table class="figures"><thead><tr>${t.head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>`, ...t.rows.map((r) => `<tr>${r.map(td).join('')}</tr>`), '</tbody></table>'];
}

/** JSON inside a `<script>` element: `<` escaped, so no `</script>` or `<!--` can appear. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Escapes text for HTML content and attribute values. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
