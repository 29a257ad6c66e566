/**
 * `metabench serve`: MetaStore-TS over the etcd v3 gRPC API, as a foreground process.
 *
 *   metabench serve --engine memory --data-dir /tmp/ms --listen 127.0.0.1:0
 *   {"ready":true,"address":"127.0.0.1:40123","engine":"memory","pid":1234}     (stdout)
 *
 * stdout carries only that one readiness line (for the process that started us); logs go to
 * stderr. SIGTERM or SIGINT stops it: no new calls, in-flight calls answered, store flushed
 * and closed, exit 0, within 5 s (after which the process exits 1 regardless).
 *
 * Started by a runner (`--exit-with-parent`): end-of-file on stdin (the runner died, even by
 * SIGKILL) stops it the same way, and then `--remove-when-orphaned <dir>` (the temp dir the
 * runner made for it) is removed once the store is closed, since the runner can no longer do it.
 * By hand, without the flag, stdin is not read and nothing is removed.
 */
import { rmSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { format } from 'node:util';
import type { Command } from 'commander';
import { openStore, type EngineName, type MetaStore } from '../../engine/index.ts';
import type { SyncPolicy } from '../../engine/backend/backend.ts';
import { EXPECTED_DIR, dirTargetProblem } from '../../engine/fs/ensure-dir.ts';
import type { SetExit } from '../cli/commands.ts';
import { UsageError } from '../errors.ts';
import type { Logger } from '../server/context.ts';
import { DEFAULT_LISTEN, isLoopback, parseListen, type ListenAddress } from '../server/listen.ts';
import { watchParent } from '../server/parent-watch.ts';
import { readTlsFiles, type TlsPaths } from '../server/tls.ts';

/** Validated `serve` flags. */
export interface ServeOptions {
  engine: EngineName;
  dataDir: string;
  listen: ListenAddress;
  /** Default `always` (fsync before acknowledging). */
  sync: SyncPolicy;
  /** Memory engine: snapshot every this many requests; default 10,000. */
  snapshotCount: number;
  /**
   * Apply the next batch while the previous one syncs (engines that support it: memory). Default
   * `never`: on the raw transport the requests of a closed-loop round arrive together, so one
   * batch takes all of them and one fdatasync covers 50 puts; `always` splits them into two
   * groups that take turns (half the batch, twice the fdatasyncs per put, ~10-20 us more CPU per
   * Put RPC) and measured slower in every same-run pair (bench:serve, put 50 clients: never
   * 6,351 vs always 3,320 and 10,227 vs 5,567 ops/s; txn 10 clients: 1,836 vs 536, 3,458 vs 1,567).
   */
  commitOverlap: 'always' | 'never';
  /** TLS (etcd's `--cert-file`, `--key-file`, `--trusted-ca-file`); plaintext when absent. */
  tls?: TlsPaths;
  /** Stop when stdin reaches end-of-file (the parent that holds its write end is gone). Default off. */
  exitWithParent?: boolean;
  /** With `exitWithParent`: removed after the store is closed, when stopped because the parent is gone. Contains `dataDir`. */
  removeWhenOrphaned?: string;
}

/** The whole shutdown, signal to exit, must fit in this many ms. */
export const SHUTDOWN_DEADLINE_MS = 5000;
/** Part of the deadline given to in-flight calls; the rest is for closing the store. */
const CALLS_GRACE_MS = 3000;

interface RawServeFlags {
  engine?: string;
  dataDir?: string;
  listen: string;
  sync: string;
  snapshotCount: string;
  commitOverlap: string;
  certFile?: string;
  keyFile?: string;
  trustedCaFile?: string;
  exitWithParent?: boolean;
  removeWhenOrphaned?: string;
}

/** Validates the raw flags; throws a one-line `UsageError` naming the flag and the bad value. */
export function parseServeOptions(raw: RawServeFlags): ServeOptions {
  if (raw.engine === undefined) throw new UsageError('serve: --engine is required (memory or rocksdb)');
  if (raw.engine !== 'memory' && raw.engine !== 'rocksdb') {
    throw new UsageError(`serve: --engine must be memory or rocksdb, got '${raw.engine}'`);
  }
  if (raw.dataDir === undefined || raw.dataDir.trim() === '') {
    throw new UsageError('serve: --data-dir is required (the directory the store keeps its data in)');
  }
  // Before anything creates it: a path under /proc would spin Node's recursive mkdir for ever.
  const problem = dirTargetProblem(raw.dataDir);
  if (problem !== undefined) throw new UsageError(`serve: --data-dir '${raw.dataDir}': ${problem}; ${EXPECTED_DIR}`);
  const listen = parseListen(raw.listen);
  if (typeof listen === 'string') throw new UsageError(`serve: ${listen}`);
  if (raw.sync !== 'always' && raw.sync !== 'none') {
    throw new UsageError(`serve: --sync must be always or none, got '${raw.sync}'`);
  }
  const snapshotCount = /^\d+$/.test(raw.snapshotCount) ? Number(raw.snapshotCount) : NaN;
  if (!Number.isSafeInteger(snapshotCount) || snapshotCount < 1) {
    throw new UsageError(`serve: --snapshot-count must be a positive integer, got '${raw.snapshotCount}'`);
  }
  if (raw.commitOverlap !== 'always' && raw.commitOverlap !== 'never') {
    throw new UsageError(`serve: --commit-overlap must be always or never, got '${raw.commitOverlap}'`);
  }
  const tls = parseTlsFlags(raw);
  const orphan = parseOrphanFlags(raw, raw.dataDir);
  return { engine: raw.engine, dataDir: raw.dataDir, listen, sync: raw.sync, snapshotCount, commitOverlap: raw.commitOverlap, ...(tls ? { tls } : {}), ...orphan };
}

/** `--remove-when-orphaned` needs `--exit-with-parent` and must contain `--data-dir`: serve removes only what it was given. */
function parseOrphanFlags(raw: RawServeFlags, dataDir: string): Pick<ServeOptions, 'exitWithParent' | 'removeWhenOrphaned'> {
  const dir = raw.removeWhenOrphaned;
  if (dir === undefined) return raw.exitWithParent ? { exitWithParent: true } : {};
  if (!raw.exitWithParent) throw new UsageError(`serve: --remove-when-orphaned '${dir}' needs --exit-with-parent (it is removed only when the parent is gone)`);
  const rel = relative(resolve(dir), resolve(dataDir));
  if (dir.trim() === '' || rel.startsWith('..') || isAbsolute(rel)) {
    throw new UsageError(`serve: --remove-when-orphaned '${dir}' must contain --data-dir '${dataDir}' (the directory made for this server)`);
  }
  return { exitWithParent: true, removeWhenOrphaned: dir };
}

/** `--cert-file` and `--key-file` go together; `--trusted-ca-file` needs them. */
function parseTlsFlags(raw: RawServeFlags): TlsPaths | undefined {
  const { certFile, keyFile, trustedCaFile } = raw;
  if (certFile === undefined && keyFile === undefined) {
    if (trustedCaFile !== undefined) throw new UsageError('serve: --trusted-ca-file needs --cert-file and --key-file (the server\'s own certificate)');
    return undefined;
  }
  if (certFile === undefined || keyFile === undefined) {
    throw new UsageError(`serve: --cert-file and --key-file go together, got only ${certFile !== undefined ? `--cert-file '${certFile}'` : `--key-file '${keyFile}'`}`);
  }
  return { certFile, keyFile, ...(trustedCaFile !== undefined ? { trustedCaFile } : {}) };
}

const log: Logger = (level, message) => {
  process.stderr.write(`metabench serve: ${level}: ${message}\n`);
};

function oneLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}

