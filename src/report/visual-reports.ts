/**
 * The pictures of a run's report: the SVG charts under `charts/`, `report.html`, and the lines
 * report.md gets from them (key findings on top, the charts section at the end). Written with
 * summary.json and report.md by `writeReports`; `metabench report --format html` writes them on
 * demand. A chart that cannot be drawn or written never costs the run its summary or report.md:
 * the failure becomes a line of report.md instead.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { chartRun, type RunEnds } from './charts/chart-data.ts';
import { chartList, type ChartSpec } from './charts/chart-list.ts';
import { chartsMarkdown, findingsMarkdown, HTML_REPORT_FILE, type MarkdownSections } from './charts/markdown-section.ts';
import type { RunSummary } from './charts/run-inputs.ts';
import { keyFindings } from './findings.ts';
import { echartsScript } from './html/echarts-script.ts';
import { renderHtml } from './html/render-html.ts';

export { HTML_REPORT_FILE, type MarkdownSections } from './charts/markdown-section.ts';

/** What `writeVisualReports` wrote. */
export interface VisualReports {
  markdown: MarkdownSections;
  /** Paths written, relative to the run folder (`charts/….svg`, `report.html`). */
  files: string[];
}

/**
 * report.md's lines from the pictures, without drawing them: for printing a report whose
 * charts are (or will be) in the run folder. Pure.
 */
export function markdownVisuals(summary: RunSummary, run: RunEnds): MarkdownSections {
  const charts = chartRun(summary, run);
  return { top: findingsMarkdown(keyFindings(summary, charts)), bottom: chartsMarkdown(charts, chartList(charts)) };
}

/** Draws every chart, writes them and report.html into `runDir`, and returns report.md's lines. */
export async function writeVisualReports(runDir: string, summary: RunSummary, run: RunEnds): Promise<VisualReports> {
  const charts = chartRun(summary, run);
  const findings = keyFindings(summary, charts);
  const specs = chartList(charts);
  const top = findingsMarkdown(findings);
  try {
    const svgs = await drawAll(specs);
    for (const [file, svg] of svgs) await writeAtomic(join(runDir, file), svg);
    await writeAtomic(join(runDir, HTML_REPORT_FILE), renderHtml({ summary, findings, run: charts, charts: specs, svgs, echartsScript: await echartsScript() }));
    return { markdown: { top, bottom: chartsMarkdown(charts, specs) }, files: [...svgs.keys(), HTML_REPORT_FILE] };
  } catch (err) {
    // The pictures depend on a third-party library's behaviour on our data and on more files
    // written: report.md (written after this) says what failed instead of going missing too.
    return { markdown: { top, bottom: ['## Charts', '', `The charts could not be drawn or written: ${(err as Error).message}`, ''] }, files: [] };
  }
}

async function drawAll(specs: readonly ChartSpec[]): Promise<Map<string, string>> {
  // Loaded here, not at the top: ECharts is only needed once a run ends, never by `tail` or `monitor`.
  const { renderSvg } = await import('./charts/render-svg.ts');
  return new Map(specs.map((c) => [c.file, renderSvg(c.option)]));
}

async function writeAtomic(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}
