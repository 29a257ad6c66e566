/**
 * The `memory` and `rocksdb` targets: MetaStore-TS served by `metabench serve --engine X` on a
 * free loopback port (`--listen 127.0.0.1:0`) with a temporary data directory. The server prints
 * one JSON line `{"ready":true,"address":…,"pid":…}` when it listens; readiness is then confirmed
 * with a real Status request, as for etcd. It watches its stdin pipe (`--exit-with-parent`), so
 * a runner killed outright does not leave it running or its data directory behind.
 */
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../results/manifest.ts';
import { cpuProfArgs } from './cpu-prof.ts';
import { disposeDataDir, makeDataDir, serverTarget, spawnServer, type ServerProcess } from './server-process.ts';
import { TargetStartError, type StartOptions, type StartedTarget } from './types.ts';

/** The CLI entry a child runs as `node <bin> serve …`. */
export const METABENCH_BIN = join(PACKAGE_ROOT, 'src', 'bin', 'metabench.js');

/** Starts `metabench serve --engine <engine>` and waits until it answers. */
export async function startMetaStore(name: string, engine: 'memory' | 'rocksdb', opts: StartOptions): Promise<StartedTarget> {
  const dataDir = makeDataDir(name, opts.tmpRoot);
  const log = (level: 'info' | 'warn', msg: string) => opts.log(level, msg);
  // If this runner dies (even SIGKILLed) the server stops on its own, and removes the data
  // directory we made for it unless it is to be kept: nobody else would.
  const orphanArgs = ['--exit-with-parent', ...(opts.keepData ? [] : ['--remove-when-orphaned', dataDir])];
  const proc = spawnServer(process.execPath, [...cpuProfArgs(opts.cpuProfDir, name, 'server'), METABENCH_BIN, 'serve', '--engine', engine, '--listen', '127.0.0.1:0', '--data-dir', join(dataDir, 'data'), ...orphanArgs], {
    stopGraceMs: opts.stopGraceMs,
    pipeStdout: true,
    parentPipe: true,
    cpuProf: { dir: opts.cpuProfDir, target: name },
  });
  try {
    const address = await readReadyLine(proc, `metabench serve --engine ${engine}`, opts.readyTimeoutMs ?? 30_000, opts.signal);
    return await serverTarget({ name, kind: engine, label: `metabench serve (${engine})`, proc, address, cleanup: () => disposeDataDir(dataDir, opts.keepData, log) }, opts);
  } catch (err) {
    await proc.stop();
    disposeDataDir(dataDir, opts.keepData, log);
    throw err;
  }
}

/**
 * Reads the server's stdout until its ready line and returns the address it listens on; later
 * stdout lines are passed on to the runner's stderr (the target's log file).
 */
export function readReadyLine(proc: ServerProcess, what: string, timeoutMs: number, signal: AbortSignal): Promise<string> {
  const stdout = proc.subprocess.stdout;
  if (!stdout) return Promise.reject(new TargetStartError(`${what}: no stdout to read the ready line from`));
  const lines = createInterface({ input: stdout });
  return new Promise<string>((resolve, reject) => {
    let settled = false;
    const finish = (err: Error | undefined, address?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve(address!);
    };
    const onAbort = () => finish(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    const timer = setTimeout(() => finish(new TargetStartError(`${what}: no ready line on stdout after ${timeoutMs} ms`)), timeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    void proc.exited.then((how) => finish(new TargetStartError(`${what}: exited before it was ready (${how}); see the target's stderr log`)));
    lines.on('line', (line) => {
      if (settled) {
        process.stderr.write(`[serve] ${line}\n`);
        return;
      }
      const address = parseReadyLine(line);
      if (address) finish(undefined, address);
      else process.stderr.write(`[serve] ${line}\n`);
    });
  });
}

/** The address of a `{"ready":true,"address":"host:port",…}` line, or undefined for other lines. */
export function parseReadyLine(line: string): string | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const msg = JSON.parse(line) as { ready?: unknown; address?: unknown };
    return msg.ready === true && typeof msg.address === 'string' ? msg.address : undefined;
  } catch (err) {
    void err; // Not JSON: an ordinary log line.
    return undefined;
  }
}
