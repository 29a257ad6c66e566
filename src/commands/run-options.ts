/**
 * Validates `metabench run`'s flags at the edge: every bad value becomes one UsageError line
 * (exit 2) before anything is written. Returns complete `RunOptions` for the orchestrator.
 */
import { accessSync, constants, existsSync, lstatSync, mkdirSync, statSync } from 'node:fs';
import { randomInt } from 'node:crypto';
import { join, resolve } from 'node:path';
import { EXPECTED_DIR, dirTargetProblem } from '../../engine/fs/ensure-dir.ts';
import { LATEST } from '../results/latest.ts';
import { UsageError } from '../errors.ts';
import { CLIENT_KINDS, DEFAULT_CLIENT, isClientKind } from '../client/factory.ts';
import type { ClientKind } from '../client/types.ts';
import { MICRO, TargetKind } from '../events/schema.ts';
import type { RunOptions, TargetSpec } from '../orchestrator/types.ts';
import { loadScenarios, PROFILES } from '../../scenarios/loader.ts';
import { WORKLOAD_PARAMS, type Profile, type ResolvedScenario } from '../../scenarios/schema.ts';
import { findEtcd } from '../targets/etcd.ts';
import { waitReady } from '../targets/readiness.ts';
import { TargetStartError, TargetUnavailableError } from '../targets/types.ts';
import { describeUnreachable } from '../runner/unreachable.ts';
import { endpointClientOptions } from '../targets/endpoint.ts';

import { MAX_CLIENT_THREADS, PASSWORD_ENV } from './defaults.ts';

/** Milliseconds an `--endpoints` target gets to answer before the run is refused (default). */
export const ENDPOINT_CHECK_MS = 3000;

/** The flags as commander hands them over. */
export interface RunFlags {
  targets?: string;
  endpoints?: string;
  cacert?: string;
  cert?: string;
  key?: string;
  user?: string;
  scenarios?: string;
  scenarioFile?: string[];
  profile: string;
  seed?: string;
  parallel?: boolean;
  results: string;
  keepData?: boolean;
  json?: boolean;
  clientThreads?: string;
  cpuProf?: string;
  client?: string;
}

/** Turns flags into run options, or throws a UsageError naming the flag and the bad value. */
export async function resolveRunOptions(flags: RunFlags, opts: { endpointCheckMs?: number } = {}): Promise<RunOptions> {
  const profile = parseProfile(flags.profile);
  const seed = flags.seed === undefined ? randomInt(0, 2 ** 31 - 1) : parseSeed(flags.seed);
  const targets = parseTargets(flags);
  const clientThreads = flags.clientThreads === undefined ? undefined : parseClientThreads(flags.clientThreads);
  const client = flags.client === undefined ? DEFAULT_CLIENT : parseClient(flags.client);
  const { scenarios, micro } = await parseScenarios(flags, profile);
  if (clientThreads !== undefined) applyClientThreads(scenarios as ResolvedScenario[], clientThreads);
  const resultsDir = checkResultsDir(flags.results);
  const cpuProfDir = flags.cpuProf === undefined ? undefined : makeProfileDir(flags.cpuProf);
  const endpoint = targets.find((t) => t.kind === 'endpoint');
  if (endpoint) await checkEndpoint(endpoint, opts.endpointCheckMs ?? ENDPOINT_CHECK_MS, client);
  return { client, targets, scenarios, micro, profile, seed, parallel: flags.parallel ?? false, resultsDir, keepData: flags.keepData ?? false, ...(cpuProfDir ? { cpuProfDir } : {}) };
}

function parseClient(value: string): ClientKind {
  if (!isClientKind(value)) throw new UsageError(`--client: unknown client '${value}' (expected ${CLIENT_KINDS.join(' or ')})`);
  return value;
}

function parseClientThreads(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > MAX_CLIENT_THREADS) throw new UsageError(`--client-threads: '${value}' is not a whole number from 1 to ${MAX_CLIENT_THREADS}`);
  return n;
}

/**
 * Sets every scenario's `clientThreads` (the manifest and scenario-start then show it), capped at
 * the scenario's clients; watch keeps one thread (its watchers share one delivery tally).
 */
function applyClientThreads(scenarios: ResolvedScenario[], threads: number): void {
  for (const s of scenarios) {
    if (!WORKLOAD_PARAMS[s.workload].includes('clientThreads')) continue;
    s.params.clientThreads = Math.min(threads, s.params.clients);
  }
}

/** The `--cpu-prof` folder, absolute, created if missing; it must be a writable folder. */
function makeProfileDir(dir: string): string {
  if (dir.trim() === '') throw new UsageError(`--cpu-prof: empty folder name (expected a folder for the .cpuprofile files)`);
  const abs = resolve(dir);
  try {
    mkdirSync(abs, { recursive: true });
    if (!statSync(abs).isDirectory()) throw new UsageError(`--cpu-prof: '${dir}' is not a folder`);
    accessSync(abs, constants.W_OK | constants.X_OK);
  } catch (cause) {
    if (cause instanceof UsageError) throw cause;
    const code = (cause as NodeJS.ErrnoException).code;
    throw new UsageError(`--cpu-prof: '${dir}' is not a writable folder (${code === 'EEXIST' || code === 'ENOTDIR' ? 'a file is in the way' : (code ?? (cause as Error).message)})`, { cause });
  }
  return abs;
}

function parseProfile(value: string): Profile {
  if (!(PROFILES as readonly string[]).includes(value)) throw new UsageError(`--profile: unknown profile '${value}' (expected one of ${PROFILES.join(', ')})`);
  return value as Profile;
}

function parseSeed(value: string): number {
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) throw new UsageError(`--seed: '${value}' is not a non-negative integer`);
  return Number(value);
}

