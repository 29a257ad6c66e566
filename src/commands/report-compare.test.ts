import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import { UsageError } from '../errors.ts';
import { RunUnfinishedError } from '../state/load-run.ts';
import { fixtureRun } from '../report/test-fixtures.ts';
import { compareCommand, parseCompareOptions } from './compare.ts';
import { parseReportOptions, reportText } from './report.ts';

const BIN = resolve(import.meta.dirname, '../bin/metabench.js');
let results: string;

before(async () => {
  results = await mkdtemp(join(tmpdir(), 'metabench-cmd-'));
  await fixtureRun(results, { runId: 'base' });
  await fixtureRun(results, { runId: 'slower', speed: { memory: 0.8 } });
  await fixtureRun(results, { runId: 'other-params', params: { 'large-scale-load': { clients: 50, opsPerClient: 100 } } });
  await fixtureRun(results, { runId: 'running', unfinished: ['etcd'] });
  await symlink('base', join(results, 'latest'));
});
after(async () => {
  await rm(results, { recursive: true, force: true });
});

function cli(...args: string[]) {
  return execa(process.execPath, [BIN, ...args, '--results', results], { reject: false, timeout: 60_000 });
}

describe('metabench report', () => {
  it('validates its flags', () => {
    assert.deepEqual(parseReportOptions(undefined, { format: 'json', results: 'r' }), { run: undefined, format: 'json', resultsDir: 'r' });
    assert.throws(() => parseReportOptions('x', { format: 'pdf', results: 'r' }), { message: "report: --format must be md, json or html, got 'pdf'" });
  });

  it('regenerates a missing report, then prints the stored one; default run is the newest', async () => {
    const md = await reportText({ format: 'md', resultsDir: results });
    assert.match(md, /^# metabench report — base\n/);
    assert.equal(await readFile(join(results, 'base', 'report.md'), 'utf8'), md);
    const json = JSON.parse(await reportText({ run: join(results, 'base'), format: 'json', resultsDir: 'elsewhere' })) as { runId: string };
    assert.equal(json.runId, 'base');
  });

  it('refuses an unfinished run and a missing one', async () => {
    await assert.rejects(reportText({ run: 'running', format: 'md', resultsDir: results }), (e: unknown) => e instanceof RunUnfinishedError && /^run running is not finished: no run-end from etcd/.test(e.message));
    await assert.rejects(reportText({ run: 'nope', format: 'md', resultsDir: results }), (e: unknown) => e instanceof UsageError && e.message === `run 'nope' not found: no folder nope nor ${join(results, 'nope')}`);
  });
});

describe('metabench compare', () => {
  it('validates its flags', () => {
    assert.equal(parseCompareOptions('a', 'b', { threshold: '2.5', format: 'text', results: 'r' }).thresholdPct, 2.5);
    for (const bad of ['-1', 'five', '', '1e3']) {
      assert.throws(() => parseCompareOptions('a', 'b', { threshold: bad, format: 'text', results: 'r' }), { message: `compare: --threshold must be a percentage ≥ 0 (e.g. 5), got '${bad}'` });
    }
    assert.throws(() => parseCompareOptions('a', 'b', { threshold: '5', format: 'yaml', results: 'r' }), /--format must be text or json/);
  });

  it('compares two finished runs by id', async () => {
    const c = await compareCommand(parseCompareOptions('base', 'slower', { threshold: '5', format: 'text', results }));
    assert.equal(c.regressions, 2);
    assert.deepEqual(c.rows.filter((r) => r.verdict === 'regression').map((r) => `${r.scenario}/${r.target}`), ['large-scale-load/memory', 'txn-throughput/memory']);
  });

  it('exits 1 on a regression only with --fail-on-regression', async () => {
    const plain = await cli('compare', 'base', 'slower');
    assert.equal(plain.exitCode, 0, plain.stderr);
    assert.match(plain.stdout, /2 regressions, 0 improvements, 2 within noise/);
    const failing = await cli('compare', 'base', 'slower', '--fail-on-regression');
    assert.equal(failing.exitCode, 1);
    const wide = await cli('compare', 'base', 'slower', '--fail-on-regression', '--threshold', '25', '--format', 'json');
    assert.equal(wide.exitCode, 0, wide.stderr);
    assert.equal((JSON.parse(wide.stdout) as { regressions: number }).regressions, 0);
  });

  it('refuses different experiments (exit 2) and unfinished runs (exit 1) in one line', async () => {
    const mismatch = await cli('compare', 'base', 'other-params');
    assert.equal(mismatch.exitCode, 2);
    assert.equal(mismatch.stdout, '');
    assert.equal(mismatch.stderr, 'metabench: runs differ in scenario large-scale-load: clients is 10 in base but 50 in other-params; refusing to compare different experiments');
    const unfinished = await cli('compare', 'base', 'running');
    assert.equal(unfinished.exitCode, 1);
    assert.match(unfinished.stderr, /^metabench: run running is not finished: no run-end from etcd [^\n]*$/);
  });

  it('report exits 1 on an unfinished run and 2 on a missing one', async () => {
    const unfinished = await cli('report', 'running');
    assert.equal(unfinished.exitCode, 1);
    assert.match(unfinished.stderr, /^metabench: run running is not finished: no run-end from etcd [^\n]*$/);
    const missing = await cli('report', 'nope');
    assert.equal(missing.exitCode, 2);
    await unlink(join(results, 'latest'));
    const none = await cli('report');
    assert.equal(none.exitCode, 2);
    assert.match(none.stderr, /no runs in .* start one with 'metabench run'/);
    const aFile = `${results}.a-file`;
    await writeFile(aFile, '{}');
    try {
      const file = await execa(process.execPath, [BIN, 'report', '--results', aFile], { reject: false, timeout: 60_000 });
      assert.equal(file.exitCode, 2);
      assert.equal(file.stderr, `metabench: --results: '${aFile}' is a file, not a folder of runs`);
    } finally {
      await rm(aFile);
    }
  });
});

describe('metabench run --fail-under', () => {
  it('refuses a bad grade in one line, before any run starts (exit 2)', async () => {
    const bad = await cli('run', '--targets', 'memory', '--fail-under', 'E');
    assert.equal(bad.exitCode, 2);
    assert.equal(bad.stderr, "metabench: --fail-under: 'E' is not a grade; expected one of A+, A, B, C, D");
    assert.deepEqual((await readdir(results)).filter((f) => !['base', 'slower', 'other-params', 'running'].includes(f)), []);
  });
});

