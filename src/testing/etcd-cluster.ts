/**
 * A 3-member etcd cluster on loopback (free ports, temp data dirs) for tests of the `endpoint`
 * target: the path users take when they outgrow one machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { etcdMemberArgs, findEtcd } from '../targets/etcd.ts';
import { freePort } from '../targets/free-port.ts';
import { waitReady } from '../targets/readiness.ts';
import { spawnServer, type ServerProcess } from '../targets/server-process.ts';

/** A running cluster. */
export interface EtcdCluster {
  /** `127.0.0.1:port` of each member's client URL. */
  readonly endpoints: string[];
  readonly pids: number[];
  /** Stops every member and removes the data. */
  stop(): Promise<void>;
}

/** Starts `size` members (default 3) and waits until every one answers. */
export async function startEtcdCluster(size = 3): Promise<EtcdCluster> {
  const bin = findEtcd();
  if (!bin) throw new Error('etcd cluster: no etcd on PATH');
  const dir = mkdtempSync(join(tmpdir(), 'metabench-cluster-'));
  const members = [];
  for (let i = 0; i < size; i++) members.push({ name: `m${i}`, clientPort: await freePort(), peerPort: await freePort() });
  const initialCluster = members.map((m) => `${m.name}=http://127.0.0.1:${m.peerPort}`).join(',');
  const token = `metabench-test-${process.pid}-${Date.now()}`;
  const procs: ServerProcess[] = members.map((m) =>
    spawnServer(bin, etcdMemberArgs({ ...m, dataDir: join(dir, m.name), initialCluster, clusterToken: token, logLevel: 'error' }), { stopGraceMs: 3000 }),
  );
  const stop = async () => {
    await Promise.all(procs.map((p) => p.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await Promise.all(members.map((m, i) => waitReady({ hosts: [`127.0.0.1:${m.clientPort}`] }, { what: `etcd member ${m.name}`, timeoutMs: 30_000, exited: procs[i].exited })));
  } catch (err) {
    await stop();
    throw err;
  }
  return { endpoints: members.map((m) => `127.0.0.1:${m.clientPort}`), pids: procs.map((p) => p.pid), stop };
}
