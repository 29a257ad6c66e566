/**
 * The `noop` target: the near no-op etcd v3 server (`src/server/noop/noop-server.ts`) in its own process
 * on a free loopback port, so a run measures the load generator's ceiling per scenario next to the
 * real targets. Started and stopped like `metabench serve` (ready line on stdout, then a real
 * Status request; SIGTERM, then SIGKILL; it stops by itself when the runner dies). It keeps no data on disk and is never graded.
 */
import { fileURLToPath } from 'node:url';
import { cpuProfArgs } from './cpu-prof.ts';
import { readReadyLine } from './metastore.ts';
import { serverTarget, spawnServer } from './server-process.ts';
import type { StartOptions, StartedTarget } from './types.ts';

/** The noop server's executable (registers tsx, then serves). */
export const NOOP_ENTRY = fileURLToPath(new URL('./noop-entry.js', import.meta.url));

/** Starts the noop server and waits until it answers. */
export async function startNoop(name: string, opts: StartOptions): Promise<StartedTarget> {
  const proc = spawnServer(process.execPath, [...cpuProfArgs(opts.cpuProfDir, name, 'server'), NOOP_ENTRY, '127.0.0.1:0', '--exit-with-parent'], { stopGraceMs: opts.stopGraceMs, pipeStdout: true, parentPipe: true, cpuProf: { dir: opts.cpuProfDir, target: name } });
  try {
    const address = await readReadyLine(proc, 'noop server', opts.readyTimeoutMs ?? 30_000, opts.signal);
    return await serverTarget({ name, kind: 'noop', label: 'noop server', proc, address }, opts);
  } catch (err) {
    await proc.stop();
    throw err;
  }
}
