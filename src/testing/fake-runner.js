#!/usr/bin/env node
// A fake runner for tests: started by the real orchestrator through the real spawn path, it reads
// the same config, writes valid NDJSON events to the target's file, then misbehaves as told by
// FAKE_RUNNER_MODE (or FAKE_RUNNER_MODE_<TARGET>, which wins):
//   complete      a passed scenario and run-end completed, exit 0
//   fail          a failed scenario and run-end completed, exit 0
//   hang          hangs after scenario-start; on SIGTERM/SIGINT writes run-end interrupted, exit 130
//   hang-hard     hangs and ignores SIGTERM/SIGINT (the orchestrator must SIGKILL it)
//   hang-hard-child  as hang-hard, with a child process of its own (a server still starting: its pid
//                 is only in a log event, not in run-start), which a forced stop must not leave behind
//   crash         kills itself with SIGKILL after scenario-start (no run-end)
//   exit-nonzero  exits 3 after run-start (no run-end)
//   truncated     leaves half a line at the end of the file, then exits 1
//   orphan        starts the etcd at FAKE_RUNNER_ETCD on FAKE_RUNNER_ETCD_PORT/_PEER_PORT, reports its pid,
//                 then SIGKILLs itself, leaving the server behind for the orchestrator to reap
// Plain JavaScript so it starts fast and does not depend on the code it helps test.
import { openSync, writeSync, mkdtempSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const cfg = JSON.parse(process.env.METABENCH_RUNNER_CONFIG ?? '{}');
const target = cfg.target.name;
const mode = process.env[`FAKE_RUNNER_MODE_${target.toUpperCase()}`] ?? process.env.FAKE_RUNNER_MODE ?? 'complete';
const fd = openSync(join(cfg.runDir, `${target}.ndjson`), 'a');
const t0 = Date.now();

function write(body) {
  // Stamped with the repeat the orchestrator gave (runs with --repeat), as the real runner does.
  writeSync(fd, JSON.stringify({ v: 1, t: Date.now(), target, ...(cfg.repeat ? { repeat: cfg.repeat } : {}), ...body }) + '\n');
}
function runStart(server) {
  write({ kind: 'run-start', runId: 'fake', targetKind: cfg.target.kind, profile: 'quick', seed: 1, scenarios: ['s1'], ...(server ? { server } : {}) });
}
function scenarioEnd(status) {
  write({
    kind: 'scenario-end', scenario: 's1', status, durationMs: 5, ops: 10, opsPerSec: 2000,
    errors: { total: 0, byKind: {} }, latency: { put: { count: 10, meanMs: 1, p50Ms: 1, p90Ms: 1, p99Ms: 2, p999Ms: 2, maxMs: 2 } },
    series: [10], checks: [{ name: 'c', ok: status === 'passed', detail: 'fake' }], grade: { grade: status === 'passed' ? 'A' : 'F', reason: 'fake' },
  });
}
const hangForever = () => setInterval(() => undefined, 1 << 30);

process.stderr.write(`fake runner ${target}: mode ${mode}, pid ${process.pid}\n`);
switch (mode) {
  case 'complete':
  case 'fail':
    runStart();
    write({ kind: 'scenario-start', scenario: 's1', params: { clients: 1 }, totalOps: 10 });
    write({ kind: 'progress', scenario: 's1', elapsedMs: 1, done: 5, totalOps: 10, windowOpsPerSec: 5000, windowP50Ms: 1, windowP99Ms: 2, errors: 0 });
    scenarioEnd(mode === 'complete' ? 'passed' : 'failed');
    write({ kind: 'run-end', status: 'completed', durationMs: Date.now() - t0 });
    process.exitCode = 0;
    break;
  case 'hang':
    runStart();
    write({ kind: 'scenario-start', scenario: 's1', params: {}, totalOps: 10 });
    for (const sig of ['SIGTERM', 'SIGINT']) {
      process.on(sig, () => {
        write({ kind: 'scenario-end', scenario: 's1', status: 'aborted', durationMs: 1, ops: 0, opsPerSec: 0, errors: { total: 0, byKind: {} }, latency: {}, series: [], checks: [], error: 'interrupted' });
        write({ kind: 'run-end', status: 'interrupted', durationMs: Date.now() - t0 });
        process.exit(130);
      });
    }
    hangForever();
    break;
  case 'hang-hard':
    runStart();
    write({ kind: 'scenario-start', scenario: 's1', params: {}, totalOps: 10 });
    for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.stderr.write(`fake runner: ignoring ${sig}\n`));
    hangForever();
    break;
  case 'hang-hard-child': {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => undefined, 1 << 30)'], { stdio: 'ignore' });
    runStart();
    write({ kind: 'log', level: 'info', message: `child pid ${child.pid}` });
    write({ kind: 'scenario-start', scenario: 's1', params: {}, totalOps: 10 });
    for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.stderr.write(`fake runner: ignoring ${sig}\n`));
    hangForever();
    break;
  }
  case 'crash':
    runStart();
    write({ kind: 'scenario-start', scenario: 's1', params: {}, totalOps: 10 });
    process.kill(process.pid, 'SIGKILL');
    break;
  case 'exit-nonzero':
    runStart();
    process.exit(3);
    break;
  case 'truncated':
    runStart();
    writeSync(fd, '{"v":1,"t":1,"target":"' + target + '","kind":"progr');
    process.exit(1);
    break;
  case 'orphan': {
    const dir = mkdtempSync(join(cfg.tmpRoot, 'etcd-'));
    const port = Number(process.env.FAKE_RUNNER_ETCD_PORT);
    const peer = Number(process.env.FAKE_RUNNER_ETCD_PEER_PORT);
    const server = spawn(process.env.FAKE_RUNNER_ETCD, [
      '--data-dir', dir, '--listen-client-urls', `http://127.0.0.1:${port}`, '--advertise-client-urls', `http://127.0.0.1:${port}`,
      '--listen-peer-urls', `http://127.0.0.1:${peer}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${peer}`,
      '--initial-cluster', `default=http://127.0.0.1:${peer}`, '--log-level', 'error', '--logger', 'zap',
    ], { stdio: ['ignore', 'ignore', 'inherit'], detached: false });
    runStart({ address: `127.0.0.1:${port}`, pid: server.pid });
    setTimeout(() => process.kill(process.pid, 'SIGKILL'), 300);
    break;
  }
  default:
    process.stderr.write(`fake runner: unknown mode ${mode}\n`);
    process.exit(2);
}
