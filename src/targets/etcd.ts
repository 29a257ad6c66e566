/**
 * The `etcd` target: Debian's etcd binary (package `etcd-server`) as a single member on free
 * loopback ports with a temporary data directory, ready when it answers a Status request.
 */
import { freePort } from './free-port.ts';
import { disposeDataDir, makeDataDir, serverTarget, spawnServer, type ServerProcess } from './server-process.ts';
import { TargetStartError, TargetUnavailableError, type StartOptions, type StartedTarget } from './types.ts';
import { which } from './which.ts';

/** What to tell a user whose machine has no etcd. */
export const ETCD_INSTALL_HINT = 'apt-get install etcd-server';

/** Start attempts: a free port can be taken between probing and etcd binding it. */
const START_ATTEMPTS = 3;

/** The etcd binary on PATH, or undefined. */
export function findEtcd(): string | undefined {
  return which('etcd');
}

/** Command-line flags of one etcd member listening on loopback. */
export function etcdMemberArgs(m: { name: string; dataDir: string; clientPort: number; peerPort: number; initialCluster: string; clusterToken?: string; logLevel?: 'warn' | 'error' }): string[] {
  return [
    '--name', m.name,
    '--data-dir', m.dataDir,
    '--listen-client-urls', `http://127.0.0.1:${m.clientPort}`,
    '--advertise-client-urls', `http://127.0.0.1:${m.clientPort}`,
    '--listen-peer-urls', `http://127.0.0.1:${m.peerPort}`,
    '--initial-advertise-peer-urls', `http://127.0.0.1:${m.peerPort}`,
    '--initial-cluster', m.initialCluster,
    '--initial-cluster-state', 'new',
    '--initial-cluster-token', m.clusterToken ?? `metabench-${process.pid}`,
    '--logger', 'zap',
    '--log-outputs', 'stderr',
    '--log-level', m.logLevel ?? 'warn',
  ];
}

/** Starts a single-member etcd; throws TargetUnavailableError when the binary is missing. */
export async function startEtcd(name: string, opts: StartOptions): Promise<StartedTarget> {
  const bin = findEtcd();
  if (!bin) throw new TargetUnavailableError('etcd is not installed (no `etcd` on PATH)', ETCD_INSTALL_HINT);
  const dataDir = makeDataDir(name, opts.tmpRoot);
  const log = (level: 'info' | 'warn', msg: string) => opts.log(level, msg);
  let lastError: unknown;
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    const clientPort = await freePort();
    const peerPort = await freePort();
    const address = `127.0.0.1:${clientPort}`;
    const proc: ServerProcess = spawnServer(
      bin,
      etcdMemberArgs({ name: 'metabench', dataDir: `${dataDir}/member-data`, clientPort, peerPort, initialCluster: `metabench=http://127.0.0.1:${peerPort}` }),
      { stopGraceMs: opts.stopGraceMs },
    );
    try {
      return await serverTarget({ name, kind: 'etcd', label: 'etcd', proc, address, cleanup: () => disposeDataDir(dataDir, opts.keepData, log) }, opts);
    } catch (err) {
      lastError = err;
      const how = await proc.stop();
      if (opts.signal.aborted || !(err instanceof TargetStartError)) break;
      opts.log('warn', `etcd start attempt ${attempt} failed (${how}): ${(err as Error).message}`);
    }
  }
  disposeDataDir(dataDir, opts.keepData, log);
  throw lastError instanceof Error ? lastError : new TargetStartError(`etcd: could not start: ${String(lastError)}`);
}
