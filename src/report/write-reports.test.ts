import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RunNotFoundError } from '../results/locate-run.ts';
import { loadRun } from '../state/load-run.ts';
import { buildSummary, type RunSummary, type SummaryOptions } from '../views/summary.ts';
import { fixtureRun } from './test-fixtures.ts';
import { writeReports } from './write-reports.ts';

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'metabench-report-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Rebuilds a run's summary from its files and writes its reports, as `metabench report` does. */
async function writeFrom(dir: string, opts: SummaryOptions = {}): Promise<RunSummary> {
  const run = await loadRun(dir);
  const summary = buildSummary(run, opts);
  await writeReports(dir, summary, run.state);
  return summary;
}

describe('writeReports', () => {
  it('writes summary.json and report.md side by side with ratios to etcd', async () => {
    const dir = await fixtureRun(root, { runId: 'run-a', targets: ['memory', 'rocksdb', 'etcd'], speed: { memory: 2, rocksdb: 0.5 }, slowness: { memory: 0.5, rocksdb: 2 }, micro: true });
    const returned = await writeFrom(dir);
    const summary = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8')) as RunSummary;
    assert.deepEqual(summary, JSON.parse(JSON.stringify(returned)));
    assert.equal(summary.status, 'completed');
    assert.equal(summary.baseline, 'etcd');
    assert.deepEqual(summary.targets.map((t) => [t.name, t.status, t.overall?.grade]), [
      ['memory', 'completed', 'A'],
      ['rocksdb', 'completed', 'C'],
      ['etcd', 'completed', 'B'],
    ]);
    const large = summary.scenarios.find((s) => s.name === 'large-scale-load');
    assert.ok(large);
    assert.deepEqual(large.params, { workload: 'put-get', clients: 10, opsPerClient: 100 });
    const mem = large.results.memory;
    assert.equal(mem.opsPerSec, 4000);
    assert.equal(mem.p99Ms, 20);
    assert.equal(mem.latencyOp, 'put');
    assert.deepEqual(mem.vsEtcd, { opsPerSec: 2, p99: 0.5 });
    assert.deepEqual(large.results.rocksdb.vsEtcd, { opsPerSec: 0.5, p99: 2 });
    assert.equal(large.results.etcd.vsEtcd, undefined);
    assert.deepEqual(mem.checks, { passed: 1, total: 1, failed: [] });
    // The runner left the grade out: the report grades with the same rubric.
    assert.equal(mem.grade?.reason, 'A+: every SLO met, weakest throughput 8.0×; 0 errors, p99 20 ms ≤ 200 ms, 4,000 ops/s = 8.0× floor');
    assert.deepEqual(summary.micro.engines, ['memory', 'rocksdb']);
    assert.deepEqual(summary.micro.rows.map((r) => [r.case, Object.keys(r.results)]), [
      ['put', ['memory', 'rocksdb']],
      ['get-hit', ['memory']],
    ]);
    assert.deepEqual(summary.warnings, []);

    const md = await readFile(join(dir, 'report.md'), 'utf8');
    assert.match(md, /^# metabench report — run-a\n/);
    assert.match(md, /\| Mode \| sequential \(one target at a time\) \|/);
    assert.match(md, /\| Seed \| 42 \|/);
    assert.match(md, /\| Host \| 2 CPUs, Fixture CPU, 8\.0 GiB RAM, linux 6\.1\.0 x64 \|/);
    assert.match(md, /\| Targets \| memory, rocksdb, etcd 3\.4\.23 \|/);
    assert.match(md, /\| large-scale-load \| 4,000 · 5\.0 \/ 20 · 2\.0× \/ 0\.50× etcd \| 1,000 · 20 \/ 80 · 0\.50× \/ 2\.0× etcd \| 2,000 · 10 \/ 40 \|/);
    assert.match(md, /\| txn-throughput \| \*\*A\*\* · 0 errors · checks 1\/1 ✓ \| \*\*C\*\* · 0 errors · checks 1\/1 ✓ \| \*\*B\*\* · 0 errors · checks 1\/1 ✓ \|/);
    assert.match(md, /- \*\*large-scale-load\*\* on \*\*rocksdb\*\*: B: every SLO met, weakest throughput 2\.0×; 0 errors, p99 80 ms ≤ 200 ms, 1,000 ops\/s = 2\.0× floor/);
    assert.match(md, /## SLOs used/);
    assert.match(md, /\| large-scale-load \| rocksdb \| 1% \| 200 ms \| 500 \|/);
    assert.match(md, /## Micro-benchmarks/);
    assert.match(md, /\| put \| 200,000 \| 5\.00 µs \| 15\.0 µs \| 50,000 \| 20\.0 µs \| 60\.0 µs \|/);
    assert.match(md, /\| get-hit \| 1,000,000 \| 1\.00 µs \| 3\.00 µs \| — \| — \| — \|/);
    assert.doesNotMatch(md, /Warning/);
    // No temp files left behind.
    assert.deepEqual((await readdir(dir)).sort(), ['charts', 'etcd.ndjson', 'memory.ndjson', 'report.html', 'report.md', 'rocksdb.ndjson', 'run.json', 'summary.json']);
    assert.ok((await readdir(join(dir, 'charts'))).every((f) => f.endsWith('.svg')));
  });

  it('keeps a grade the runner wrote and grades failed checks F', async () => {
    const dir = await fixtureRun(root, {
      runId: 'run-grades',
      endOver: {
        'memory/large-scale-load': { grade: { grade: 'B', reason: 'B: from the runner' } },
        'memory/txn-throughput': { status: 'failed', checks: [{ name: 'counters', ok: false, detail: 'final 99 != 100' }] },
      },
    });
    const s = await writeFrom(dir);
    const cells = s.scenarios.map((x) => x.results.memory);
    assert.deepEqual(cells.map((c) => c.grade), [
      { grade: 'B', reason: 'B: from the runner' },
      { grade: 'F', reason: 'F: check counters failed (final 99 != 100)' },
    ]);
    assert.deepEqual(cells[1].checks, { passed: 0, total: 1, failed: ['counters'] });
    assert.equal(s.targets[0].overall?.grade, 'F');
    assert.equal(s.scenarios[1].results.memory.vsEtcd?.opsPerSec, 1);
    assert.match(await readFile(join(dir, 'report.md'), 'utf8'), /\| txn-throughput \| \*\*F\*\* · failed · 0 errors · checks 0\/1 ✗ counters \|/);
  });

  it('marks a parallel run with a warning', async () => {
    const dir = await fixtureRun(root, { runId: 'run-parallel', mode: 'parallel' });
    const s = await writeFrom(dir);
    assert.equal(s.manifest.mode, 'parallel');
    assert.match(s.warnings[0], /^Targets ran in parallel on one machine/);
    assert.match(await readFile(join(dir, 'report.md'), 'utf8'), /> \*\*Warning:\*\* Targets ran in parallel/);
  });

  it('reports an interrupted run: cut-off scenario F, queued ones not run', async () => {
    const dir = await fixtureRun(root, { runId: 'run-int', targets: ['memory', 'rocksdb'], interrupted: ['memory'], unfinished: ['rocksdb'] });
    await appendFile(join(dir, 'rocksdb.ndjson'), '{"v":1,"t":1,"tar');
    const s = await writeFrom(dir, { interrupted: true });
    assert.equal(s.status, 'interrupted');
    assert.deepEqual(s.targets.map((t) => t.status), ['interrupted', 'interrupted']);
    const txn = s.scenarios[1];
    assert.equal(txn.results.memory.status, 'aborted');
    assert.equal(txn.results.memory.grade?.grade, 'F');
    assert.equal(txn.results.memory.grade?.reason, 'F: scenario aborted before completion: interrupted by SIGINT');
    assert.equal(txn.results.rocksdb.status, 'queued');
    assert.equal(s.targets[0].overall?.grade, 'F');
    assert.match(s.warnings[0], /^Interrupted run \(memory, rocksdb\)/);
    assert.match(s.warnings[1], /rocksdb\.ndjson: last line is incomplete \(17 bytes\), skipped/);
    const md = await readFile(join(dir, 'report.md'), 'utf8');
    assert.match(md, /\| txn-throughput \| aborted \| not run \|/);
    assert.match(md, /\| txn-throughput \| \*\*F\*\* · aborted \| not run \|/);
  });

  it('calls a run without run-end unfinished unless told it was interrupted', async () => {
    const dir = await fixtureRun(root, { runId: 'run-unfinished', unfinished: ['etcd'] });
    const s = await writeFrom(dir);
    assert.equal(s.status, 'unfinished');
    assert.equal(s.targets[1].status, 'running');
    assert.match(s.warnings[0], /^Unfinished run: etcd wrote no run-end yet/);
  });

  it('refuses a folder that is not a run, and names a bad line', async () => {
    await assert.rejects(writeFrom(join(root, 'nope')), (e: unknown) => e instanceof RunNotFoundError && /nope: not a metabench run folder \(no run.json there\)/.test(e.message));
    const dir = await fixtureRun(root, { runId: 'run-bad-line' });
    await appendFile(join(dir, 'memory.ndjson'), '{"v":1}\n');
    await assert.rejects(writeFrom(dir), /memory\.ndjson:\d+: invalid event at/);
  });
});