function splitList(flag: string, value: string): string[] {
  const items = value.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new UsageError(`${flag}: empty item in '${value}' (expected a comma-separated list)`);
  const dup = items.find((s, i) => items.indexOf(s) !== i);
  if (dup) throw new UsageError(`${flag}: '${dup}' is listed twice`);
  return items;
}

/** Default targets: memory and rocksdb, plus etcd when its binary is installed. */
export function defaultTargetKinds(): TargetKind[] {
  return findEtcd() ? ['memory', 'rocksdb', 'etcd'] : ['memory', 'rocksdb'];
}

function parseTargets(flags: RunFlags): TargetSpec[] {
  let kinds: TargetKind[];
  if (flags.targets !== undefined) {
    kinds = splitList('--targets', flags.targets).map((k) => {
      const res = TargetKind.safeParse(k);
      if (!res.success) throw new UsageError(`--targets: unknown target '${k}' (expected ${TargetKind.options.join(', ')})`);
      return res.data;
    });
  } else {
    // `--endpoints` alone means: benchmark that endpoint only.
    kinds = flags.endpoints !== undefined ? ['endpoint'] : defaultTargetKinds();
  }
  const wantsEndpoint = kinds.includes('endpoint');
  const endpointFlags = (['endpoints', 'cacert', 'cert', 'key', 'user'] as const).filter((f) => flags[f] !== undefined);
  if (!wantsEndpoint && endpointFlags.length > 0) throw new UsageError(`--${endpointFlags[0]}: only for the endpoint target, which is not in --targets (${kinds.join(',')})`);
  return kinds.map((kind): TargetSpec => (kind === 'endpoint' ? endpointSpec(flags) : { name: kind, kind }));
}

function endpointSpec(flags: RunFlags): TargetSpec {
  if (flags.endpoints === undefined) throw new UsageError('--targets: endpoint needs --endpoints host:port[,host:port…]');
  const endpoints = splitList('--endpoints', flags.endpoints);
  for (const e of endpoints) {
    const m = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(e);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) throw new UsageError(`--endpoints: '${e}' is not host:port (e.g. 127.0.0.1:2379)`);
  }
  const tls: { cacert?: string; cert?: string; key?: string } = {};
  for (const f of ['cacert', 'cert', 'key'] as const) {
    const path = flags[f];
    if (path === undefined) continue;
    try {
      accessSync(path, constants.R_OK);
    } catch (cause) {
      throw new UsageError(`--${f}: cannot read '${path}': ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`, { cause });
    }
    tls[f] = resolve(path);
  }
  if ((tls.cert === undefined) !== (tls.key === undefined)) throw new UsageError(`--${tls.cert ? 'cert' : 'key'}: --cert and --key go together`);
  let auth: TargetSpec['auth'];
  if (flags.user !== undefined) {
    const i = flags.user.indexOf(':');
    const user = i < 0 ? flags.user : flags.user.slice(0, i);
    if (user === '') throw new UsageError(`--user: '${flags.user}' has no user name (expected user[:password])`);
    auth = { user, password: i < 0 ? (process.env[PASSWORD_ENV] ?? '') : flags.user.slice(i + 1) };
  }
  return { name: 'endpoint', kind: 'endpoint', endpoints, ...(Object.keys(tls).length ? { tls } : {}), ...(auth ? { auth } : {}) };
}

async function parseScenarios(flags: RunFlags, profile: Profile): Promise<{ scenarios: RunOptions['scenarios']; micro: boolean }> {
  let names = flags.scenarios !== undefined ? splitList('--scenarios', flags.scenarios) : undefined;
  const micro = names?.includes(MICRO) ?? false;
  if (names) names = names.filter((n) => n !== MICRO);
  const files = flags.scenarioFile ?? [];
  if (micro && names?.length === 0 && files.length === 0) return { scenarios: [], micro };
  try {
    return { scenarios: await loadScenarios({ names, profile, files }), micro };
  } catch (cause) {
    throw new UsageError((cause as Error).message, { cause });
  }
}

/** The results folder, absolute; it or its nearest existing parent must be a writable folder (not /proc, /sys). */
function checkResultsDir(dir: string): string {
  const problem = dirTargetProblem(dir);
  if (problem !== undefined) throw new UsageError(`--results: cannot use '${dir}': ${problem}; ${EXPECTED_DIR}`);
  const abs = resolve(dir);
  // `latest` is the link metabench keeps to the newest run; anything else there is the user's.
  const latest = join(abs, LATEST);
  if (existsSync(latest) && !lstatSync(latest).isSymbolicLink()) {
    throw new UsageError(`--results: '${latest}' is not the link to the newest run metabench keeps there (it is a ${lstatSync(latest).isDirectory() ? 'folder' : 'file'}); move it away, metabench will not replace it`);
  }
  return abs;
}

async function checkEndpoint(spec: TargetSpec, timeoutMs: number, client: ClientKind): Promise<void> {
  try {
    await waitReady(endpointClientOptions({ endpoints: spec.endpoints ?? [], tls: spec.tls, auth: spec.auth }), {
      what: `--endpoints ${spec.endpoints?.join(',')}`,
      timeoutMs,
      intervalMs: 250,
      client,
    });
  } catch (cause) {
    if (!(cause instanceof TargetStartError)) throw cause;
    const where = spec.endpoints?.join(',');
    if (cause.refused) throw new UsageError(`--user: ${where} refused ${spec.auth ? `user '${spec.auth.user}'` : 'the request'}: ${cause.detail}`, { cause });
    // Not a usage error: the flag is well formed, the endpoint is down or not etcd (exit 1).
    throw new TargetUnavailableError(`endpoint ${where} unavailable: ${describeUnreachable(cause.detail)}`, undefined, { cause });
  }
}
