/**
 * What a scenario file may say, and what the loader hands the runner after resolving a profile.
 *
 * A scenario file (YAML or JSON) names a workload from the vocabulary below, gives its standard
 * parameters, optional per-profile overrides, and the service-level objectives its grade is
 * judged against:
 *
 * ```yaml
 * name: large-scale-load
 * description: 50 clients × 1000 Put-then-Get, every Get must return the value just put
 * workload: put-get
 * headline: put-get          # the operation type whose p99 every target is judged and shown by
 * params: { clients: 50, opsPerClient: 1000 }
 * profiles:
 *   quick: { clients: 10, opsPerClient: 100 }
 *   soak: { opsPerClient: null, durationMs: 300000 }   # null removes a standard parameter
 * slo: { maxErrorRate: 0.01, maxP99Ms: 200, minOpsPerSec: 500 }
 * sloByTarget: { rocksdb: { maxP99Ms: 300, minOpsPerSec: 200 } }
 * ```
 *
 * Every number has a range (`LIMITS` below: clients 1…10,000, durationMs ≤ 24 h, opsPerClient
 * ≤ 10^8, warmupMs ≤ 10 min, rate 1…10^6 ops/s, valueSize ≤ 8 MiB, …; description ≤ 10 KiB), and
 * a value outside it is refused naming the range.
 */
import { z } from 'zod';
import type { TargetKind } from '../src/events/schema.ts';

/** The run profiles: `quick` (seconds, CI), `standard` (the seed's parameters), `soak` (5–10 min). */
export const PROFILES = ['quick', 'standard', 'soak'] as const;
/** One of {@link PROFILES}. */
export type Profile = (typeof PROFILES)[number];

/**
 * The workload vocabulary: what one operation of a scenario is.
 * - `put-get`: Put then Get of `<keyPrefix>/client-<c>/key-<j>`, the Get must return the value.
 * - `put`: Put of a key within the client's key space (sustained throughput).
 * - `mixed`: one weighted-random choice per operation among put/get/delete/range.
 * - `watch`: watchers on one prefix, Puts with bounded in-flight writes, exact per-event accounting.
 * - `txn`: `If(Version(k)=0) Then Put Else Get`, plus an optional contended CAS-counter phase.
 * - `compaction`: load, overwrite, compact, read; phases timed separately.
 */
export const WORKLOADS = ['put-get', 'put', 'mixed', 'watch', 'txn', 'compaction'] as const;
/** One of {@link WORKLOADS}. */
export type WorkloadName = (typeof WORKLOADS)[number];

/**
 * The operation types (latency entries) each workload records, one of which a file names as its
 * `headline`. `put-get` is the Put+Get pair; `overwrite` the compaction workload's second pass;
 * `cas-attempt`/`cas` the contended txn phase.
 */
export const WORKLOAD_OPS: Record<WorkloadName, readonly string[]> = {
  'put-get': ['put-get', 'put', 'get'],
  put: ['put'],
  mixed: ['put', 'get', 'delete', 'range'],
  watch: ['watch-delivery', 'put'],
  txn: ['txn', 'cas-attempt', 'cas'],
  compaction: ['overwrite', 'put', 'compact', 'get'],
};

/** Operation types a `mixed` workload chooses among. */
export const MIX_OPS = ['put', 'get', 'delete', 'range'] as const;
/** One of {@link MIX_OPS}. */
export type MixOp = (typeof MIX_OPS)[number];

const grouped = (n: number): string => n.toLocaleString('en-US');

/**
 * An integer within `min…max`; every refusal names the range (`expected an integer in 1…10,000`),
 * `unit` says what the numbers count and why the bound is where it is.
 */
function intIn(min: number, max: number, unit = ''): z.ZodNumber {
  const range = `expected an integer in ${grouped(min)}…${grouped(max)}${unit}`;
  return z.number().int(range).min(min, range).max(max, range);
}

/** A number within `min…max` (fractions allowed), refusals naming the range. */
function numberIn(min: number, max: number, unit = ''): z.ZodNumber {
  const range = `expected a number in ${grouped(min)}…${grouped(max)}${unit}`;
  return z.number().min(min, range).max(max, range);
}

