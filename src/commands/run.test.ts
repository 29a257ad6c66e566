// `metabench run` end to end, as a user runs it: bad flags (exit 2, one line, nothing written),
// `--json` against the real etcd and the memory engine validated line by line, an interrupt that
// leaves no process behind, and a 3-member etcd cluster as an `endpoint` target.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import { execa } from 'execa';
import { parseEventLine, type RunnerEvent } from '../events/schema.ts';
import { SummaryLine } from '../output/summary-line.ts';
import { METABENCH_BIN } from '../targets/metastore.ts';
import { findEtcd } from '../targets/etcd.ts';
import { freePort } from '../targets/free-port.ts';
import { isRunning, readEvents, tempDir } from '../testing/run-fixtures.ts';
import { UsageError } from '../errors.ts';
import { resolveRunOptions, type RunFlags } from './run-options.ts';
import { startEtcdCluster } from '../testing/etcd-cluster.ts';

const noEtcd = findEtcd() === undefined && 'etcd not installed';

function metabench(args: string[], opts: { cancelSignal?: AbortSignal; env?: Record<string, string> } = {}) {
  return execa(process.execPath, [METABENCH_BIN, ...args], { reject: false, stripFinalNewline: false, timeout: 120_000, env: { FORCE_COLOR: '0' }, ...opts });
}

/** Parses `--json` stdout: every line but the last an event, the last the summary. */
function parseJsonOutput(stdout: string): { events: RunnerEvent[]; summary: SummaryLine } {
  assert.ok(stdout.endsWith('\n'), 'stdout ends with a newline');
  const lines = stdout.slice(0, -1).split('\n');
  const events = lines.slice(0, -1).map((l, i) => parseEventLine(l, `stdout line ${i + 1}`));
  return { events, summary: SummaryLine.parse(JSON.parse(lines.at(-1)!)) };
}

