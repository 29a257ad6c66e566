/**
 * The runner's event stream: one JSON object per line in `results/<run>/<target>.ndjson`.
 * Defined once here (zod schema + the TypeScript types inferred from it) and shared by the
 * writer (runner), the readers (tailer, dashboard, `tail`, reports) and `--json`.
 *
 * Every event has `v` (schema version), `t` (milliseconds since the epoch), `target` and `kind`.
 * Bump `SCHEMA_VERSION` on any incompatible change; readers refuse lines of another version.
 */
import { z } from 'zod';
import { TargetKind } from './target.ts';

export const SCHEMA_VERSION = 1;

/** The scenario name that selects the in-process engine micro-benchmarks (`--scenarios micro`). */
export const MICRO = 'micro';

export { TargetKind } from './target.ts';

/** Latency summary of one operation type, in milliseconds. */
export const LatencySummary = z.object({
  count: z.number().int().nonnegative(),
  meanMs: z.number(),
  p50Ms: z.number(),
  p90Ms: z.number(),
  p99Ms: z.number(),
  p999Ms: z.number(),
  maxMs: z.number(),
});
export type LatencySummary = z.infer<typeof LatencySummary>;

/** A correctness check of a scenario (read-your-write, exactly-once watch delivery, …). */
export const Check = z.object({
  name: z.string(),
  ok: z.boolean(),
  detail: z.string(),
});
export type Check = z.infer<typeof Check>;

export const Grade = z.object({
  grade: z.enum(['A+', 'A', 'B', 'C', 'D', 'F']),
  reason: z.string(),
});
export type Grade = z.infer<typeof Grade>;

/** Server process sample (only for servers the runner started). */
export const ServerSample = z.object({
  pid: z.number().int(),
  cpuPercent: z.number(),
  rssBytes: z.number(),
});
export type ServerSample = z.infer<typeof ServerSample>;

const base = {
  v: z.literal(SCHEMA_VERSION),
  t: z.number(),
  target: z.string(),
  /**
   * Which repeat of the run (`metabench run --repeat N`) wrote the event, 1-based. Stamped by the
   * runner only in runs of two or more repeats; absent means repeat 1 (a run of one repeat, or a
   * file from before repeats existed).
   */
  repeat: z.number().int().positive().optional(),
};

export const RunStartEvent = z.object({
  ...base,
  kind: z.literal('run-start'),
  runId: z.string(),
  targetKind: TargetKind,
  profile: z.string(),
  seed: z.number().int(),
  scenarios: z.array(z.string()),
  /** Where the target listens and which process serves it (absent for `endpoint`). */
  server: z.object({ address: z.string(), pid: z.number().int().optional(), version: z.string().optional() }).optional(),
  /** The load generator's client (`native` or `etcd3`); absent in files from before it was a choice. */
  client: z.enum(['native', 'etcd3']).optional(),
});

/** The target cannot run here (e.g. etcd not installed); the other targets go on. */
export const TargetUnavailableEvent = z.object({
  ...base,
  kind: z.literal('target-unavailable'),
  reason: z.string(),
  hint: z.string().optional(),
});

export const ScenarioStartEvent = z.object({
  ...base,
  kind: z.literal('scenario-start'),
  scenario: z.string(),
  /** Resolved parameters (clients, ops, duration, mix, rate, …). */
  params: z.record(z.string(), z.unknown()),
  /** Planned size: operations in total, or a duration in ms, whichever the scenario is bounded by. */
  totalOps: z.number().optional(),
  durationMs: z.number().optional(),
});

/** Emitted once per second while a scenario runs; the window is the last second. */
export const ProgressEvent = z.object({
  ...base,
  kind: z.literal('progress'),
  scenario: z.string(),
  elapsedMs: z.number(),
  /** Operations completed so far (excluding warm-up). */
  done: z.number(),
  totalOps: z.number().optional(),
  durationMs: z.number().optional(),
  windowOpsPerSec: z.number(),
  windowP50Ms: z.number(),
  windowP99Ms: z.number(),
  /** Errors so far (all kinds). */
  errors: z.number(),
  server: ServerSample.optional(),
});