/** One day in ms: the longest measured duration. */
const DAY_MS = 24 * 60 * 60 * 1000;
/** Ten minutes in ms: the longest warm-up and the longest deadline. */
const TEN_MIN_MS = 10 * 60 * 1000;
/** Largest value a scenario may write: 8 MiB. */
export const MAX_VALUE_SIZE = 8 * 1024 * 1024;
/** Longest `description`, in characters (it is copied into every run's manifest). */
export const MAX_DESCRIPTION_CHARS = 10 * 1024;

/**
 * Upper bounds of the parameters. They keep a typo (`clients: 1000000000`) from growing the runner
 * until V8 aborts, and a run's figures readable; they are far above what this machine can drive.
 */
const LIMITS = {
  clients: intIn(1, 10_000, ' clients'),
  opsPerClient: intIn(1, 100_000_000, ' operations'),
  durationMs: intIn(1, DAY_MS, ' ms (24 h)'),
  warmupMs: intIn(0, TEN_MIN_MS, ' ms (10 min)'),
  connections: intIn(1, 1_000, ' connections'),
  clientThreads: intIn(1, 64, ' threads'),
  rate: numberIn(1, 1_000_000, ' ops/s'),
  lateThresholdMs: numberIn(0, TEN_MIN_MS, ' ms (10 min)'),
  weight: numberIn(0, 1_000_000),
  mixTolerancePoints: numberIn(0.01, 100, ' percentage points'),
  keySpace: intIn(1, 100_000_000, ' keys'),
  valueSize: intIn(1, MAX_VALUE_SIZE, ' bytes (8 MiB; note that etcd and metabench serve refuse requests over 1.5 MiB, etcd\'s default limit)'),
  rangeLimit: intIn(1, 100_000, ' keys'),
  watchers: intIn(1, 10_000, ' watchers'),
  events: intIn(1, 10_000_000, ' events'),
  inFlight: intIn(1, 10_000, ' Puts'),
  eventTimeoutMs: intIn(1, TEN_MIN_MS, ' ms (10 min)'),
  counters: intIn(0, 10_000, ' counters'),
  contendedOpsPerClient: intIn(1, 1_000_000, ' increments'),
  keys: intIn(1, 10_000_000, ' keys'),
  opTimeoutMs: intIn(1, TEN_MIN_MS, ' ms (10 min)'),
} as const;

/**
 * Scenario parameters as written in a file (all optional there; {@link PARAM_DEFAULTS} fills in).
 * Units are in the names: `*Ms` milliseconds, `rate` operations per second, sizes in bytes.
 */
