// bench:compare: flags, the goal table of an existing run (--run) and the goal rules.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import { buildSummary, type RunSummary } from '../views/summary.ts';
import { fixtureLoadedRun, fixtureRun } from '../report/test-fixtures.ts';
import { evaluateGoals, main, parseCompareBenchArgs } from './compare-bench.ts';

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'metabench-bench-compare-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

async function capture(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, (s) => (out += s), (s) => (err += s));
  return { code, out, err };
}

// Fixture base figures: large-scale-load 2,000 ops/s, txn-throughput 1,000 ops/s, times `speed`.
const TARGETS = ['memory', 'rocksdb', 'etcd', 'noop'];

describe('bench:compare --run', () => {
  it("prints issue 12's goals: measured ratio, goal, met / not met, the runner's CPU and the client-bound mark", async () => {
    // large-scale-load: memory 3,000, rocksdb 1,800, etcd 2,000, noop 8,000 (4× etcd); memory's
    // runner at 95% of a core. txn-throughput: memory 1,500, rocksdb 900, etcd 1,000, noop 1,700
    // (1.70× etcd, and 1.13× memory: memory reached the ceiling).
    const dir = await fixtureRun(root, {
      runId: 'goals',
      targets: TARGETS,
      speed: { memory: 1.5, rocksdb: 0.9, noop: 4 },
      endOver: {
        'memory/large-scale-load': { extra: { runnerCpuPercent: 95, runnerCpuUsPerOp: 40 } },
        'etcd/large-scale-load': { extra: { runnerCpuPercent: 30.4, runnerCpuUsPerOp: 61 } },
        'noop/txn-throughput': { opsPerSec: 1700 },
      },
    });
    const { code, out, err } = await capture(['--run', dir]);
    assert.equal(err, '');
    assert.equal(code, 0);
    const line = (re: RegExp) => out.split('\n').find((l) => re.test(l)) ?? assert.fail(`no line ${re} in\n${out}`);
    assert.match(out, /^bench:compare — run goals \(completed, profile quick, sequential; targets memory completed, rocksdb completed, etcd completed, noop completed\)\nload average now /);
    assert.match(out, /^scenario\s+figure\s+measured\s+goal\s+result\s+runner CPU \(per op, % core\)\s+client-bound\s+note$/m);
    // 3,000 vs 2,000 = exactly the 1.5× goal: met; memory's runner at 95%: client-bound.
    assert.match(line(/^large-scale-load\s+memory ÷ etcd/), /1\.50× \(3,000 vs 2,000\)\s+≥ 1\.5×\s+met\s+memory 40 µs\/op 95%, etcd 61 µs\/op 30%\s+memory \(runner CPU 95%\)$/);
    // rocksdb 2.2× below the ceiling, its runner figures absent: neither mark.
    assert.match(line(/^large-scale-load\s+rocksdb ÷ etcd/), /0\.90× \(1,800 vs 2,000\)\s+≥ 1\.0×\s+NOT MET\s+rocksdb —, etcd 61 µs\/op 30%$/);
    // memory within 1.25× of noop on txn: at the ceiling.
    assert.match(line(/^txn-throughput\s+memory ÷ etcd/), /1\.50× \(1,500 vs 1,000\)\s+≥ 2\.0×\s+NOT MET\s+memory —, etcd —\s+memory \(at ceiling 1\.13×\)$/);
    assert.match(line(/^txn-throughput\s+rocksdb ÷ etcd/), /0\.90× \(900 vs 1,000\)\s+≥ 2\.0×\s+NOT MET\s+rocksdb —, etcd —$/);
    assert.match(line(/^mixed-workload\s+memory ÷ etcd/), /—\s+≥ 1\.2×\s+n\/a\s+scenario not in this run$/);
    assert.match(line(/^watch-scalability\s+memory delivery p99/), /—\s+≤ etcd\s+n\/a\s+scenario not in this run$/);
    // The ceiling goal is against etcd; noop ÷ fastest stays as information.
    assert.match(line(/^large-scale-load\s+noop ÷ etcd/), /4\.00× \(8,000 vs 2,000\)\s+≥ 2\.5× etcd\s+met\s+noop —, etcd 61 µs\/op 30%\s+noop ÷ fastest 2\.66× \(memory 3,000\)$/);
    assert.match(line(/^txn-throughput\s+noop ÷ etcd/), /1\.70× \(1,700 vs 1,000\)\s+≥ 2\.5× etcd\s+NOT MET\s+noop —, etcd —\s+noop ÷ fastest 1\.13× \(memory 1,500\)$/);
    assert.match(out, /\n2 of 6 goals met, 6 not judged\nclient-bound: within 1\.25× of the no-op ceiling, or runner CPU ≥ 90% of a core/);
    assert.doesNotMatch(out, /≥ 3×/);
  });

  it('judges the ceiling goal as n/a without etcd or without a noop target', () => {
    const noEtcd = evaluateGoals(buildSummary(fixtureLoadedRun({ runId: 'x', targets: ['memory', 'noop'], speed: { noop: 4 } })));
    const ceiling = noEtcd.filter((r) => r.what === 'noop ÷ etcd ops/s');
    assert.equal(ceiling.length, 2);
    for (const r of ceiling) assert.equal(r.met, undefined);
    assert.match(ceiling[0].note ?? '', /etcd: not in this run/);
    const noNoop = evaluateGoals(buildSummary(fixtureLoadedRun({ runId: 'y', targets: ['memory', 'etcd'] })));
    assert.deepEqual(noNoop.at(-1), { scenario: '(every scenario)', what: 'noop ÷ etcd ops/s', measured: '—', goal: '≥ 2.5× etcd', note: 'no noop target finished in this run' });
  });

  it('exits 1 for a run that did not complete, 2 for a folder that is not a run', async () => {
    const dir = await fixtureRun(root, { runId: 'cut', targets: TARGETS, interrupted: ['rocksdb'] });
    const cut = await capture(['--run', dir]);
    assert.equal(cut.code, 1);
    assert.match(cut.out, /run cut \(interrupted/);
    const none = await capture(['--run', join(root, 'nope')]);
    assert.equal(none.code, 2);
    assert.match(none.err, /^bench:compare: --run: '.*nope' is not a run folder \(no run\.json there\)\n$/);
  });

  it('reads summary.json when the run wrote one', async () => {
    const dir = await fixtureRun(root, { runId: 'stored', targets: ['memory', 'etcd'] });
    const s = buildSummary(fixtureLoadedRun({ runId: 'stored', targets: ['memory', 'etcd'], speed: { memory: 3 } }));
    await writeFile(join(dir, 'summary.json'), JSON.stringify(s));
    assert.match((await capture(['--run', dir])).out, /large-scale-load\s+memory ÷ etcd ops\/s\s+3\.00×/);
  });
});

describe('bench:compare flags', () => {
  const bad: Array<[string[], RegExp]> = [
    [['--bogus'], /Unknown option '--bogus'/],
    [['--run'], /--run/],
    [['--run', 'x', '--profile', 'quick'], /--run prints an existing run; --profile only applies to a new run$/],
    [['--client-threads', '0'], /--client-threads: '0' is not a whole number ≥ 1$/],
    [['--targets', 'memory,,etcd'], /--targets: 'memory,,etcd' has an empty name/],
    [['--profile', ''], /--profile: empty value$/],
    [['stray'], /positional|Unexpected argument/i],
  ];
  for (const [argv, re] of bad) {
    it(`refuses ${argv.join(' ') || '(nothing)'} with one line, exit 2`, async () => {
      assert.throws(() => parseCompareBenchArgs(argv), re);
      const r = await capture(argv);
      assert.equal(r.code, 2);
      assert.equal(r.err.split('\n').length, 2, r.err);
    });
  }

  it('defaults to the standard profile on memory, rocksdb, etcd and noop, and passes flags through', () => {
    assert.deepEqual(parseCompareBenchArgs([]), { profile: 'standard', targets: ['memory', 'rocksdb', 'etcd', 'noop'], scenarios: undefined, clientThreads: undefined, results: undefined });
    assert.deepEqual(parseCompareBenchArgs(['--profile', 'quick', '--targets', 'memory,etcd', '--scenarios', 'txn-throughput', '--client-threads', '2']), {
      profile: 'quick',
      targets: ['memory', 'etcd'],
      scenarios: 'txn-throughput',
      clientThreads: '2',
      results: undefined,
    });
  });

  it('runs as a script: a bad flag exits 2 with one line', async () => {
    const r = await execa('node', ['--import', 'tsx', join(import.meta.dirname, 'compare-bench.ts'), '--client-threads', 'x'], { reject: false });
    assert.equal(r.exitCode, 2);
    assert.equal(r.stderr, "bench:compare: --client-threads: 'x' is not a whole number ≥ 1");
  });
});

describe('watch goals', () => {
  // A summary with a watch-scalability row built by hand: the fixture runs have no watch scenario.
  function withWatch(memP99: number, etcdP99: number, lost: number): RunSummary {
    const s = buildSummary(fixtureLoadedRun({ runId: 'w', targets: ['memory', 'etcd'] }));
    const cell = (p99: number, lostDeliveries: number) => ({ status: 'passed' as const, opsPerSec: 100, latencyByOp: { put: { p50Ms: 1, p99Ms: 2, count: 10 }, 'watch-delivery': { p50Ms: 1, p99Ms: p99, count: 10 } }, extra: { lostDeliveries } });
    s.scenarios.push({ name: 'watch-scalability', results: { memory: cell(memP99, lost), etcd: cell(etcdP99, 0) } });
    return s;
  }
  const cases: Array<[number, number, number, boolean, boolean]> = [
    [20, 22.6, 0, true, true],
    [22.6, 22.6, 0, true, true],
    [23, 22.6, 0, false, true],
    [10, 22.6, 3, true, false],
  ];
  for (const [mem, etcd, lost, p99Met, lostMet] of cases) {
    it(`memory p99 ${mem} vs etcd ${etcd}, ${lost} lost → p99 ${p99Met ? 'met' : 'not met'}, lost ${lostMet ? 'met' : 'not met'}`, () => {
      const rows = evaluateGoals(withWatch(mem, etcd, lost));
      assert.equal(rows.find((r) => r.what === 'memory delivery p99 vs etcd')?.met, p99Met);
      assert.equal(rows.find((r) => r.what === 'memory lost events')?.met, lostMet);
      assert.equal(rows.find((r) => r.what === 'rocksdb lost events')?.met, undefined);
    });
  }
});
