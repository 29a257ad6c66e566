import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { reportText } from '../commands/report.ts';
import { chartFixture, writeChartFixture } from './charts/test-fixture.ts';
import { writeVisualReports } from './visual-reports.ts';

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'metabench-visuals-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('reports with pictures', () => {
  it('`report --format html` writes report.html, the charts and report.md, and prints the page’s path', async () => {
    const dir = await writeChartFixture(root);
    const printed = await reportText({ run: dir, format: 'html', resultsDir: dirname(dir) });
    assert.equal(printed, `${join(dir, 'report.html')}\n`);
    assert.ok(existsSync(join(dir, 'report.html')));
    const md = await readFile(join(dir, 'report.md'), 'utf8');
    // Key findings right under the title (and any warnings), before the manifest table.
    assert.match(md, /^# metabench report — charts-fixture\n\n## Key findings\n\n- large-scale-load: memory fastest/);
    const links = [...md.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
    assert.equal(links.length, 5);
    for (const l of links) assert.ok(existsSync(join(dir, l)), `${l} exists`);
    assert.ok(md.includes('[report.html](report.html)'));
    // The printed report.md is the written one.
    assert.equal(await reportText({ run: dir, format: 'md', resultsDir: dirname(dir) }), md);
  });
});

describe('a chart that cannot be written', () => {
  it('becomes a line of report.md; the findings stay', async () => {
    const dir = join(root, 'blocked');
    await mkdir(dir, { recursive: true });
    // A file where the charts folder should be: every SVG write fails.
    await writeFile(join(dir, 'charts'), 'not a folder');
    const { summary, run } = chartFixture();
    const out = await writeVisualReports(dir, summary, run);
    assert.deepEqual(out.files, []);
    assert.equal(out.markdown.top[0], '## Key findings');
    assert.match(out.markdown.bottom.join('\n'), /^## Charts\n\nThe charts could not be drawn or written: .*charts/);
  });
});
