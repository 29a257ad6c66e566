// The `noop` target through the real CLI (`metabench run --targets noop --profile quick --json`):
// every built-in scenario runs and passes its checks, nothing is graded, the server is gone
// afterwards; with `--client-threads 2 --cpu-prof DIR` the profiles of the runner, its client
// threads and the noop server are written under names that say target and role, on a normal
// end and on SIGTERM. Plus the two flags' validation.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { UsageError } from '../errors.ts';
import { resolveRunOptions, defaultTargetKinds, type RunFlags } from '../commands/run-options.ts';
import { parseEventLine, type RunnerEvent, type ScenarioEndEvent } from '../events/schema.ts';
import { BUILTIN_SCENARIOS } from '../../scenarios/loader.ts';
import type { ResolvedScenario } from '../../scenarios/schema.ts';
import { isRunning, tempDir } from '../testing/run-fixtures.ts';
import { METABENCH_BIN } from './metastore.ts';

function metabench(args: string[]) {
  return execa(process.execPath, [METABENCH_BIN, ...args], { reject: false, stripFinalNewline: false, timeout: 240_000, env: { FORCE_COLOR: '0' } });
}

/**
 * A profile file is V8's JSON with a call tree and samples, of the thread that did the work: it
 * has frames of the project's own code (tsx's loader thread, which once overwrote the noop
 * server's profile, has none).
 */
function assertProfile(file: string): void {
  const p = JSON.parse(readFileSync(file, 'utf8')) as { nodes?: { callFrame: { url: string } }[]; samples?: unknown[] };
  assert.ok(Array.isArray(p.nodes) && p.nodes.length > 0, `${file}: has call-tree nodes`);
  assert.ok(Array.isArray(p.samples), `${file}: has samples`);
  assert.ok(p.nodes.some((n) => /\/src\/(server|runner|client|workload)\//.test(n.callFrame.url)), `${file}: has frames of metabench's own code`);
}

describe('noop target', () => {
  let tmp: ReturnType<typeof tempDir>;
  before(() => (tmp = tempDir('noop')));
  after(() => tmp.remove());

  it('is not a default target', () => {
    assert.ok(!defaultTargetKinds().includes('noop'));
  });

  it('runs every built-in scenario end to end with client threads, ungraded, and profiles every process', async () => {
    const prof = join(tmp.dir, 'prof');
    const res = await metabench(['run', '--targets', 'noop', '--profile', 'quick', '--json', '--results', join(tmp.dir, 'results'), '--client-threads', '2', '--cpu-prof', prof]);
    assert.equal(res.exitCode, 0, res.stderr);
    const lines = res.stdout.slice(0, -1).split('\n');
    const events: RunnerEvent[] = lines.slice(0, -1).map((l, i) => parseEventLine(l, `stdout line ${i + 1}`));
    const start = events.find((e) => e.kind === 'run-start');
    assert.equal(start?.kind === 'run-start' && start.targetKind, 'noop');
    const pid = start?.kind === 'run-start' ? start.server?.pid : undefined;
    assert.ok(pid, 'the runner started a server process');
    assert.equal(isRunning(pid), false, 'noop server stopped');

    const ends = events.filter((e): e is ScenarioEndEvent => e.kind === 'scenario-end');
    assert.deepEqual(ends.map((e) => e.scenario), BUILTIN_SCENARIOS);
    for (const e of ends) {
      assert.equal(e.status, 'passed', `${e.scenario}: ${e.error ?? ''}`);
      assert.equal(e.grade, undefined, `${e.scenario}: noop is never graded`);
      assert.equal(e.slo, undefined);
      assert.ok(e.checks.length > 0 && e.checks.every((c) => c.ok), `${e.scenario}: its checks ran and held`);
      assert.equal(e.errors.total, 0);
    }
    const starts = events.filter((e) => e.kind === 'scenario-start');
    const threadsOf = (name: string) => starts.find((s) => s.kind === 'scenario-start' && s.scenario === name)?.params.clientThreads;
    assert.equal(threadsOf('large-scale-load'), 2);
    assert.equal(threadsOf('watch-scalability'), 1, 'watch keeps one thread');

    // The runner's client threads live across its scenarios: one profile each.
    const expected = ['noop.runner.cpuprofile', 'noop.server.cpuprofile', 'noop.runner.thread-1.cpuprofile', 'noop.runner.thread-2.cpuprofile'];
    assert.deepEqual(readdirSync(prof).sort(), expected.sort());
    for (const f of expected) assertProfile(join(prof, f));
  });

  it('writes the runner and server profiles when the run is stopped with SIGTERM', async () => {
    const prof = join(tmp.dir, 'prof-term');
    const child = execa(process.execPath, [METABENCH_BIN, 'run', '--targets', 'noop', '--profile', 'quick', '--scenarios', 'sustained-load', '--json', '--results', join(tmp.dir, 'results'), '--cpu-prof', prof], {
      reject: false,
      timeout: 120_000,
      // execa SIGKILLs a child still alive 5 s after kill('SIGTERM') by default; on a loaded
      // machine the graceful stop (profiles, server stop, reports) can take longer than that.
      forceKillAfterDelay: 60_000,
      buffer: false,
      stdout: 'pipe',
    });
    let pid: number | undefined;
    let text = '';
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        for (const line of text.split('\n').slice(0, -1)) {
          const e = JSON.parse(line) as RunnerEvent;
          if (e.kind === 'run-start' && e.server?.pid) pid = e.server.pid;
          if (e.kind === 'progress') return resolve();
        }
      });
    });
    child.kill('SIGTERM');
    const res = await child;
    assert.equal(res.exitCode, 130);
    assert.ok(pid);
    assert.equal(isRunning(pid), false, 'noop server stopped');
    assert.deepEqual(readdirSync(prof).sort(), ['noop.runner.cpuprofile', 'noop.server.cpuprofile']);
    for (const f of readdirSync(prof)) assertProfile(join(prof, f));
  });
});

