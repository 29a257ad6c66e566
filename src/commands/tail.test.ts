// `metabench tail`: prints a finished run and returns, follows a live run until every target has
// a run-end, and gives up on a run whose orchestrator is gone.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { startRun } from '../orchestrator/index.ts';
import { UsageError } from '../errors.ts';
import { buildManifest, writeManifest } from '../results/manifest.ts';
import { fakeRunOptions, tempDir } from '../testing/run-fixtures.ts';
import { tail } from './tail-action.ts';

describe('metabench tail', () => {
  let tmp: ReturnType<typeof tempDir>;
  before(() => (tmp = tempDir('tail')));
  after(() => tmp.remove());

  it('refuses a results folder without runs, and an unknown target', async () => {
    await assert.rejects(tail(undefined, { results: join(tmp.dir, 'none'), follow: true }, () => undefined), (e: Error) => e instanceof UsageError && /no runs in/.test(e.message));
    const run = await startRun(fakeRunOptions(tmp.dir, ['memory'], { FAKE_RUNNER_MODE: 'complete' }));
    await run.done;
    await assert.rejects(tail(run.runId, { results: tmp.dir, target: 'etcd', follow: true }, () => undefined), /--target: run .* has no target 'etcd' \(it has memory\)/);
  });

  it('says so and exits 1 when a target file is missing or empty', async () => {
    const run = await startRun(fakeRunOptions(tmp.dir, ['memory', 'rocksdb'], { FAKE_RUNNER_MODE: 'complete' }));
    await run.done;
    writeFileSync(join(run.runDir, 'memory.ndjson'), '');
    rmSync(join(run.runDir, 'rocksdb.ndjson'));
    const said: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => said.push(chunk) > 0) as typeof process.stderr.write;
    let code: number;
    try {
      code = await tail(run.runId, { results: tmp.dir, follow: false }, () => assert.fail('nothing to print'));
    } finally {
      process.stderr.write = write;
    }
    assert.equal(code, 1);
    assert.deepEqual(said, [`metabench tail: memory: ${join(run.runDir, 'memory.ndjson')} is empty (no events)\n`, `metabench tail: rocksdb: ${join(run.runDir, 'rocksdb.ndjson')} is missing\n`]);
  });

  it('prints a finished run as readable lines and returns', async () => {
    const run = await startRun(fakeRunOptions(tmp.dir, ['memory', 'rocksdb'], { FAKE_RUNNER_MODE_MEMORY: 'complete', FAKE_RUNNER_MODE_ROCKSDB: 'fail' }));
    await run.done;
    const lines: string[] = [];
    assert.equal(await tail(undefined, { results: tmp.dir, follow: true }, (l) => lines.push(l)), 0);
    assert.equal(lines.length, 10);
    const norm = lines.map((l) => l.replace(/^\d\d:\d\d:\d\d /, 'HH:MM:SS ').replace(/in \d+ ms/g, 'in N ms').replace(/after \d+ ms/g, 'after N ms'));
    assert.equal(norm[0], 'HH:MM:SS memory   run fake started: memory; profile quick, seed 1, scenarios s1');
    assert.equal(norm[3], 'HH:MM:SS memory   s1: passed in N ms, 2,000 ops/s, p99 2.0 ms, 0/10 errors, grade A');
    assert.match(norm[8], /rocksdb {2}s1: failed .* grade F \(fake\) — check failed: c: fake$/);
    assert.equal(norm[9], 'HH:MM:SS rocksdb  run completed after N ms');
    const onlyRocks: string[] = [];
    await tail(run.runId, { results: tmp.dir, target: 'rocksdb', follow: false }, (l) => onlyRocks.push(l));
    assert.equal(onlyRocks.length, 5);
  });

  it('follows a live run until every target has a run-end', async () => {
    const run = await startRun(fakeRunOptions(tmp.dir, ['memory'], { FAKE_RUNNER_MODE: 'hang' }));
    const lines: string[] = [];
    let stopped: Promise<void> | undefined;
    const code = await tail(run.runId, { results: tmp.dir, follow: true }, (l) => {
      lines.push(l);
      if (/s1: started/.test(l)) stopped = run.stop();
    });
    assert.equal(code, 0);
    await stopped;
    assert.match(lines.at(-1) ?? '', /run interrupted after/);
  });

  it('stops following a run whose orchestrator is gone', async () => {
    const dead = await execa(process.execPath, ['-e', 'console.log(process.pid)']);
    const runDir = join(tmp.dir, 'abandoned');
    mkdirSync(runDir);
    const manifest = buildManifest({ runId: 'abandoned', targets: [{ name: 'memory', kind: 'memory' }], profile: 'quick', scenarios: [], seed: 1, mode: 'sequential', micro: false });
    writeManifest(runDir, { ...manifest, orchestratorPid: Number(dead.stdout) });
    writeFileSync(join(runDir, 'memory.ndjson'), '{"v":1,"t":1,"target":"memory","kind":"log","level":"info","message":"hi"}\n');
    const lines: string[] = [];
    assert.equal(await tail(runDir, { results: tmp.dir, follow: true }, (l) => lines.push(l)), 1);
    assert.equal(lines.length, 1);
  });
});