describe('metabench run', () => {
  let tmp: ReturnType<typeof tempDir>;
  let tiny: string;
  before(() => {
    tmp = tempDir('cli');
    // A small put-get scenario: real runs in tests check behaviour, not speed.
    tiny = join(tmp.dir, 'tiny.yaml');
    writeFileSync(tiny, 'name: tiny\ndescription: a few put-get pairs\nworkload: put-get\nparams: { clients: 4, opsPerClient: 25 }\n');
  });
  after(() => tmp.remove());

  it('refuses bad flags with a UsageError naming the flag and value', async () => {
    writeFileSync(join(tmp.dir, 'bad.yaml'), 'name: x\nworkload: nope\n');
    writeFileSync(join(tmp.dir, 'a-file'), '');
    mkdirSync(join(tmp.dir, 'latest-is-a-file'));
    writeFileSync(join(tmp.dir, 'latest-is-a-file', 'latest'), 'my notes');
    const base: RunFlags = { profile: 'quick', results: join(tmp.dir, 'never') };
    const cases: [Partial<RunFlags>, RegExp][] = [
      [{ targets: 'memory,foo' }, /^--targets: unknown target 'foo'/],
      [{ targets: 'memory,memory' }, /^--targets: 'memory' is listed twice/],
      [{ scenarios: 'nope' }, /unknown scenario 'nope'/],
      [{ profile: 'huge' }, /^--profile: unknown profile 'huge'/],
      [{ seed: '1.5' }, /^--seed: '1.5' is not a non-negative integer/],
      [{ seed: '-3' }, /^--seed: '-3' is not a non-negative integer/],
      [{ scenarioFile: [join(tmp.dir, 'bad.yaml')] }, /bad\.yaml.*workload/],
      [{ scenarioFile: [join(tmp.dir, 'missing.yaml')] }, /missing\.yaml: cannot read/],
      [{ endpoints: 'nohostport' }, /^--endpoints: 'nohostport' is not host:port/],
      [{ targets: 'endpoint' }, /endpoint needs --endpoints/],
      [{ targets: 'memory', cacert: '/x' }, /^--cacert: only for the endpoint target/],
      [{ endpoints: '127.0.0.1:1', cert: join(tmp.dir, 'a-file') }, /^--cert: --cert and --key go together/],
      [{ endpoints: '127.0.0.1:1', user: ':pw' }, /^--user: ':pw' has no user name/],
      [{ results: join(tmp.dir, 'a-file', 'sub') }, /^--results: cannot use '.*sub': '.*a-file' is not a directory; expected a writable directory/],
      [{ results: '/proc/x' }, /^--results: cannot use '\/proc\/x': '\/proc' is on procfs/],
      [{ results: '/sys/x' }, /^--results: cannot use '\/sys\/x': '\/sys' is on sysfs/],
      [{ results: join(tmp.dir, 'latest-is-a-file') }, /^--results: '.*latest-is-a-file\/latest' is not the link to the newest run metabench keeps there \(it is a file\); move it away/],
    ];
    for (const [flags, re] of cases) {
      await assert.rejects(resolveRunOptions({ ...base, ...flags }, { endpointCheckMs: 300 }), (err: Error) => {
        assert.ok(err instanceof UsageError, `${JSON.stringify(flags)}: ${err.name}`);
        assert.match(err.message, re, JSON.stringify(flags));
        assert.doesNotMatch(err.message, /\n/, 'one line');
        return true;
      });
    }
    assert.equal(existsSync(join(tmp.dir, 'never')), false, 'no results folder created');
  });

  it('an unreachable, silent or non-etcd endpoint is unavailable: exit 1 and one clean line, not usage', async () => {
    const closedPort = await freePort();
    const silent = net.createServer(() => undefined);
    const web = http.createServer((_req, res) => res.end('not etcd'));
    await Promise.all([silent, web].map((srv) => new Promise<void>((ok) => srv.listen(0, '127.0.0.1', ok))));
    const port = (srv: net.Server) => (srv.address() as net.AddressInfo).port;
    try {
      const runs = await Promise.all(
        [closedPort, port(silent), port(web)].map((p) => metabench(['run', '--json', '--endpoints', `127.0.0.1:${p}`, '--results', join(tmp.dir, 'never-endpoint')])),
      );
      const lines = runs.map((r) => r.stderr);
      assert.deepEqual(
        runs.map((r) => r.exitCode),
        [1, 1, 1],
        lines.join(''),
      );
      assert.equal(lines[0], `metabench: endpoint 127.0.0.1:${closedPort} unavailable: connection refused at 127.0.0.1:${closedPort} (nothing listens there)\n`);
      assert.match(lines[1]!, /^metabench: endpoint 127\.0\.0\.1:\d+ unavailable: no answer to an etcd Status request: the server accepts connections but does not answer \(not an etcd v3 endpoint, or stalled\)\n$/);
      assert.match(lines[2]!, /^metabench: endpoint 127\.0\.0\.1:\d+ unavailable: the server does not speak gRPC over HTTP\/2: not an etcd v3 endpoint\n$/);
      for (const l of lines) assert.doesNotMatch(l, /Resolution note|name resolution/);
    } finally {
      silent.close();
      web.close();
    }
  });

  it('a --results folder that cannot be created is named in the error (exit 2)', async () => {
    const r = await metabench(['run', '--json', '--targets', 'memory', '--results', '/sys/metabench-x']);
    assert.equal(r.exitCode, 2, r.stderr);
    // Refused by the path check (sysfs), or by mkdir itself (EPERM) for a path it does not know: both name the flag.
    assert.match(r.stderr, /^metabench: --results: .*'\/sys\/metabench-x'/);
    assert.doesNotMatch(r.stderr, /\n./, 'one line');
    assert.equal(r.stdout, '');
  });

  it('the CLI turns bad usage into one stderr line and exit 2, with nothing on stdout or disk', async () => {
    const results = join(tmp.dir, 'never-cli');
    const runs = await Promise.all([
      metabench(['run', '--results', results, '--targets', 'memory,foo']),
      metabench(['--results', results, '--profile', 'quick', '--seed', 'x']),
    ]);
    for (const r of runs) {
      assert.equal(r.exitCode, 2, r.stderr);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
    assert.match(runs[0].stderr, /^metabench: --targets: unknown target 'foo'/);
    assert.match(runs[1].stderr, /--seed: 'x'/, 'run is the default command');
    assert.equal(existsSync(results), false);
  });

  it('--json against memory and etcd: valid events, one summary line, exit 0, no server left', { skip: noEtcd }, async () => {
    const results = join(tmp.dir, 'json');
    const r = await metabench(['run', '--json', '--targets', 'memory,etcd', '--profile', 'quick', '--scenario-file', tiny, '--seed', '7', '--results', results]);
    assert.equal(r.exitCode, 0, r.stderr);
    const { events, summary } = parseJsonOutput(r.stdout);
    assert.equal(summary.exitCode, 0);
    assert.deepEqual(
      summary.targets.map((t) => [t.target, t.status, t.scenarios.map((s) => s.status)]),
      [
        ['memory', 'completed', ['passed']],
        ['etcd', 'completed', ['passed']],
      ],
    );
    // Sequential: all of memory before etcd; each target's stream has the expected shape.
    const firstEtcd = events.findIndex((e) => e.target === 'etcd');
    assert.ok(events.slice(firstEtcd).every((e) => e.target === 'etcd'));
    for (const t of ['memory', 'etcd']) {
      const mine = events.filter((e) => e.target === t && e.kind !== 'log' && e.kind !== 'progress');
      assert.deepEqual(mine.map((e) => e.kind), ['run-start', 'scenario-start', 'scenario-end', 'run-end'], t);
      const start = mine[0] as Extract<RunnerEvent, { kind: 'run-start' }>;
      assert.equal(start.seed, 7);
      assert.ok(start.server?.pid, `${t} server pid`);
      assert.equal(isRunning(start.server!.pid!), false, `${t} server still running`);
      // The file holds exactly what stdout showed for that target.
      assert.deepEqual(readEvents(summary.runDir, t), events.filter((e) => e.target === t));
    }
    const manifest = JSON.parse(readFileSync(join(summary.runDir, 'run.json'), 'utf8'));
    assert.equal(manifest.scenarios[0].name, 'tiny');
    assert.equal(manifest.scenarios[0].params.clients > 0, true);
    assert.deepEqual(readdirSync(summary.runDir).sort(), ['charts', 'etcd.ndjson', 'etcd.stderr.log', 'memory.ndjson', 'memory.stderr.log', 'report.html', 'report.md', 'run.json', 'summary.json']);
  });

  it('SIGINT: scenario aborted, run-end interrupted, exit 130, no runner or server left', { skip: noEtcd }, async () => {
    const results = join(tmp.dir, 'interrupt');
    const child = metabench(['run', '--json', '--targets', 'etcd,memory', '--profile', 'quick', '--scenarios', 'sustained-load', '--results', results]);
    const seen: RunnerEvent[] = [];
    let runnerPids: number[] = [];
    await new Promise<void>((resolve, reject) => {
      let buf = '';
      const onData = (chunk: Buffer) => {
        buf += chunk.toString();
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const e = parseEventLine(buf.slice(0, nl));
          buf = buf.slice(nl + 1);
          seen.push(e);
          if (e.kind === 'progress') {
            runnerPids = childrenOf(child.pid!);
            child.kill('SIGINT');
            child.stdout!.off('data', onData);
            resolve();
            return;
          }
        }
      };
      child.stdout!.on('data', onData);
      void child.then((r) => reject(new Error(`ended before any progress: ${r.stderr}`)));
    });
    const r = await child;
    assert.equal(r.exitCode, 130, r.stderr);
    const { events, summary } = parseJsonOutput(r.stdout);
    assert.equal(summary.exitCode, 130);
    const serverPid = (events.find((e) => e.kind === 'run-start') as Extract<RunnerEvent, { kind: 'run-start' }>).server!.pid!;
    const ends = events.filter((e) => e.kind === 'run-end');
    assert.deepEqual(ends.map((e) => [e.target, e.status]), [['etcd', 'interrupted'], ['memory', 'interrupted']]);
    assert.ok(events.some((e) => e.kind === 'scenario-end' && e.status === 'aborted'));
    assert.ok(runnerPids.length === 1, `one runner child, got ${runnerPids}`);
    for (const pid of [serverPid, ...runnerPids]) assert.equal(isRunning(pid), false, `pid ${pid} left running`);
  });

  it('an orchestrator killed with SIGKILL: its runner notices, stops etcd, writes run-end interrupted, leaves no temp folder', { skip: noEtcd }, async () => {
    const results = join(tmp.dir, 'kill9');
    // The run's temp folders go here, so that what is left behind can be seen.
    const ownTmp = join(tmp.dir, 'kill9-tmp');
    mkdirSync(ownTmp);
    const child = metabench(['run', '--json', '--targets', 'etcd', '--profile', 'quick', '--scenarios', 'sustained-load', '--results', results], { env: { FORCE_COLOR: '0', TMPDIR: ownTmp } });
    const { runnerPid, serverPid } = await new Promise<{ runnerPid: number; serverPid: number }>((resolve, reject) => {
      let buf = '';
      let serverPid = 0;
      const onData = (chunk: Buffer) => {
        buf += chunk.toString();
        for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
          const e = parseEventLine(buf.slice(0, nl));
          buf = buf.slice(nl + 1);
          if (e.kind === 'run-start') serverPid = e.server?.pid ?? 0;
          if (e.kind === 'progress') {
            child.stdout!.off('data', onData);
            resolve({ runnerPid: childrenOf(child.pid!)[0], serverPid });
            return;
          }
        }
      };
      child.stdout!.on('data', onData);
      void child.then((r) => reject(new Error(`ended before any progress: ${r.stderr}`)));
    });
    child.kill('SIGKILL');
    await child;
    // The runner stops etcd gracefully after the IPC channel closes; wait for it to exit (not a
    // speed check: the test's own timeout is the bound).
    while (isRunning(runnerPid)) await new Promise((r) => setTimeout(r, 100));
    assert.equal(isRunning(serverPid), false, `etcd ${serverPid} left running`);
    const runDir = join(results, readdirSync(results).find((d) => d !== 'latest')!);
    const events = readEvents(runDir, 'etcd');
    const end = events.at(-1);
    assert.equal(end?.kind === 'run-end' && end.status, 'interrupted');
    assert.match(readFileSync(join(runDir, 'etcd.stderr.log'), 'utf8'), /orchestrator \(pid \d+\) is gone \(its IPC channel closed\)/);
    // (tsx keeps its compile cache there too: `tsx-<uid>`, not ours.)
    assert.deepEqual(readdirSync(ownTmp).filter((d) => d.startsWith('metabench-')), [], 'no temp folder left');
  });

  it('a 3-member etcd cluster as an endpoint target', { skip: noEtcd }, async () => {
    const cluster = await startEtcdCluster(3);
    try {
      const r = await metabench(['run', '--json', '--endpoints', cluster.endpoints.join(','), '--profile', 'quick', '--scenario-file', tiny, '--results', join(tmp.dir, 'cluster')]);
      assert.equal(r.exitCode, 0, r.stderr);
      const { events, summary } = parseJsonOutput(r.stdout);
      assert.deepEqual(summary.targets.map((t) => [t.target, t.status]), [['endpoint', 'completed']]);
      const start = events.find((e) => e.kind === 'run-start') as Extract<RunnerEvent, { kind: 'run-start' }>;
      assert.equal(start.targetKind, 'endpoint');
      assert.equal(start.server?.address, cluster.endpoints.join(','));
      assert.equal(start.server?.pid, undefined, 'nothing started for an endpoint');
      for (const pid of cluster.pids) assert.equal(isRunning(pid), true, 'the cluster is not ours to stop');
    } finally {
      await cluster.stop();
    }
    for (const pid of cluster.pids) assert.equal(isRunning(pid), false);
  });
});

/** Direct children of `pid` (Linux /proc). */
function childrenOf(pid: number): number[] {
  const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  return text === '' ? [] : text.split(/\s+/).map(Number);
}