describe('--client-threads and --cpu-prof', () => {
  let tmp: ReturnType<typeof tempDir>;
  before(() => (tmp = tempDir('flags')));
  after(() => tmp.remove());
  const base = (): RunFlags => ({ profile: 'quick', results: join(tmp.dir, 'results'), targets: 'noop' });

  it('refuses bad values in one line naming the flag and value', async () => {
    writeFileSync(join(tmp.dir, 'a-file'), '');
    const cases: [Partial<RunFlags>, RegExp][] = [
      [{ clientThreads: '0' }, /^--client-threads: '0' is not a whole number from 1 to 64$/],
      [{ clientThreads: '65' }, /^--client-threads: '65' is not a whole number from 1 to 64$/],
      [{ clientThreads: '1.5' }, /^--client-threads: '1\.5' is not/],
      [{ clientThreads: 'two' }, /^--client-threads: 'two' is not/],
      [{ cpuProf: join(tmp.dir, 'a-file') }, /^--cpu-prof: '.*a-file' is not a writable folder \(a file is in the way\)$/],
      [{ cpuProf: join(tmp.dir, 'a-file', 'sub') }, /^--cpu-prof: '.*a-file\/sub' is not a writable folder/],
      [{ cpuProf: '' }, /^--cpu-prof: empty folder name/],
      [{ client: 'grpc' }, /^--client: unknown client 'grpc' \(expected native or etcd3\)$/],
    ];
    for (const [flags, re] of cases) {
      await assert.rejects(resolveRunOptions({ ...base(), ...flags }), (err: Error) => {
        assert.ok(err instanceof UsageError, `${JSON.stringify(flags)}: ${err.message}`);
        assert.match(err.message, re);
        return true;
      });
    }
  });

  it('exits 2 with that one line from the CLI, before anything runs', async () => {
    const res = await metabench(['run', '--targets', 'noop', '--client-threads', '0', '--results', join(tmp.dir, 'never')]);
    assert.equal(res.exitCode, 2);
    assert.equal(res.stderr, "metabench: --client-threads: '0' is not a whole number from 1 to 64\n");
    assert.equal(res.stdout, '');
  });

  it('sets each scenario\'s clientThreads, capped at its clients; watch keeps one', async () => {
    const opts = await resolveRunOptions({ ...base(), clientThreads: '8' });
    const byName = Object.fromEntries((opts.scenarios as ResolvedScenario[]).map((s) => [s.name, s.params]));
    assert.equal(byName['large-scale-load']?.clientThreads, 8);
    assert.equal(byName['txn-throughput']?.clientThreads, 5, 'quick txn has 5 clients');
    assert.equal(byName['watch-scalability']?.clientThreads, 1);
    const none = await resolveRunOptions(base());
    assert.ok((none.scenarios as ResolvedScenario[]).every((s) => s.params.clientThreads === 1), 'default: one thread');
    assert.equal(none.client, 'native', 'the native client by default');
    assert.equal((await resolveRunOptions({ ...base(), client: 'etcd3' })).client, 'etcd3');
  });

  it('creates the --cpu-prof folder and passes it on absolute', async () => {
    const opts = await resolveRunOptions({ ...base(), cpuProf: join(tmp.dir, 'new', 'dir') });
    assert.equal(opts.cpuProfDir, join(tmp.dir, 'new', 'dir'));
    assert.deepEqual(readdirSync(join(tmp.dir, 'new', 'dir')), []);
  });
});
