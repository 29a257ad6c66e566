/**
 * Loads scenario files (the built-ins next to this file, and users' own YAML or JSON), validates
 * them once, and resolves a profile into complete parameters. Every error is one line naming the
 * file, the field and the bad value.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import type { TargetKind } from '../src/events/schema.ts';
import {
  KEY_PREFIX_DEFAULTS,
  PARAM_DEFAULTS,
  PROFILES,
  ScenarioFile,
  SLO_DEFAULTS,
  WORKLOAD_OPS,
  WORKLOAD_PARAMS,
  type ParamsInput,
  type Profile,
  type ResolvedParams,
  type ResolvedScenario,
} from './schema.ts';

/** The run profiles, re-exported for the CLI: `quick` (the CLI's default), `standard`, `soak`. */
export { PROFILES };

/** Folder of the built-in scenario files (this folder). */
export const SCENARIOS_DIR = path.dirname(fileURLToPath(import.meta.url));

/** Names of the built-in scenarios, in the order a full run takes them. */
export const BUILTIN_SCENARIOS: string[] = [
  'large-scale-load',
  'sustained-load',
  'mixed-workload',
  'watch-scalability',
  'txn-throughput',
  'compaction',
];

/** Largest scenario file read, in bytes (a description is at most 10 KiB; the rest is small). */
export const MAX_SCENARIO_FILE_BYTES = 1024 * 1024;

/** Workloads whose size is `clients × opsPerClient` or `durationMs` (exactly one). */
const BOUNDED_BY_OPS_OR_TIME = new Set(['put-get', 'put', 'mixed', 'txn']);

/** Options of {@link loadScenarios}. */
export interface LoadOptions {
  /** Scenarios to run by name (built-ins, or names of `files`). Default: all built-ins, or all `files` when given. */
  names?: string[];
  /** Profile to resolve. */
  profile: Profile;
  /** Users' scenario files (YAML or JSON), paths relative to the working directory. */
  files?: string[];
}

/**
 * Loads, validates and resolves scenarios in the order asked for.
 * Throws a one-line Error naming the file, field and value on any invalid input.
 */
export async function loadScenarios(opts: LoadOptions): Promise<ResolvedScenario[]> {
  if (!(PROFILES as readonly string[]).includes(opts.profile)) {
    throw new Error(`unknown profile '${String(opts.profile)}' (expected one of ${PROFILES.join(', ')})`);
  }
  const userFiles = opts.files ?? [];
  const loaded = new Map<string, ResolvedScenario>();
  for (const file of userFiles) {
    const s = await loadScenarioFile(path.resolve(file), opts.profile);
    if (loaded.has(s.name)) throw new Error(`${file}: name: scenario '${s.name}' is defined twice`);
    // A file named like a built-in would silently stand in for it in runs and reports compared later.
    if (BUILTIN_SCENARIOS.includes(s.name)) {
      throw new Error(`${file}: name: '${s.name}' is a built-in scenario (${path.join(SCENARIOS_DIR, `${s.name}.yaml`)}); give yours another name`);
    }
    loaded.set(s.name, s);
  }
  const names = opts.names ?? (userFiles.length > 0 ? [...loaded.keys()] : BUILTIN_SCENARIOS);
  const out: ResolvedScenario[] = [];
  for (const name of names) {
    let s = loaded.get(name);
    if (!s) {
      if (!BUILTIN_SCENARIOS.includes(name)) {
        throw new Error(`unknown scenario '${name}' (expected one of ${[...BUILTIN_SCENARIOS, ...loaded.keys()].join(', ')})`);
      }
      s = await loadScenarioFile(path.join(SCENARIOS_DIR, `${name}.yaml`), opts.profile);
    }
    out.push(s);
  }
  return out;
}

