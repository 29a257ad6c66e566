/**
 * Starts (or connects to) a target by kind. The runner calls `startTarget` once per run and
 * `stop()` on what it returns at the end or on interrupt.
 */
import type { TargetSpec } from '../events/target.ts';
import { startEtcd } from './etcd.ts';
import { connectEndpoint } from './endpoint.ts';
import { startMetaStore } from './metastore.ts';
import { startNoop } from './noop.ts';
import type { StartOptions, StartedTarget } from './types.ts';

export { TargetStartError, TargetUnavailableError, type StartOptions, type StartedTarget } from './types.ts';
export { findEtcd, ETCD_INSTALL_HINT } from './etcd.ts';
export { cpuProfArgs, cpuProfileName, cpuProfilePath } from './cpu-prof.ts';

/** Starts the server of `spec` (memory, rocksdb, etcd, noop) or connects to it (endpoint). */
export function startTarget(spec: TargetSpec, opts: StartOptions): Promise<StartedTarget> {
  switch (spec.kind) {
    case 'memory':
    case 'rocksdb':
      return startMetaStore(spec.name, spec.kind, opts);
    case 'etcd':
      if (opts.cpuProfDir !== undefined) opts.log('info', `--cpu-prof: etcd is not profiled (a Go binary; only the runner's profile is written)`);
      return startEtcd(spec.name, opts);
    case 'noop':
      return startNoop(spec.name, opts);
    case 'endpoint':
      if (!spec.endpoints?.length) throw new Error(`target ${spec.name}: endpoint target without --endpoints`);
      return connectEndpoint(spec.name, { endpoints: spec.endpoints, tls: spec.tls, auth: spec.auth }, opts);
  }
}
