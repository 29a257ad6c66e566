/**
 * `results/<run>/run.json`: what was run, where and how, written before the first runner starts
 * and read back by the runners, `metabench tail`, the dashboard and the reports.
 */
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { arch, cpus, freemem, platform, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execaSync } from 'execa';
import { z } from 'zod';
import { ManifestTarget } from '../events/target.ts';
import type { ResolvedScenario } from '../../scenarios/schema.ts';

export { ManifestTarget } from '../events/target.ts';

/** The manifest's format version. */
export const MANIFEST_VERSION = 1;

/** The repository root (where package.json lives). */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');


/**
 * A scenario as the loader resolved it (`scenarios/schema.ts`). Written by this process's own
 * loader, so only its shape (an object with a name) is checked when read back.
 */
const ResolvedScenarioShape = z.custom<ResolvedScenario>((v) => typeof v === 'object' && v !== null && typeof (v as { name?: unknown }).name === 'string', {
  message: 'expected a resolved scenario (an object with a name)',
});

export const RunManifest = z.object({
  v: z.literal(MANIFEST_VERSION),
  runId: z.string(),
  /** ISO 8601 start time. */
  startedAt: z.string(),
  host: z.object({
    cpus: z.number().int(),
    cpuModel: z.string(),
    memoryBytes: z.number(),
    freeMemoryBytes: z.number(),
    os: z.string(),
    arch: z.string(),
  }),
  nodeVersion: z.string(),
  metabenchVersion: z.string(),
  gitCommit: z.string().optional(),
  targets: z.array(ManifestTarget),
  profile: z.string(),
  /** The scenarios with their resolved parameters, in run order. */
  scenarios: z.array(ResolvedScenarioShape),
  seed: z.number().int(),
  /** Run the in-process engine micro-benchmarks (`micro`) after the scenarios, on memory/rocksdb. */
  micro: z.boolean().optional(),
  /** `sequential` (default) or `parallel` (targets ran at the same time; figures skew). */
  mode: z.enum(['sequential', 'parallel']),
  /** Same as `mode === 'parallel'` (the reducer's manifest shape reads this). */
  parallel: z.boolean().optional(),
  /** The load generator's client (`--client`); absent in runs from before it was a choice (`etcd3` then). */
  client: z.enum(['native', 'etcd3']).optional(),
  /**
   * `--repeat N`: how many times every target ran the whole suite, targets interleaved (repeat 1
   * of every target, then repeat 2, …); absent in runs from before it existed (1 then).
   */
  repeats: z.number().int().positive().optional(),
  /** PID of the orchestrator that runs it, so a reader can tell an abandoned run. */
  orchestratorPid: z.number().int(),
});
export type RunManifest = z.infer<typeof RunManifest>;

/** What the caller decides; the host facts are filled in by `buildManifest`. */
export type ManifestInput = Pick<RunManifest, 'runId' | 'targets' | 'profile' | 'scenarios' | 'seed' | 'mode' | 'micro' | 'client' | 'repeats'>;

/** Fills in the host, versions and git commit around what the caller chose. */
export function buildManifest(input: ManifestInput, startedAt: Date = new Date()): RunManifest {
  const cpuList = cpus();
  return {
    v: MANIFEST_VERSION,
    ...input,
    startedAt: startedAt.toISOString(),
    host: {
      cpus: cpuList.length,
      cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
      memoryBytes: totalmem(),
      freeMemoryBytes: freemem(),
      os: `${platform()} ${release()}`,
      arch: arch(),
    },
    nodeVersion: process.version,
    metabenchVersion: packageVersion(),
    gitCommit: gitCommit(),
    parallel: input.mode === 'parallel',
    orchestratorPid: process.pid,
  };
}

/** Writes `run.json` atomically (temp file + rename), so readers never see half of it. */
export function writeManifest(runDir: string, manifest: RunManifest): void {
  const path = join(runDir, 'run.json');
  writeFileSync(`${path}.tmp`, JSON.stringify(manifest, null, 2) + '\n');
  renameSync(`${path}.tmp`, path);
}

/** Reads and validates `run.json`; throws an Error naming the file and the bad field. */
export function readManifest(runDir: string): RunManifest {
  const path = join(runDir, 'run.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new Error(`${path}: cannot read the run manifest: ${(cause as Error).message}`, { cause });
  }
  const res = RunManifest.safeParse(raw);
  if (!res.success) {
    const issue = res.error.issues[0];
    throw new Error(`${path}: invalid manifest at '${issue?.path.join('.') || '(root)'}': ${issue?.message}`);
  }
  return res.data;
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** The checked-out commit, when metabench runs from a git clone and git is installed. */
function gitCommit(): string | undefined {
  const res = execaSync('git', ['rev-parse', 'HEAD'], { cwd: PACKAGE_ROOT, reject: false, timeout: 5000 });
  return res.exitCode === 0 && /^[0-9a-f]{40}$/.test(res.stdout.trim()) ? res.stdout.trim() : undefined;
}
