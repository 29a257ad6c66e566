/**
 * Helpers for this folder's integration tests: the engines to run against, temp dirs, and
 * Debian's `etcdctl` (3.4, API v3) run as a child process.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const ROCKSDB_ENGINE = fileURLToPath(new URL('../../engine/backend/rocksdb/index.ts', import.meta.url));

/** Engines the integration tests run against: memory, and rocksdb once its backend exists. */
export const ENGINES: readonly string[] = ['memory', ...(existsSync(ROCKSDB_ENGINE) ? ['rocksdb'] : [])];

/** A fresh directory under the OS temp dir; `remove()` deletes it. */
export async function tempDir(prefix: string): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `metabench-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** What one etcdctl run printed. */
export interface CtlResult {
  stdout: string;
  stderr: string;
  exitCode: number | undefined;
}

function ctlArgs(address: string, args: readonly string[]): string[] {
  return [`--endpoints=${address}`, '--dial-timeout=5s', '--command-timeout=15s', ...args];
}

const ENV = { ETCDCTL_API: '3' };

/** Runs `etcdctl --endpoints=<address> …args`, with `input` on stdin when given. */
export async function etcdctl(address: string, args: readonly string[], input?: string): Promise<CtlResult> {
  const r = await execa('etcdctl', ctlArgs(address, args), {
    env: ENV,
    input: input ?? '',
    reject: false,
    timeout: 30000,
    forceKillAfterDelay: 2000,
  });
  return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode };
}

/** Like `etcdctl` but fails the test unless it exits 0; returns stdout. */
export async function ctlOk(address: string, ...args: string[]): Promise<string> {
  const r = await etcdctl(address, args);
  if (r.exitCode !== 0) throw new Error(`etcdctl ${args.join(' ')} exited ${r.exitCode}: ${r.stderr}`);
  return r.stdout;
}

/**
 * Starts a long-running etcdctl (watch, keep-alive) and resolves once it printed `lines`
 * lines, then kills it. Fails after `timeoutMs` with what it printed so far.
 */
export async function ctlLines(address: string, args: readonly string[], lines: number, timeoutMs = 20000): Promise<string[]> {
  const child = execa('etcdctl', ctlArgs(address, args), { env: ENV, reject: false, stdin: 'ignore', buffer: false, cleanup: true, forceKillAfterDelay: 2000 });
  let out = '';
  let err = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (c: string) => {
    err += c;
  });
  try {
    return await new Promise<string[]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`etcdctl ${args.join(' ')}: ${lines} lines expected within ${timeoutMs} ms, got ${JSON.stringify(out)}; stderr ${err}`)), timeoutMs);
      child.stdout?.setEncoding('utf8');
      child.stdout?.on('data', (c: string) => {
        out += c;
        const got = out.split('\n');
        if (got.length > lines) {
          clearTimeout(timer);
          resolve(got.slice(0, lines));
        }
      });
      void child.then((r) => {
        clearTimeout(timer);
        const got = out.split('\n');
        if (got.length > lines) resolve(got.slice(0, lines));
        else reject(new Error(`etcdctl ${args.join(' ')} exited ${r.exitCode} after ${JSON.stringify(out)}; stderr ${err}`));
      });
    });
  } finally {
    child.kill('SIGKILL');
    await child;
  }
}
