// A server a runner started outlives no runner: a runner-like parent (src/testing/server-parent.js)
// starts `metabench serve` or the noop server through the runner's own start path, is SIGKILLed,
// and the server must stop by itself (its stdin pipe reaches end-of-file) and leave no data
// directory behind. The bound below is a generous timeout, not a speed assertion.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { isRunning, tempDir } from '../testing/run-fixtures.ts';

const SERVER_PARENT = fileURLToPath(new URL('../testing/server-parent.js', import.meta.url));
/** Generous: serve's own shutdown deadline is 5 s. */
const GONE_WITHIN_MS = 20_000;

async function waitGone(pid: number, boundMs: number): Promise<boolean> {
  const deadline = Date.now() + boundMs;
  while (Date.now() < deadline) {
    if (!isRunning(pid)) return true;
    await sleep(50);
  }
  return !isRunning(pid);
}

describe('a server whose runner is SIGKILLed', () => {
  let tmp: ReturnType<typeof tempDir>;
  before(() => (tmp = tempDir('orphan')));
  after(() => tmp.remove());

  for (const kind of ['memory', 'noop'] as const) {
    it(`${kind}: stops by itself and leaves no data directory`, async () => {
      const parent = execa(process.execPath, [SERVER_PARENT, kind, tmp.dir], { reject: false, buffer: false, stderr: 'inherit', timeout: 60_000 });
      let serverPid: number | undefined;
      try {
        const line = await new Promise<string>((resolve, reject) => {
          createInterface({ input: parent.stdout }).once('line', resolve);
          void parent.then((res) => reject(new Error(`parent exited before its server was ready (${res.shortMessage ?? res.exitCode})`)));
        });
        const started = JSON.parse(line) as { pid: number; dataDirs: string[] };
        serverPid = started.pid;
        assert.ok(isRunning(serverPid), 'server runs while its parent does');
        if (kind === 'memory') assert.equal(started.dataDirs.length, 1, 'the runner made one data directory');

        parent.kill('SIGKILL');
        await parent;
        assert.ok(await waitGone(serverPid, GONE_WITHIN_MS), `server pid ${serverPid} still running ${GONE_WITHIN_MS} ms after its parent was SIGKILLed`);
        for (const d of started.dataDirs) assert.equal(existsSync(d), false, `${d} removed`);
        assert.deepEqual(readdirSync(tmp.dir), [], 'nothing left in the temp root');
      } finally {
        parent.kill('SIGKILL');
        if (serverPid !== undefined && isRunning(serverPid)) process.kill(serverPid, 'SIGKILL');
      }
    });
  }
});