async function open(opts: ServeOptions): Promise<MetaStore> {
  try {
    return await openStore({ engine: opts.engine, dataDir: opts.dataDir, sync: opts.sync, snapshotCount: opts.snapshotCount, commitOverlap: opts.commitOverlap, log });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') {
      throw new Error(`serve: the ${opts.engine} engine is not available in this build (${oneLine(err)})`, { cause: err });
    }
    throw new Error(`serve: cannot open the ${opts.engine} store in ${opts.dataDir}: ${oneLine(err)}`, { cause: err });
  }
}

/** Why serve stops: a signal, or (with `--exit-with-parent`) its parent gone. */
type StopReason = { kind: 'signal'; signal: NodeJS.Signals } | { kind: 'parent-gone'; how: string };

function nextSignal(): Promise<StopReason> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals): void => {
      resolve({ kind: 'signal', signal });
      // A second signal (Ctrl-C in the terminal while the runner also sends SIGTERM) must not
      // cut the flush short: it is noted and ignored; the deadline below is the safety net.
      process.removeListener('SIGTERM', on);
      process.removeListener('SIGINT', on);
      const ignore = (s: NodeJS.Signals): void => log('info', `${s} ignored: already stopping`);
      process.on('SIGTERM', ignore);
      process.on('SIGINT', ignore);
    };
    process.on('SIGTERM', on);
    process.on('SIGINT', on);
  });
}