const paramFields = {
    /** Concurrent clients (closed-loop workers). */
    clients: LIMITS.clients,
    /** Operations per client; the scenario is bounded by operations. Exclusive with `durationMs`. */
    opsPerClient: LIMITS.opsPerClient,
    /** Measured duration; the scenario is bounded by time. Exclusive with `opsPerClient`. */
    durationMs: LIMITS.durationMs,
    /** Warm-up before measuring (not recorded). Default 0. */
    warmupMs: LIMITS.warmupMs,
    /** gRPC connections the clients are spread over. Default 1 (shared, as the seed). */
    connections: LIMITS.connections,
    /**
     * Worker threads the clients are spread over, each with its own share of the connections
     * (at least one). Default 1: every client in the runner's main thread, as the seed. Not for
     * `watch`, whose watchers and writers share one delivery tally and clock.
     */
    clientThreads: LIMITS.clientThreads,
    /** Total target rate in operations per second: open loop. Absent = closed loop. */
    rate: LIMITS.rate,
    /** How late (ms after the intended start) an open-loop operation counts as late. Default 1. */
    lateThresholdMs: LIMITS.lateThresholdMs,
    /** Weights of the `mixed` operation types (need not sum to 100). */
    mix: z.partialRecord(z.enum(MIX_OPS), LIMITS.weight),
    /** Allowed distance of the realised mix from the weights, in percentage points. Default 2. */
    mixTolerancePoints: LIMITS.mixTolerancePoints,
    /** Distinct keys the `put`/`mixed` workloads touch. Default 1000. */
    keySpace: LIMITS.keySpace,
    /** Value size in bytes. Default 64. */
    valueSize: LIMITS.valueSize,
    /** RANGE limit (`mixed`). Default 10. */
    rangeLimit: LIMITS.rangeLimit,
    /** Key prefix (each workload has its own default). */
    keyPrefix: z.string().min(1).max(1024, 'expected at most 1,024 characters'),
    /** Watchers (`watch`). Default 100. */
    watchers: LIMITS.watchers,
    /** Events written (`watch`). Default 1000. */
    events: LIMITS.events,
    /** Puts in flight at once (`watch`). Default 50. */
    inFlight: LIMITS.inFlight,
    /** How long watchers may lag behind the last Put before events count as lost. Default 30000. */
    eventTimeoutMs: LIMITS.eventTimeoutMs,
    /** Shared counters of the contended `txn` phase; 0 skips that phase. Default 0. */
    counters: LIMITS.counters,
    /** Clients of the contended phase. Default `clients`. */
    contendedClients: LIMITS.clients,
    /** Successful increments per contended client. Default 100. */
    contendedOpsPerClient: LIMITS.contendedOpsPerClient,
    /** Keys loaded and overwritten (`compaction`). Default 10000. */
    keys: LIMITS.keys,
    /** Keys read back after compaction (`compaction`). Default 1000. */
    readKeys: LIMITS.keys,
    /** Per-operation deadline; a slower operation counts as a DeadlineExceeded error. Default 30000. */
    opTimeoutMs: LIMITS.opTimeoutMs,
};
/** Scenario parameters as written in a file (see the fields above for units and defaults). */
export const ParamsInput = z.object(paramFields).partial().strict();
/** Parameters as written in a file. */
export type ParamsInput = z.infer<typeof ParamsInput>;

type Nullable<T extends Record<string, z.ZodType>> = { [K in keyof T]: z.ZodNullable<T[K]> };
const nullableFields = Object.fromEntries(
  Object.entries(paramFields).map(([k, v]) => [k, v.nullable()]),
) as Nullable<typeof paramFields>;

/** Per-profile overrides: the same fields, and `null` removes a standard parameter. */
export const ParamsOverride = z.object(nullableFields).partial().strict();
/** A profile's overrides as written in a file. */
export type ParamsOverride = z.infer<typeof ParamsOverride>;

/**
 * Service-level objectives. `maxErrorRate` is a fraction of attempted operations, `maxP99Ms` is
 * judged on the p99 of the scenario's `headline` operation type (else the worst type's), `minOpsPerSec` on its throughput,
 * `maxThroughputCv` (sustained loads) on the spread of the per-second series.
 */
export const SloInput = z
  .object({
    maxErrorRate: numberIn(0, 1, ' (a fraction: 0.01 = 1%)'),
    maxP99Ms: z.number().positive('expected a number > 0 (ms)').max(DAY_MS, `expected at most ${grouped(DAY_MS)} ms (24 h)`),
    minOpsPerSec: numberIn(0, 1_000_000_000, ' ops/s'),
    maxThroughputCv: z.number().positive('expected a number > 0').max(100, 'expected at most 100'),
  })
  .partial()
  .strict();
/** SLOs as written in a file. */
export type SloInput = z.infer<typeof SloInput>;

/** A scenario file, before its profile is resolved. */
export const ScenarioFile = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected lower-case letters, digits and dashes'),
    description: z.string().max(MAX_DESCRIPTION_CHARS, `expected at most ${grouped(MAX_DESCRIPTION_CHARS)} characters (10 KiB)`).default(''),
    workload: z.enum(WORKLOADS),
    /** The headline operation type (one of {@link WORKLOAD_OPS} for the workload). */
    headline: z.string().min(1).optional(),
    params: ParamsInput.default({}),
    profiles: z
      .object({ quick: ParamsOverride, standard: ParamsOverride, soak: ParamsOverride })
      .partial()
      .strict()
      .default({}),
    slo: SloInput.default({}),
    sloByTarget: z
      .object({ memory: SloInput, rocksdb: SloInput, etcd: SloInput, endpoint: SloInput })
      .partial()
      .strict()
      .default({}),
  })
  .strict();