/** Reads, validates and resolves one scenario file for a profile. */
export async function loadScenarioFile(file: string, profile: Profile): Promise<ResolvedScenario> {
  let text: string;
  let size: number;
  try {
    size = (await stat(file)).size;
    text = size > MAX_SCENARIO_FILE_BYTES ? '' : await readFile(file, 'utf8');
  } catch (cause) {
    throw new Error(`${file}: cannot read scenario file: ${(cause as Error).message}`, { cause });
  }
  if (size > MAX_SCENARIO_FILE_BYTES) {
    throw new Error(`${file}: scenario file is ${size.toLocaleString('en-US')} bytes; expected at most ${MAX_SCENARIO_FILE_BYTES.toLocaleString('en-US')} (1 MiB)`);
  }
  let raw: unknown;
  try {
    raw = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (cause) {
    const first = String((cause as Error).message).split('\n')[0];
    throw new Error(`${file}: not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${first}`, { cause });
  }
  return resolveScenario(raw, profile, file);
}

/** Validates an already-parsed scenario document and resolves it for a profile. */
export function resolveScenario(raw: unknown, profile: Profile, source: string): ResolvedScenario {
  const res = ScenarioFile.safeParse(raw);
  if (!res.success) throw new Error(describeIssue(source, raw, res.error));
  const doc = res.data;
  const override = doc.profiles[profile] ?? {};
  const merged: Record<string, unknown> = { ...doc.params };
  // A profile that switches the bound (ops ↔ duration) replaces the other one.
  if (override.durationMs != null && override.opsPerClient === undefined) delete merged.opsPerClient;
  if (override.opsPerClient != null && override.durationMs === undefined) delete merged.durationMs;
  for (const [k, v] of Object.entries(override)) {
    if (v === null) delete merged[k];
    else merged[k] = v;
  }
  const p = merged as ParamsInput;
  const used: readonly string[] = WORKLOAD_PARAMS[doc.workload];
  for (const k of Object.keys(p)) {
    if (!used.includes(k)) {
      const from = k in override ? `profiles.${profile}.${k}` : `params.${k}`;
      throw new Error(`${source}: ${from}: not used by workload '${doc.workload}' (value ${show(p[k as keyof ParamsInput])}); it takes ${used.join(', ')}`);
    }
  }
  const where = Object.keys(override).length === 0 ? 'params' : `params (with profiles.${profile})`;
  if (p.opsPerClient !== undefined && p.durationMs !== undefined) {
    throw new Error(`${source}: ${where}: opsPerClient (${p.opsPerClient}) and durationMs (${p.durationMs}) are exclusive; expected one`);
  }
  if (BOUNDED_BY_OPS_OR_TIME.has(doc.workload) && p.opsPerClient === undefined && p.durationMs === undefined) {
    throw new Error(`${source}: ${where}: workload '${doc.workload}' needs opsPerClient or durationMs; got neither`);
  }
  const clients = p.clients ?? PARAM_DEFAULTS.clients;
  const params: ResolvedParams = {
    ...PARAM_DEFAULTS,
    keyPrefix: KEY_PREFIX_DEFAULTS[doc.workload],
    contendedClients: clients,
    ...p,
    clients,
    mix: p.mix ? { put: 0, get: 0, delete: 0, range: 0, ...p.mix } : { ...PARAM_DEFAULTS.mix },
  };
  if (doc.workload === 'mixed' && Object.values(params.mix).every((w) => w === 0)) {
    throw new Error(`${source}: params.mix: all weights are 0; expected at least one positive weight`);
  }
  if (params.clientThreads > params.clients) {
    throw new Error(`${source}: params.clientThreads: ${params.clientThreads} is more than clients (${params.clients}); expected ≤ clients (each thread runs at least one)`);
  }
  if (params.connections > params.clients && doc.workload !== 'watch') {
    throw new Error(`${source}: params.connections: ${params.connections} is more than clients (${params.clients}); expected ≤ clients`);
  }
  if (doc.headline !== undefined && !WORKLOAD_OPS[doc.workload].includes(doc.headline)) {
    throw new Error(`${source}: headline: workload '${doc.workload}' records no operation type '${doc.headline}'; expected one of ${WORKLOAD_OPS[doc.workload].join(', ')}`);
  }
  return {
    name: doc.name,
    description: doc.description,
    workload: doc.workload,
    ...(doc.headline !== undefined ? { headline: doc.headline } : {}),
    profile,
    params,
    slo: { ...SLO_DEFAULTS, ...doc.slo },
    sloByTarget: doc.sloByTarget,
    source,
  };
}

/**
 * The SLOs a scenario is judged against on a target kind: the scenario's `slo`, overridden by its
 * `sloByTarget[kind]`. Keys: `maxErrorRate` (fraction), `maxP99Ms`, `minOpsPerSec`, and
 * `maxThroughputCv` where the scenario declares it.
 */
export function resolveSlo(s: ResolvedScenario, targetKind: TargetKind): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries({ ...s.slo, ...s.sloByTarget[targetKind] })) {
    if (typeof v === 'number') out[k] = v;
  }
  return out;
}

/** One line for the first validation issue: file, field path, what was expected, what was found. */
function describeIssue(source: string, raw: unknown, error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return `${source}: invalid scenario file`;
  const at = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const field = [...at, issue.keys[0]].join('.');
    return `${source}: ${field}: unknown field (value ${show(valueAt(raw, [...at, issue.keys[0]]))})`;
  }
  const field = at.join('.') || '(root)';
  const value = valueAt(raw, at);
  return `${source}: ${field}: ${issue.message.replace(/^Invalid input: /, '')}; got ${show(value)}`;
}

function valueAt(raw: unknown, at: readonly string[]): unknown {
  let cur: unknown = raw;
  for (const k of at) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  // JSON has no NaN or infinity (they would print as null); YAML writes them .nan and .inf.
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? '.nan (not a number)' : v > 0 ? '.inf (infinity)' : '-.inf (minus infinity)';
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
