// `metabench run --repeat N` end to end through the CLI, as a user runs it: bad values refused in
// one line (exit 2, nothing written); two repeats of a tiny scenario against the memory engine
// and the noop server, targets interleaved, both repeats in each target's NDJSON, every cell of
// summary.json with its repeats, median and spread, and the same medians rebuilt from the files.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import type { RunnerEvent } from '../events/schema.ts';
import { METABENCH_BIN } from '../targets/metastore.ts';
import { isRunning, readEvents, tempDir } from '../testing/run-fixtures.ts';
import { UsageError } from '../errors.ts';
import { loadFinishedRun } from '../state/load-run.ts';
import { median } from '../state/repeats.ts';
import type { SummaryLine } from '../output/summary-line.ts';
import { buildSummary, type RunSummary } from '../views/summary.ts';
import { resolveRunOptions } from './run-options.ts';
import { MAX_REPEATS } from './defaults.ts';

function metabench(args: string[]) {
  return execa(process.execPath, [METABENCH_BIN, ...args], { reject: false, stripFinalNewline: false, timeout: 180_000, env: { FORCE_COLOR: '0' } });
}

describe('metabench run --repeat', () => {
  let tmp: ReturnType<typeof tempDir>;
  let tiny: string;
  before(() => {
    tmp = tempDir('repeat');
    tiny = join(tmp.dir, 'tiny.yaml');
    writeFileSync(tiny, 'name: tiny\ndescription: a few put-get pairs\nworkload: put-get\nparams: { clients: 4, opsPerClient: 25 }\n');
  });
  after(() => tmp.remove());

  it('refuses a bad repeat count in one line naming the value, before anything is written', async () => {
    const results = join(tmp.dir, 'never');
    for (const bad of ['0', '-1', '1.5', 'abc', '', String(MAX_REPEATS + 1), '1e3']) {
      await assert.rejects(resolveRunOptions({ profile: 'quick', results, targets: 'noop', repeat: bad }), (err: Error) => {
        assert.ok(err instanceof UsageError, `${bad}: ${err.name}`);
        assert.equal(err.message, `--repeat: '${bad}' is not a whole number of repeats from 1 to ${MAX_REPEATS}`);
        return true;
      });
    }
    assert.equal((await resolveRunOptions({ profile: 'quick', results, targets: 'noop', repeat: '3', scenarioFile: [tiny] })).repeats, 3);
    const cli = await metabench(['run', '--targets', 'noop', '--repeat', '0', '--results', results]);
    assert.equal(cli.exitCode, 2);
    assert.equal(cli.stdout, '');
    assert.equal(cli.stderr, `metabench: --repeat: '0' is not a whole number of repeats from 1 to ${MAX_REPEATS}\n`);
    assert.equal(existsSync(results), false, 'no results folder created');
  });

  it('runs every target twice, interleaved, and reports the median and spread of each cell', async () => {
    const results = join(tmp.dir, 'runs');
    const r = await metabench(['run', '--json', '--targets', 'memory,noop', '--scenario-file', tiny, '--seed', '3', '--repeat', '2', '--results', results]);
    assert.equal(r.exitCode, 0, r.stderr);
    const runDir = join(results, JSON.parse(r.stdout.trimEnd().split('\n').at(-1)!).runId as string);
    const manifest = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as { repeats?: number };
    assert.equal(manifest.repeats, 2);

    // Both repeats in each target's one file, every event stamped with its repeat.
    const files: Record<string, RunnerEvent[]> = { memory: readEvents(runDir, 'memory'), noop: readEvents(runDir, 'noop') };
    for (const [target, events] of Object.entries(files)) {
      assert.ok(events.every((e) => e.repeat === 1 || e.repeat === 2), `${target}: every event has its repeat`);
      const shape = events.filter((e) => e.kind !== 'log' && e.kind !== 'progress').map((e) => `${e.repeat}:${e.kind}`);
      assert.deepEqual(shape, ['1:run-start', '1:scenario-start', '1:scenario-end', '1:run-end', '2:run-start', '2:scenario-start', '2:scenario-end', '2:run-end'], target);
      const pids = events.flatMap((e) => (e.kind === 'run-start' && e.server?.pid !== undefined ? [e.server.pid] : []));
      assert.equal(new Set(pids).size, 2, `${target}: a fresh server per repeat`);
      for (const pid of pids) assert.equal(isRunning(pid), false, `${target} server ${pid} left running`);
    }
    // Interleaved: memory 1, noop 1, memory 2, noop 2.
    const at = (target: string, repeat: number, kind: RunnerEvent['kind']) => files[target].find((e) => e.repeat === repeat && e.kind === kind)!.t;
    assert.ok(at('memory', 1, 'run-end') <= at('noop', 1, 'run-start'));
    assert.ok(at('noop', 1, 'run-end') <= at('memory', 2, 'run-start'));
    assert.ok(at('memory', 2, 'run-end') <= at('noop', 2, 'run-start'));

    const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as RunSummary;
    assert.equal(summary.status, 'completed');
    assert.equal(summary.manifest.repeats, 2);
    assert.deepEqual(summary.targets.map((t) => [t.name, t.status, t.repeatsCompleted]), [['memory', 'completed', 2], ['noop', 'completed', 2]]);
    for (const target of ['memory', 'noop']) {
      const cell = summary.scenarios[0].results[target];
      const ends = files[target].filter((e): e is Extract<RunnerEvent, { kind: 'scenario-end' }> => e.kind === 'scenario-end');
      assert.deepEqual(cell.repeats?.map((x) => [x.repeat, x.status, x.opsPerSec]), ends.map((e) => [e.repeat, e.status, e.opsPerSec]), target);
      const m = median(ends.map((e) => e.opsPerSec));
      assert.equal(cell.opsPerSec, m, `${target}: the cell's figure is the median`);
      assert.equal(cell.median?.opsPerSec, m);
      const ops = ends.map((e) => e.opsPerSec);
      assert.deepEqual([cell.spread?.opsPerSec.min, cell.spread?.opsPerSec.max], [Math.min(...ops), Math.max(...ops)]);
      assert.ok(Math.abs((cell.spread?.opsPerSec.pct ?? -1) - ((Math.max(...ops) - Math.min(...ops)) / 2 / m) * 100) < 1e-9);
      assert.ok(cell.spread?.p99Ms !== undefined, `${target}: p99 spread`);
    }
    // The --json summary line carries the same repeats and spread.
    const line = JSON.parse(r.stdout.trimEnd().split('\n').at(-1)!) as SummaryLine;
    for (const t of line.targets) {
      const cell = summary.scenarios[0].results[t.target];
      assert.equal(t.scenarios[0].repeats, 2, t.target);
      assert.deepEqual(t.scenarios[0].spread, JSON.parse(JSON.stringify(cell.spread)), t.target);
    }
    const mem = summary.scenarios[0].results.memory;
    assert.ok(mem.grade !== undefined, 'memory graded on the medians');
    assert.equal(summary.scenarios[0].results.noop.grade, undefined, 'noop not graded');
    const report = readFileSync(join(runDir, 'report.md'), 'utf8');
    assert.match(report, /\| Repeats \| 2 \(targets interleaved in each repeat; figures are medians\) \|/);
    assert.match(report, /Each figure is the median of 2 repeats/);
    assert.match(report, /\| tiny \| [\d,.k]+ ±[\d.]+%/);

    // `metabench report` rebuilds from the NDJSON files: the same medians, spreads and grades.
    // (Through JSON, as summary.json was written: absent fields are dropped there.)
    const rebuilt = JSON.parse(JSON.stringify(buildSummary(await loadFinishedRun(runDir)))) as RunSummary;
    assert.deepEqual(rebuilt.scenarios, summary.scenarios);
    assert.deepEqual(rebuilt.targets, summary.targets);
  });
});
