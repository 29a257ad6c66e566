/**
 * Starting and stopping servers as child processes, for this folder's integration tests and
 * `npm run bench:serve`: `metabench serve` (ready when it prints its JSON line) and the real
 * etcd (free loopback ports, temp data dir, ready when it answers a Status request). Every
 * child is spawned with execa's cleanup (killed if we exit) and a force-kill delay, and `stop()`
 * resolves only once the child has exited.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { credentials, makeGenericClientConstructor, type Client } from '@grpc/grpc-js';
import { execa, type ResultPromise } from 'execa';
import { loadEtcdServices } from './proto.ts';

/** Absolute path of the CLI entry that children run as `node <bin> serve …`. */
export const METABENCH_BIN = fileURLToPath(new URL('../bin/metabench.js', import.meta.url));

/** How a child ended. */
export interface ExitStatus {
  exitCode: number | undefined;
  signal: string | undefined;
}

/** A running server child. */
export interface ServerChild {
  /** `host:port` that clients connect to. */
  readonly address: string;
  readonly pid: number;
  /** Everything the child wrote to stderr so far. */
  stderr(): string;
  /** Resolves when the child exits, however that happens. */
  readonly exited: Promise<ExitStatus>;
  /** SIGTERM, then SIGKILL after `killAfterMs` (default 8,000); resolves on exit. */
  stop(killAfterMs?: number): Promise<ExitStatus>;
  /** SIGKILL (no chance to flush); resolves on exit. */
  kill(): Promise<ExitStatus>;
}

/** A child that failed to start: its exit status and stderr are in the message. */
export class ChildStartError extends Error {
  override readonly name = 'ChildStartError';
}

function track(child: ResultPromise<{ reject: false; stdin: 'ignore'; buffer: false }>): {
  exited: Promise<ExitStatus>;
  stderr: () => string;
  stop: (killAfterMs?: number) => Promise<ExitStatus>;
  kill: () => Promise<ExitStatus>;
} {
  let err = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    err += chunk;
  });
  const exited = child.then((r) => ({
    exitCode: r.exitCode,
    signal: r.signal,
  }));
  const stop = async (killAfterMs = 8000): Promise<ExitStatus> => {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  };
  const kill = async (): Promise<ExitStatus> => {
    child.kill('SIGKILL');
    return exited;
  };
  return { exited, stderr: () => err, stop, kill };
}

/** Options of `spawnServe`. */
export interface SpawnServeOptions {
  engine: string;
  dataDir: string;
  /** Default `127.0.0.1:0` (a free port). */
  listen?: string;
  /** More flags for `metabench serve`. */
  args?: string[];
  /** Default 60,000 ms (tsx compiles on first start; the test machine is loaded). */
  readyTimeoutMs?: number;
  /** More environment variables for the child (on top of ours). */
  env?: Record<string, string>;
}

/** Starts `metabench serve` and resolves once it printed its ready line. */
export async function spawnServe(opts: SpawnServeOptions): Promise<ServerChild> {
  const args = [METABENCH_BIN, 'serve', '--engine', opts.engine, '--data-dir', opts.dataDir, '--listen', opts.listen ?? '127.0.0.1:0', ...(opts.args ?? [])];
  return spawnReady(args, `metabench serve --engine ${opts.engine}`, opts);
}

/** The noop server's executable (`src/targets/noop-entry.js`). */
const NOOP_ENTRY = fileURLToPath(new URL('../targets/noop-entry.js', import.meta.url));

/** Starts the noop server (`noop/noop-server.ts`) on a free loopback port; resolves once ready. */
export async function spawnNoop(opts: { env?: Record<string, string>; readyTimeoutMs?: number } = {}): Promise<ServerChild> {
  return spawnReady([NOOP_ENTRY, '127.0.0.1:0'], 'noop server', opts);
}

