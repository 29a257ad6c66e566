import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { processCpuUs } from '../targets/proc-cpu.ts';
import { ServerCpuRecorder } from './server-cpu.ts';

const ctx = { emit: () => undefined, serverSample: () => undefined };

describe('ServerCpuRecorder', () => {
  it('adds up the server CPU of every measured span, not the pauses between them', () => {
    let cpu = 1000;
    const rec = new ServerCpuRecorder({ scenario: 's', ctx }, () => cpu);
    cpu = 2000; // warm-up: not measured
    rec.start();
    cpu += 500;
    rec.stop();
    cpu += 10_000; // between phases (verification reads): not measured
    rec.start();
    rec.start(); // a second start while measuring changes nothing
    cpu += 250;
    rec.stop();
    rec.stop();
    assert.equal(rec.serverCpuTimeUs(), 750);
    rec.destroy();
  });

  it('has no figure when the server cannot be read, or nothing was measured', () => {
    const never = new ServerCpuRecorder({ scenario: 's', ctx }, () => undefined);
    never.start();
    never.stop();
    assert.equal(never.serverCpuTimeUs(), undefined);
    assert.equal(new ServerCpuRecorder({ scenario: 's', ctx }, () => 5).serverCpuTimeUs(), undefined);
    let n = 0;
    const gone = new ServerCpuRecorder({ scenario: 's', ctx }, () => (n++ === 0 ? 100 : undefined));
    gone.start();
    gone.stop();
    assert.equal(gone.serverCpuTimeUs(), undefined, 'the process vanished mid-span');
    for (const r of [never, gone]) r.destroy();
  });
});

describe('processCpuUs', { skip: process.platform !== 'linux' && 'no /proc' }, () => {
  it("reads this process's CPU time, growing as it works; undefined for a pid that does not exist", () => {
    const before = processCpuUs(process.pid);
    assert.equal(typeof before, 'number');
    const until = process.cpuUsage().user + 50_000;
    while (process.cpuUsage().user < until); // spin ~50 ms of CPU
    assert.ok(processCpuUs(process.pid)! > before!);
    assert.equal(processCpuUs(2 ** 22 + 1), undefined);
  });
});
