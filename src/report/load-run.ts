/**
 * Reads a finished (or interrupted) run back from its folder: the manifest `run.json` and every
 * `<target>.ndjson`, folded through the same reducer as the live dashboard (`reduceRunState`).
 * The NDJSON files are the truth; `summary.json` and `report.md` are derived from them.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { parseEventLine, type RunnerEvent } from '../events/schema.ts';
import { initialRunState, reduceRunState, type RunState } from '../state/run-state.ts';

/**
 * The manifest fields a report shows. Lenient on purpose (every field optional, unknown fields
 * kept): a report of an older or newer run should still print what it can.
 */
export const ReportManifest = z
  .object({
    runId: z.string(),
    startedAt: z.string(),
    host: z
      .object({ cpus: z.number(), cpuModel: z.string(), memoryBytes: z.number(), os: z.string(), arch: z.string() })
      .partial()
      .loose(),
    nodeVersion: z.string(),
    metabenchVersion: z.string(),
    gitCommit: z.string(),
    targets: z.array(z.object({ name: z.string(), kind: z.string().optional() }).loose()),
    profile: z.string(),
    scenarios: z.array(z.record(z.string(), z.unknown())),
    seed: z.number(),
    mode: z.enum(['sequential', 'parallel']),
    client: z.string(),
  })
  .partial()
  .loose();
/** See {@link ReportManifest}. */
export type ReportManifest = z.infer<typeof ReportManifest>;

/** A run read back from disk. */
export interface LoadedRun {
  /** The run folder (as given). */
  dir: string;
  /** Run id: the manifest's, else the folder name. */
  runId: string;
  manifest: ReportManifest;
  /** Every event folded, in file order per target. */
  state: RunState;
  /** Target names that have a result file. */
  files: string[];
  /** Problems worth a line in the report (a truncated last line, …). */
  warnings: string[];
}

/** The run folder has no readable `run.json`: not a run, or not one yet. */
export class RunNotFoundError extends Error {
  override readonly name = 'RunNotFoundError';
}

/** Reads `run.json` and every `*.ndjson` of a run folder and folds them into a `RunState`. */
export async function loadRun(dir: string): Promise<LoadedRun> {
  const manifest = await readReportManifest(dir);
  const warnings: string[] = [];
  const names = (await readdir(dir)).filter((f) => f.endsWith('.ndjson')).sort();
  // Manifest order first (the order targets ran in), then any other result file.
  const planned = (manifest.targets ?? []).map((t) => t.name);
  const files = [...planned.filter((t) => names.includes(`${t}.ndjson`)), ...names.map((f) => basename(f, '.ndjson')).filter((t) => !planned.includes(t))];
  let state = initialRunState({
    runId: manifest.runId,
    profile: manifest.profile,
    seed: manifest.seed,
    targets: planned,
    scenarios: (manifest.scenarios ?? []).flatMap((s) => (typeof s.name === 'string' ? [s.name] : [])),
    parallel: manifest.mode === 'parallel',
  });
  for (const target of files) {
    for (const event of await readEvents(join(dir, `${target}.ndjson`), warnings)) state = reduceRunState(state, event);
  }
  return { dir, runId: manifest.runId ?? basename(dir), manifest, state, files, warnings };
}

async function readReportManifest(dir: string): Promise<ReportManifest> {
  const path = join(dir, 'run.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no run.json there' : (cause as Error).message;
    throw new RunNotFoundError(`${dir}: not a metabench run folder (${why})`, { cause });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new Error(`${path}: not JSON: ${(cause as Error).message}`, { cause });
  }
  const res = ReportManifest.safeParse(raw);
  if (!res.success) {
    const issue = res.error.issues[0];
    throw new Error(`${path}: invalid manifest at '${issue?.path.join('.') || '(root)'}': ${issue?.message}`);
  }
  return res.data;
}

/**
 * Parses one result file. A last line without its newline is a write cut short (the runner was
 * killed mid-line): it is skipped with a warning. Any other bad line is an error naming file:line.
 */
async function readEvents(path: string, warnings: string[]): Promise<RunnerEvent[]> {
  const text = await readFile(path, 'utf8');
  const lines = text.split('\n');
  const tail = lines.pop() ?? '';
  if (tail.trim() !== '') warnings.push(`${basename(path)}: last line is incomplete (${tail.length} bytes), skipped`);
  const events: RunnerEvent[] = [];
  lines.forEach((line, i) => {
    if (line.trim() !== '') events.push(parseEventLine(line, `${path}:${i + 1}`));
  });
  return events;
}