/** Runs `node …args` and resolves once it printed a `{"ready":true,"address":…}` line. */
async function spawnReady(args: string[], what: string, opts: { env?: Record<string, string>; readyTimeoutMs?: number }): Promise<ServerChild> {
  const child = execa(process.execPath, args, { reject: false, stdin: 'ignore', buffer: false, cleanup: true, forceKillAfterDelay: 8000, env: opts.env });
  const t = track(child);
  const lines = createInterface({ input: child.stdout! });
  try {
    const address = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new ChildStartError(`${what}: no ready line after ${opts.readyTimeoutMs ?? 60000} ms; stderr: ${t.stderr()}`)), opts.readyTimeoutMs ?? 60000);
      void t.exited.then((s) => {
        clearTimeout(timer);
        reject(new ChildStartError(`${what} exited before it was ready (code ${s.exitCode}, signal ${s.signal}); stderr: ${t.stderr().trim()}`));
      });
      lines.once('line', (line) => {
        clearTimeout(timer);
        try {
          const msg = JSON.parse(line) as { ready?: boolean; address?: string };
          if (msg.ready === true && typeof msg.address === 'string') resolve(msg.address);
          else reject(new ChildStartError(`${what}: unexpected first stdout line ${line}`));
        } catch (cause) {
          reject(new ChildStartError(`${what}: first stdout line is not JSON: ${line}`, { cause }));
        }
      });
    });
    // Keep draining stdout so the child never blocks on a full pipe.
    lines.on('line', () => undefined);
    return { address, pid: child.pid!, ...t };
  } catch (err) {
    await t.stop();
    throw err;
  }
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

type StatusClient = Client & {
  Status(req: object, cb: (err: Error | null, res?: { version: string }) => void): void;
};

/** Sends Maintenance.Status to `address`; resolves with the server's version. */
export function statusOnce(address: string, timeoutMs = 1000): Promise<string> {
  const Ctor = makeGenericClientConstructor(loadEtcdServices().Maintenance, 'Maintenance');
  const client = new Ctor(address, credentials.createInsecure()) as unknown as StatusClient;
  return new Promise<string>((resolve, reject) => {
    client.waitForReady(Date.now() + timeoutMs, (err) => {
      if (err) {
        client.close();
        reject(err);
        return;
      }
      client.Status({}, (e, res) => {
        client.close();
        if (e) reject(e);
        else resolve(res!.version);
      });
    });
  });
}

/** Resident set size of process `pid` in bytes, from /proc (NaN where unreadable). */
export function rssBytes(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? NaN : Number(m[1]) * 1024;
  } catch {
    return NaN;
  }
}

/** True when the `etcd` binary is on PATH. */
export async function etcdAvailable(): Promise<boolean> {
  const r = await execa('etcd', ['--version'], { reject: false });
  return r.exitCode === 0;
}

/** Starts the real etcd on free loopback ports with `dataDir`; resolves once it answers Status. */
export async function spawnEtcd(dataDir: string, readyTimeoutMs = 30000): Promise<ServerChild> {
  const client = await freePort();
  const peer = await freePort();
  const c = `http://127.0.0.1:${client}`;
  const p = `http://127.0.0.1:${peer}`;
  const child = execa(
    'etcd',
    ['--data-dir', dataDir, '--listen-client-urls', c, '--advertise-client-urls', c, '--listen-peer-urls', p, '--initial-advertise-peer-urls', p, '--initial-cluster', `default=${p}`],
    { reject: false, stdin: 'ignore', buffer: false, cleanup: true, forceKillAfterDelay: 8000 },
  );
  const t = track(child);
  child.stdout?.resume();
  const address = `127.0.0.1:${client}`;
  const deadline = Date.now() + readyTimeoutMs;
  let exited = false;
  void t.exited.then(() => {
    exited = true;
  });
  for (;;) {
    try {
      await statusOnce(address);
      return { address, pid: child.pid!, ...t };
    } catch (err) {
      if (exited || Date.now() > deadline) {
        await t.stop();
        throw new ChildStartError(`etcd at ${address} not ready (${(err as Error).message}); stderr: ${t.stderr().slice(-2000)}`, { cause: err });
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
