import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { chartList } from '../charts/chart-list.ts';
import { chartFixture, figures, hasNumber } from '../charts/test-fixture.ts';
import { keyFindings } from '../findings.ts';
import { writeVisualReports } from '../visual-reports.ts';
import { echartsScript, inlineSafe } from './echarts-script.ts';
import { esc, jsonForScript, renderHtml } from './render-html.ts';

const CHROMIUM = '/usr/bin/chromium';

describe('report.html', () => {
  it('is one self-contained page: findings, grades, every chart, ECharts inlined, nothing fetched', async () => {
    const { summary, charts } = chartFixture();
    const specs = chartList(charts);
    const html = renderHtml({ summary, findings: keyFindings(summary, charts), run: charts, charts: specs, echartsScript: await echartsScript() });
    assert.match(html, /^<!doctype html>/);
    assert.ok(html.includes('<h2>Key findings</h2>') && html.includes('memory fastest, 4,000 ops/s vs rocksdb 3,000 (1.3×).'));
    assert.ok(html.includes('<h2>Overall</h2>') && html.includes('<h2>Grades and results</h2>'));
    assert.equal((html.match(/<div class="chart" id="chart-\d+"/g) ?? []).length, specs.length);
    assert.ok(html.includes('echarts'), 'the library is inlined');
    // Nothing is loaded from elsewhere: no src/href to a script, style sheet or image.
    const scriptTags = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    assert.deepEqual(scriptTags, ['<script type="application/json" id="chart-data">', '<script>', '<script>']);
    const outsideScripts = html.replace(/(<script\b[^>]*>).*?<\/script>/gs, '$1</script>');
    assert.doesNotMatch(outsideScripts, /<link\b|<img\b|<iframe\b|@import|url\(|src=/i, 'the page outside its scripts loads nothing');
    const data = html.match(/<script type="application\/json" id="chart-data">(.*?)<\/script>/s);
    assert.ok(data, 'chart data element');
    const parsed = JSON.parse(data[1]) as { id: string; kind: string }[];
    assert.deepEqual(parsed.map((p) => p.kind), ['throughput', 'latency', 'throughput', 'latency', 'ratio']);
  });

  it('marks client-bound cells by the one rule and names the targets at the ceiling', () => {
    const { summary, charts } = chartFixture();
    const html = renderHtml({ summary, findings: [], run: charts, charts: [], echartsScript: '' });
    const marks = [...html.matchAll(/<span class="cb">([^<]*)<\/span>/g)].map((m) => m[1]);
    // memory at the ceiling on large-scale-load, rocksdb's runner at 95% on txn-throughput; the
    // ceiling table's verdict names memory only.
    assert.deepEqual(marks, ['client-bound (at ceiling 1.20×)', 'client-bound (runner CPU 95%)', 'client-bound']);
    assert.match(html, /<td class="num">1\.20×<\/td><td><span class="cb">client-bound<\/span>: memory at the ceiling \(&lt; 1\.25×\)<\/td>/);
    assert.match(html, /<td class="num">12\.50×<\/td><td>below the ceiling \(≥ 1\.25× every target\)<\/td>/);
  });

  it("states only figures that the page's tables print", async () => {
    const { summary, charts } = chartFixture();
    const findings = keyFindings(summary, charts);
    const html = renderHtml({ summary, findings, run: charts, charts: chartList(charts), echartsScript: '' });
    const tables = [...html.matchAll(/<table\b.*?<\/table>/gs)].map((m) => m[0].replace(/<[^>]+>/g, ' ')).join('\n');
    assert.ok(tables.includes('server CPU 380 µs/op') && tables.includes('p99.9 ms'));
    for (const f of findings) for (const n of figures(f.text)) assert.ok(hasNumber(tables, n), `${n} of "${f.text}" is in a table of the page`);
  });

  it('escapes names and keeps inline scripts from ending early', () => {
    assert.equal(esc(`<b a="1">&'`), '&lt;b a=&quot;1&quot;&gt;&amp;&#39;');
    assert.equal(jsonForScript({ x: '</script><!--' }), '{"x":"\\u003c/script>\\u003c!--"}');
    assert.equal(inlineSafe('a("</script>")'), 'a("<\\/script>")');
  });

  describe('in headless Chromium', { skip: !existsSync(CHROMIUM) && `${CHROMIUM} not installed (Debian chromium)` }, () => {
    let dir: string;
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'metabench-html-'));
    });
    after(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('draws every chart without a console message or error', async () => {
      const { summary, run, charts } = chartFixture();
      await writeVisualReports(dir, summary, run);
      const n = chartList(charts).length;
      const profile = await mkdtemp(join(tmpdir(), 'metabench-chromium-'));
      try {
        const { stdout, stderr } = await promisify(execFile)(
          CHROMIUM,
          [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            `--user-data-dir=${profile}`,
            // Console messages (any level) and uncaught errors go to stderr as `…:CONSOLE…` lines.
            '--enable-logging=stderr',
            '--v=0',
            '--virtual-time-budget=5000',
            '--dump-dom',
            pathToFileURL(join(dir, 'report.html')).href,
          ],
          { timeout: 180_000, maxBuffer: 64 * 1024 * 1024, killSignal: 'SIGKILL' },
        );
        const consoleLines = stderr.split('\n').filter((l) => l.includes(':CONSOLE'));
        assert.deepEqual(consoleLines, [], 'no console output');
        assert.match(stdout, new RegExp(`<html[^>]*data-charts-drawn="${n}"`), 'every chart drawn');
        assert.doesNotMatch(stdout, /data-chart-errors=/);
        // Each box holds the chart ECharts drew (its instance mark and one SVG), not the fallback.
        assert.equal((stdout.match(/_echarts_instance_=/g) ?? []).length, n);
        assert.equal((stdout.match(/<svg\b/g) ?? []).length, n);
        assert.ok(stdout.includes('large-scale-load — throughput over time'));
      } finally {
        await rm(profile, { recursive: true, force: true });
      }
    });
  });

  it('is written next to the charts it links', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'metabench-html-'));
    try {
      const { summary, run } = chartFixture();
      const written = await writeVisualReports(dir, summary, run);
      assert.deepEqual(written.files.sort(), ['charts/large-scale-load.latency.svg', 'charts/large-scale-load.throughput.svg', 'charts/ratio.svg', 'charts/txn-throughput.latency.svg', 'charts/txn-throughput.throughput.svg', 'report.html']);
      const html = await readFile(join(dir, 'report.html'), 'utf8');
      for (const f of written.files.filter((x) => x.endsWith('.svg'))) assert.ok(html.includes(`href="${f}"`), f);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
