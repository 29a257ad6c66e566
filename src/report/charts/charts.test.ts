import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ChartRun } from './chart-data.ts';
import { chartList, type ChartSpec } from './chart-list.ts';
import { LATENCY_AXES } from './latency-chart.ts';
import { countColour, countVisible, decodePng } from './png-pixels.ts';
import { ratioAxes } from './ratio-chart.ts';
import { renderSvg } from './render-svg.ts';
import { chartFixture } from './test-fixture.ts';
import { THROUGHPUT_AXES } from './throughput-chart.ts';

/** Every `<text>` of an SVG, entities decoded. */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((m) => m[1].replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
}

/** Vertex counts of the unfilled paths (lines) stroked in `colour`, longest first. */
function lines(svg: string, colour: string): number[] {
  return [...svg.matchAll(/<path d="(M[^"]*)" fill="none"[^>]*stroke="([^"]+)"/g)]
    .filter((m) => m[2] === colour)
    .map((m) => (m[1].match(/[ML]/g) ?? []).length)
    .sort((a, b) => b - a);
}

const { charts } = chartFixture();
const specs = chartList(charts);
const svgOf = (file: string): string => renderSvg(specs.find((c) => c.file === file)!.option);
const colourOf = (run: ChartRun, name: string): string => run.targets.find((t) => t.name === name)!.colour;

describe('charts of a run', () => {
  it('lists per scenario a throughput and a latency chart, then one ratio chart', () => {
    assert.deepEqual(
      specs.map((c: ChartSpec) => c.file),
      ['charts/large-scale-load.throughput.svg', 'charts/large-scale-load.latency.svg', 'charts/txn-throughput.throughput.svg', 'charts/txn-throughput.latency.svg', 'charts/ratio.svg'],
    );
  });

  it('throughput: the scenario named, axes with units, one line per target (not the noop ceiling) in its colour', () => {
    const svg = svgOf('charts/large-scale-load.throughput.svg');
    const t = texts(svg);
    assert.ok(t.includes('large-scale-load — throughput over time'), 'title names the scenario');
    assert.ok(t.includes(THROUGHPUT_AXES.x) && t.includes(THROUGHPUT_AXES.y), 'axis titles');
    assert.match(THROUGHPUT_AXES.x, /\(s\)$/);
    assert.match(THROUGHPUT_AXES.y, /\(ops\/s\)$/);
    for (const name of ['memory', 'rocksdb', 'etcd']) assert.ok(t.includes(name), `legend entry ${name}`);
    assert.ok(!t.includes('noop'), 'the ceiling target is not drawn');
    // One line per target, with one vertex per whole 1 s window (memory's 300 ms partial one left off).
    assert.equal(lines(svg, colourOf(charts, 'memory'))[0], 4);
    assert.equal(lines(svg, colourOf(charts, 'rocksdb'))[0], 5);
    assert.equal(lines(svg, colourOf(charts, 'etcd'))[0], 6);
    assert.equal(new Set(charts.targets.map((x) => x.colour)).size, 3, 'distinct colours');
  });

  it('latency: p50 … max on a log axis, one curve of the headline operation per target', () => {
    const svg = svgOf('charts/txn-throughput.latency.svg');
    const t = texts(svg);
    assert.ok(t.includes('txn-throughput — latency percentiles'));
    assert.ok(t.includes(LATENCY_AXES.x) && t.includes(LATENCY_AXES.y));
    assert.match(LATENCY_AXES.y, /\(ms, log scale\)/);
    for (const p of ['p50', 'p90', 'p99', 'p99.9', 'max']) assert.ok(t.includes(p), `category ${p}`);
    assert.ok(t.includes('operation type: put'));
    // Log ticks: powers of ten.
    assert.ok(t.includes('1') && t.includes('10') && t.includes('100'), `log ticks in ${t.join('|')}`);
    for (const name of ['memory', 'rocksdb', 'etcd']) assert.equal(lines(svg, colourOf(charts, name))[0], 5, name);
  });

  it('ratio: bars of each target ÷ etcd per scenario, the client-bound ones labelled, a 1× line', () => {
    const svg = svgOf('charts/ratio.svg');
    const t = texts(svg);
    assert.ok(t.includes(ratioAxes('etcd').y) && t.includes('scenario'));
    assert.ok(t.includes('large-scale-load') && t.includes('txn-throughput'));
    // memory reached the ceiling on large-scale-load, rocksdb's runner was at 95% CPU on
    // txn-throughput: both marked cb; rocksdb 1.6× below the ceiling with CPU to spare is not.
    assert.deepEqual(
      t.filter((x) => /×( cb)?$/.test(x) && !x.includes('=')),
      ['2.0× cb', '2.0×', '1.5×', '0.92× cb'],
    );
    assert.ok(t.some((x) => x.includes('hollow bars marked cb: client-bound')), 'the subtitle says what the mark means');
    assert.ok(t.includes('etcd = 1×'));
    assert.deepEqual(charts.ratios.map((r) => [r.scenario, r.target, r.clientBound]), [
      ['large-scale-load', 'memory', true],
      ['large-scale-load', 'rocksdb', false],
      ['txn-throughput', 'memory', false],
      ['txn-throughput', 'rocksdb', true],
    ]);
  });

  it('draws a spread as a filled band when the input carries one (for repeats)', () => {
    const sc = structuredClone(charts.scenarios[0]);
    for (const l of sc.throughput) for (const p of l.points) p.spread = { min: p.opsPerSec * 0.9, max: p.opsPerSec * 1.1 };
    const spread = chartList({ ...charts, scenarios: [sc], ratios: [] })[0];
    const svg = renderSvg(spread.option);
    assert.match(svg, /<path d="M[^"]*Z" fill="rgb\(6,182,212\)" fill-opacity="0\.1\d*"/, "memory's band: a closed area in its colour, translucent");
    assert.equal(texts(svg).filter((x) => x === 'memory').length, 1, 'one legend entry for line and band');
  });
});

describe('a chart as PNG (rsvg-convert)', { skip: !hasRsvg() && 'rsvg-convert not installed (Debian librsvg2-bin)' }, () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'metabench-charts-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is not blank: it has the targets’ colours, where an empty chart has none', async () => {
    const svg = svgOf('charts/large-scale-load.throughput.svg');
    const blank = renderSvg({ ...specs[0].option, series: [], legend: { show: false } });
    const drawn = await toPng(dir, 'drawn', svg);
    const empty = await toPng(dir, 'blank', blank);
    assert.equal(drawn.width, 760);
    assert.equal(drawn.height, 380);
    assert.ok(countVisible(drawn) > 2000, 'some pixels are drawn');
    for (const name of ['memory', 'rocksdb', 'etcd']) {
      const hex = colourOf(charts, name);
      assert.ok(countColour(drawn, hex) > 100, `${name}'s line (${hex}) is in the picture`);
      assert.equal(countColour(empty, hex), 0, `no ${name} colour in an empty chart`);
    }
  });
});

function hasRsvg(): boolean {
  return ['/usr/bin/rsvg-convert', '/usr/local/bin/rsvg-convert'].some((p) => existsSync(p));
}

async function toPng(dir: string, name: string, svg: string) {
  const svgPath = join(dir, `${name}.svg`);
  const pngPath = join(dir, `${name}.png`);
  await writeFile(svgPath, svg);
  execFileSync('rsvg-convert', ['-o', pngPath, svgPath], { timeout: 60_000 });
  return decodePng(await readFile(pngPath));
}