/** A parsed scenario file. */
export type ScenarioFile = z.infer<typeof ScenarioFile>;

/** Resolved parameters: defaults applied, profile applied, exactly one of ops or duration set. */
export interface ResolvedParams {
  clients: number;
  opsPerClient?: number;
  durationMs?: number;
  warmupMs: number;
  connections: number;
  clientThreads: number;
  rate?: number;
  lateThresholdMs: number;
  mix: Record<MixOp, number>;
  mixTolerancePoints: number;
  keySpace: number;
  valueSize: number;
  rangeLimit: number;
  keyPrefix: string;
  watchers: number;
  events: number;
  inFlight: number;
  eventTimeoutMs: number;
  counters: number;
  contendedClients: number;
  contendedOpsPerClient: number;
  keys: number;
  readKeys: number;
  opTimeoutMs: number;
}

/** Defaults for every parameter a file may leave out (key prefixes default per workload). */
export const PARAM_DEFAULTS: Omit<ResolvedParams, 'clients' | 'keyPrefix' | 'contendedClients'> & { clients: number } = {
  clients: 1,
  warmupMs: 0,
  connections: 1,
  clientThreads: 1,
  lateThresholdMs: 1,
  mix: { put: 40, get: 40, delete: 10, range: 10 },
  mixTolerancePoints: 2,
  keySpace: 1000,
  valueSize: 64,
  rangeLimit: 10,
  watchers: 100,
  events: 1000,
  inFlight: 50,
  eventTimeoutMs: 30_000,
  counters: 0,
  contendedOpsPerClient: 100,
  keys: 10_000,
  readKeys: 1000,
  opTimeoutMs: 30_000,
};

const COMMON = ['connections', 'rate', 'lateThresholdMs', 'keyPrefix', 'valueSize', 'opTimeoutMs'] as const;
const LOOP = [...COMMON, 'clientThreads', 'clients', 'warmupMs', 'opsPerClient', 'durationMs', 'keySpace'] as const;

/** The parameters each workload reads; a file setting any other is refused (it would be ignored). */
export const WORKLOAD_PARAMS: Record<WorkloadName, readonly (keyof ParamsInput)[]> = {
  'put-get': LOOP,
  put: LOOP,
  mixed: [...LOOP, 'mix', 'mixTolerancePoints', 'rangeLimit'],
  watch: [...COMMON, 'warmupMs', 'watchers', 'events', 'inFlight', 'eventTimeoutMs'],
  txn: [...LOOP, 'counters', 'contendedClients', 'contendedOpsPerClient'],
  compaction: [...COMMON, 'clientThreads', 'clients', 'keys', 'readKeys'],
};

/** Default key prefix of each workload (the seed's names where it had them). */
export const KEY_PREFIX_DEFAULTS: Record<WorkloadName, string> = {
  'put-get': '/load-test',
  put: '/sustained-test',
  mixed: '/mixed-test',
  watch: '/watch-test',
  txn: '/txn-test',
  compaction: '/compaction-test',
};

/** Service-level objectives after resolution (every key present). */
export interface Slo {
  maxErrorRate: number;
  maxP99Ms: number;
  minOpsPerSec: number;
  maxThroughputCv?: number;
}

/** SLO defaults: the thresholds the seed's tests asserted, judged on p99 (issue 6). */
export const SLO_DEFAULTS: Slo = { maxErrorRate: 0.01, maxP99Ms: 200, minOpsPerSec: 0 };

/** A scenario ready to run: one profile resolved, parameters complete. */
export interface ResolvedScenario {
  name: string;
  description: string;
  workload: WorkloadName;
  /** The operation type whose p99 is judged and shown for every target (`WORKLOAD_OPS`). */
  headline?: string;
  profile: Profile;
  params: ResolvedParams;
  /** SLOs for any target kind; see `resolveSlo` for a specific one. */
  slo: Slo;
  /** Per-target-kind overrides of {@link slo}. */
  sloByTarget: Partial<Record<TargetKind, SloInput>>;
  /** The file it came from (absolute path), for messages. */
  source: string;
}
