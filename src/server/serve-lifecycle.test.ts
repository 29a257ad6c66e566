/**
 * `metabench serve` as a process: flag validation at the edge (exit 2, one line), refusals
 * (second server on a data dir, busy port: exit 1, one line), SIGTERM under load (exit 0, and
 * every acknowledged write is there after a restart) and SIGKILL under load (every
 * acknowledged write survives), for each engine.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { join } from 'node:path';
import { Etcd3 } from 'etcd3';
import { execa } from 'execa';
import { METABENCH_BIN, spawnServe, type ServerChild } from './processes.ts';
import { ENGINES, tempDir } from './test-support.ts';

async function serveExit(args: string[]): Promise<{ exitCode: number | undefined; stderr: string; stdout: string }> {
  const r = await execa(process.execPath, [METABENCH_BIN, 'serve', ...args], { reject: false, timeout: 60000, stdin: 'ignore' });
  return { exitCode: r.exitCode, stderr: r.stderr, stdout: r.stdout };
}

/** Writers that each put `/load/<tag>/<w>/<j>` = `v<j>` one after another, remembering what was acknowledged. */
function startLoad(client: Etcd3, writers: number, tag: string): { acked: Map<string, string>; waitFor: (n: number) => Promise<void>; stop: () => Promise<void> } {
  const acked = new Map<string, string>();
  let running = true;
  let waiter: { n: number; resolve: () => void } | undefined;
  const loops = Array.from({ length: writers }, async (_, w) => {
    for (let j = 0; running; j++) {
      const key = `/load/${tag}/${w}/${String(j).padStart(6, '0')}`;
      try {
        await client.put(key).value(`v${j}`).exec();
      } catch {
        // The server went away mid-request: this write was not acknowledged, and no later one will be.
        return;
      }
      acked.set(key, `v${j}`);
      if (waiter && acked.size >= waiter.n) waiter.resolve();
    }
  });
  return {
    acked,
    waitFor: (n) => (acked.size >= n ? Promise.resolve() : new Promise<void>((resolve) => (waiter = { n, resolve }))),
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

async function assertAllPresent(address: string, acked: Map<string, string>): Promise<void> {
  const client = new Etcd3({ hosts: `http://${address}` });
  try {
    const stored = await client.getAll().prefix('/load/').strings();
    const missing = [...acked].filter(([k, v]) => stored[k] !== v);
    assert.deepEqual(missing, [], `${missing.length} of ${acked.size} acknowledged writes are missing or wrong`);
  } finally {
    client.close();
  }
}

// Suites are independent (own dirs, own ports): run them side by side.
describe('metabench serve as a process', { concurrency: true }, () => {
  describe('metabench serve: flags', { concurrency: 1 }, () => {
    // Every bad flag is covered in src/commands/serve.test.ts; this checks the process contract.
    it('refuses a bad flag with one line on stderr and exit code 2', async () => {
      const r = await serveExit(['--engine', 'leveldb', '--data-dir', 'x']);
      assert.equal(r.exitCode, 2, r.stderr);
      assert.equal(r.stdout, '');
      assert.deepEqual(r.stderr.trim().split('\n'), ["metabench: serve: --engine must be memory or rocksdb, got 'leveldb'"]);
    });

    it('warns about a non-loopback address and names a bind failure in one line', async () => {
      const dir = await tempDir('bind');
      try {
        // 192.0.2.1 (TEST-NET-1) is never a local address: the warning shows, then the bind fails.
        const r = await serveExit(['--engine', 'memory', '--data-dir', join(dir.path, 'd'), '--listen', '192.0.2.1:0']);
        assert.equal(r.exitCode, 1);
        assert.deepEqual(r.stderr.trim().split('\n'), [
          'metabench serve: warn: listening on 192.0.2.1, reachable from other machines: this server has no authentication and no TLS (--cert-file, --key-file)',
          'metabench: cannot listen on 192.0.2.1:0: no such local address',
        ]);
      } finally {
        await dir.remove();
      }
    });
  });

  describe('metabench serve: refusals', { concurrency: 1 }, () => {
    let dir: Awaited<ReturnType<typeof tempDir>>;
    let first: ServerChild;
    before(async () => {
      dir = await tempDir('refuse');
      first = await spawnServe({ engine: 'memory', dataDir: join(dir.path, 'data') });
    });
    after(async () => {
      await first?.stop();
      await dir?.remove();
    });

    it('a second server on the same data directory refuses to start', async () => {
      const r = await serveExit(['--engine', 'memory', '--data-dir', join(dir.path, 'data'), '--listen', '127.0.0.1:0']);
      assert.equal(r.exitCode, 1);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`data directory .*data is in use by process ${first.pid}`));
    });

    it('a busy port is a one-line error', async () => {
      const r = await serveExit(['--engine', 'memory', '--data-dir', join(dir.path, 'other'), '--listen', first.address]);
      assert.equal(r.exitCode, 1);
      assert.deepEqual(r.stderr.trim().split('\n'), [`metabench: cannot listen on ${first.address}: address already in use (is another server running there?)`]);
    });
  });

  for (const engine of ENGINES) {
    describe(`metabench serve --engine ${engine}: stopping under load`, { concurrency: 1 }, () => {
      let dir: Awaited<ReturnType<typeof tempDir>>;
      const children: ServerChild[] = [];
      const start = async () => {
        const child = await spawnServe({ engine, dataDir: join(dir.path, 'data') });
        children.push(child);
        return child;
      };
      before(async () => {
        dir = await tempDir(`stop-${engine}`);
      });
      after(async () => {
        await Promise.all(children.map((c) => c.stop()));
        await dir?.remove();
      });

      it('SIGTERM (exit 0) then SIGKILL under load: restarts serve every acknowledged write', async () => {
        // 1. SIGTERM while writers run and a watch and a lease keep-alive stream are open.
        const first = await start();
        let client = new Etcd3({ hosts: `http://${first.address}` });
        const watcher = await client.watch().prefix('/load/').create();
        watcher.on('error', () => undefined);
        const lease = client.lease(30);
        lease.on('lost', () => undefined);
        await lease.grant();
        const termLoad = startLoad(client, 10, 'term');
        await termLoad.waitFor(100);
        const termStatus = await first.stop();
        await termLoad.stop();
        // Otherwise the client keeps retrying the watch and renewing the lease (timers leak).
        await watcher.cancel();
        lease.release();
        client.close();
        assert.deepEqual(termStatus, { exitCode: 0, signal: undefined }, first.stderr());
        assert.match(first.stderr(), /SIGTERM: stopping\n(.*\n)*metabench serve: info: stopped\n$/);

        // 2. Restart: everything acknowledged before SIGTERM is there. Then SIGKILL under load.
        const second = await start();
        await assertAllPresent(second.address, termLoad.acked);
        client = new Etcd3({ hosts: `http://${second.address}` });
        const killLoad = startLoad(client, 20, 'kill');
        await killLoad.waitFor(300);
        const killStatus = await second.kill();
        await killLoad.stop();
        client.close();
        assert.equal(killStatus.signal, 'SIGKILL');

        // 3. Restart (taking over the dead server's stale lock): both sets are there.
        const third = await start();
        await assertAllPresent(third.address, new Map([...termLoad.acked, ...killLoad.acked]));
        assert.deepEqual(await third.stop(), { exitCode: 0, signal: undefined }, third.stderr());
      });
    });
  }
});