export const ScenarioEndEvent = z.object({
  ...base,
  kind: z.literal('scenario-end'),
  scenario: z.string(),
  status: z.enum(['passed', 'failed', 'aborted']),
  durationMs: z.number(),
  /** Attempted operations (the one denominator for error rates). */
  ops: z.number(),
  opsPerSec: z.number(),
  errors: z.object({ total: z.number(), byKind: z.record(z.string(), z.number()) }),
  /** Per operation type (put, get, txn, range, delete, watch-delivery, …). */
  latency: z.record(z.string(), LatencySummary),
  /** Operations completed in each 1 s window. */
  series: z.array(z.number()),
  checks: z.array(Check),
  /** Realised share of each operation type, 0..1 (mixed workloads). */
  mix: z.record(z.string(), z.number()).optional(),
  /** Open loop only: operations that started later than intended. */
  lateOps: z.number().optional(),
  /** Scenario-specific figures (bytes reclaimed, phase durations, …). */
  extra: z.record(z.string(), z.number()).optional(),
  /** Service-level objectives this scenario was judged against. */
  slo: z.record(z.string(), z.number()).optional(),
  /**
   * The scenario's headline operation type (its file's `headline`): the one `latency` entry whose
   * p99 is judged and shown for every target, so a row compares the same thing in each column.
   */
  headline: z.string().optional(),
  grade: Grade.optional(),
  /** Why the scenario failed or was aborted. */
  error: z.string().optional(),
});

export const MicroResultEvent = z.object({
  ...base,
  kind: z.literal('micro'),
  engine: z.string(),
  case: z.string(),
  opsPerSec: z.number(),
  meanNs: z.number(),
  p99Ns: z.number(),
  samples: z.number(),
});

export const LogEvent = z.object({
  ...base,
  kind: z.literal('log'),
  level: z.enum(['info', 'warn', 'error']),
  message: z.string(),
});

export const RunEndEvent = z.object({
  ...base,
  kind: z.literal('run-end'),
  status: z.enum(['completed', 'interrupted', 'crashed']),
  durationMs: z.number(),
  error: z.string().optional(),
});

export const RunnerEvent = z.discriminatedUnion('kind', [
  RunStartEvent,
  TargetUnavailableEvent,
  ScenarioStartEvent,
  ProgressEvent,
  ScenarioEndEvent,
  MicroResultEvent,
  LogEvent,
  RunEndEvent,
]);

export type RunStartEvent = z.infer<typeof RunStartEvent>;
export type TargetUnavailableEvent = z.infer<typeof TargetUnavailableEvent>;
export type ScenarioStartEvent = z.infer<typeof ScenarioStartEvent>;
export type ProgressEvent = z.infer<typeof ProgressEvent>;
export type ScenarioEndEvent = z.infer<typeof ScenarioEndEvent>;
export type MicroResultEvent = z.infer<typeof MicroResultEvent>;
export type LogEvent = z.infer<typeof LogEvent>;
export type RunEndEvent = z.infer<typeof RunEndEvent>;
export type RunnerEvent = z.infer<typeof RunnerEvent>;
export type EventKind = RunnerEvent['kind'];

/** An event before the writer stamps `v`, `t` and `target`. */
export type EventBody = RunnerEvent extends infer E ? (E extends RunnerEvent ? Omit<E, 'v' | 't' | 'target'> : never) : never;

/** Parses one NDJSON line; throws an Error naming the line and what is wrong. */
export function parseEventLine(line: string, where = 'event line'): RunnerEvent {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (cause) {
    throw new Error(`${where}: not JSON: ${line.slice(0, 80)}`, { cause });
  }
  const res = RunnerEvent.safeParse(raw);
  if (!res.success) {
    const issue = res.error.issues[0];
    throw new Error(`${where}: invalid event at '${issue?.path.join('.') || '(root)'}': ${issue?.message}`);
  }
  return res.data;
}