/** Runs the server until SIGTERM/SIGINT; resolves with the exit code. */
export async function serve(opts: ServeOptions): Promise<number> {
  if (!isLoopback(opts.listen.host) && opts.tls === undefined) {
    log('warn', `listening on ${opts.listen.host}, reachable from other machines: this server has no authentication and no TLS (--cert-file, --key-file)`);
  }
  const tls = opts.tls ? readTlsFiles(opts.tls) : undefined;
  // Watched from the start: a runner killed while we open the store must not leave us running.
  const parent = opts.exitWithParent ? watchParent() : undefined;
  const stopped = parent ? Promise.race([nextSignal(), parent.gone.then((how): StopReason => ({ kind: 'parent-gone', how }))]) : nextSignal();
  try {
    const reason = await serveUntil(opts, tls, stopped);
    if (reason.kind === 'parent-gone' && opts.removeWhenOrphaned !== undefined) removeOwnedDir(opts.removeWhenOrphaned);
    log('info', 'stopped');
    return 0;
  } finally {
    // Stdin must not keep the event loop alive once we are done (or failed to start).
    parent?.dispose();
  }
}

/** Opens the store, serves until `stopped` settles, then stops and closes; resolves with why. */
async function serveUntil(opts: ServeOptions, tls: ReturnType<typeof readTlsFiles> | undefined, stopped: Promise<StopReason>): Promise<StopReason> {
  const store = await open(opts);
  // Loaded here, not at the top: every other subcommand would pay for gRPC's start-up.
  const { startEtcdServer } = await import('../server/server.ts');
  const { setLogger } = await import('@grpc/grpc-js');
  setLogger({
    error: (...args: unknown[]) => {
      const text = format(...args);
      // A failed bind is reported once, by us, with the reason (BindError).
      if (!text.includes('No address added out of total')) log('warn', `grpc: ${text}`);
    },
  });
  let server;
  try {
    server = await startEtcdServer({ store, listen: opts.listen, log, tls });
  } catch (err) {
    await store.close();
    throw err;
  }
  process.stdout.write(JSON.stringify({ ready: true, address: server.address, engine: opts.engine, pid: process.pid }) + '\n');
  log('info', `serving the ${opts.engine} engine (data ${opts.dataDir}, sync ${opts.sync}) on ${server.address}${tls ? (tls.ca ? ' (TLS, client certificates required)' : ' (TLS)') : ''}`);

  const reason = await stopped;
  log('info', reason.kind === 'signal' ? `${reason.signal}: stopping` : `parent gone (${reason.how}): stopping`);
  let closed = false;
  setTimeout(() => {
    log('error', closed ? 'event loop still busy after close; exiting' : `not stopped within ${SHUTDOWN_DEADLINE_MS} ms; exiting without a clean close`);
    process.exit(closed ? 0 : 1);
  }, SHUTDOWN_DEADLINE_MS).unref();
  const graceful = await server.stop(CALLS_GRACE_MS);
  if (!graceful) log('warn', `calls still running after ${CALLS_GRACE_MS} ms were cut off`);
  await store.close();
  closed = true;
  return reason;
}

/** The runner that made this directory for us is gone; nobody else would remove it. */
function removeOwnedDir(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true });
    log('info', `removed ${dir} (its owner is gone)`);
  } catch (err) {
    log('warn', `could not remove ${dir}: ${oneLine(err)}`);
  }
}

/** Registers `metabench serve`. */
export function register(program: Command, setExit: SetExit): void {
  program
    .command('serve')
    .description('Serve MetaStore-TS over the etcd v3 gRPC API (prints one JSON line when ready)')
    .option('--engine <name>', 'storage engine: memory or rocksdb')
    .option('--data-dir <dir>', 'data directory (created if missing; locked while serving)')
    .option('--listen <host:port>', 'client address; port 0 picks a free port', DEFAULT_LISTEN)
    .option('--sync <policy>', 'always: fsync before acknowledging a write; none: leave it to the OS', 'always')
    .option('--snapshot-count <n>', 'memory engine: snapshot every n requests', '10000')
    .option('--cert-file <path>', 'serve TLS with this certificate (PEM; with --key-file)')
    .option('--key-file <path>', 'private key of --cert-file (PEM)')
    .option('--trusted-ca-file <path>', 'with TLS: require client certificates signed by this CA (PEM)')
    .option('--commit-overlap <when>', 'always: apply the next batch while the previous one syncs (memory engine); never: one batch at a time', 'never')
    .option('--exit-with-parent', 'stop (as on SIGTERM) when stdin reaches end-of-file: for a parent that keeps the write end of a pipe')
    .option('--remove-when-orphaned <dir>', 'with --exit-with-parent: remove this directory (containing --data-dir) after stopping because the parent is gone')
    .action(async (flags: RawServeFlags) => {
      setExit(await serve(parseServeOptions(flags)));
    });
}
