/**
 * `summary.json`: the views of a run serialised — the results rows (`results.ts`: figures,
 * grades, ratios to etcd, ceiling marks), the overall grade and status per target, the micro
 * table (`micro.ts`) and the manifest facts. report.md and `metabench compare` are rendered
 * from it, and the dashboard, plain table and `--json` line read the same rows, so they cannot
 * disagree. Pure: built from the folded state (`src/state/`) and the manifest.
 */
import type { Grade } from '../events/schema.ts';
import { overallGrade, type NamedGrade } from '../grades/overall.ts';
import type { RunManifest } from '../results/manifest.ts';
import type { RunState, TargetState } from '../state/types.ts';
import { baselineTarget } from './baseline.ts';
import { microTable, type MicroTable } from './micro.ts';
import { ceilingTarget, isCeilingTarget, resultRows, type ScenarioRow } from './results.ts';

export type { ScenarioCell, ScenarioRow } from './results.ts';
export type { MicroRow } from './micro.ts';
export type { ScenarioCeiling } from './ceiling.ts';

/** Format version of `summary.json`. */
export const SUMMARY_VERSION = 1;

/**
 * How the run ended as a whole: `completed` (every target finished), `interrupted` (Ctrl-C or
 * SIGTERM), `crashed` (some runner died), `unfinished` (some target has not written its run-end).
 */
export type RunOutcome = 'completed' | 'interrupted' | 'crashed' | 'unfinished';

/** One target of the run. */
export interface TargetSummary {
  name: string;
  kind?: string;
  status: TargetState['status']['state'];
  /** Crash or interrupt message, or why the target was unavailable. */
  error?: string;
  hint?: string;
  /** Server version when the runner reported one (etcd's version). */
  serverVersion?: string;
  durationMs?: number;
  /** Weakest scenario grade (see `overallGrade`); absent without graded scenarios and for a noop target. */
  overall?: Grade;
  /** True for a noop target: its results are the load generator's ceiling, not graded. */
  ceiling?: true;
  /** Runs with repeats: how many of them this target completed. */
  repeatsCompleted?: number;
}

/** The whole `summary.json`. */
export interface RunSummary {
  v: typeof SUMMARY_VERSION;
  runId: string;
  status: RunOutcome;
  manifest: {
    startedAt?: string;
    host?: RunManifest['host'];
    nodeVersion?: string;
    metabenchVersion?: string;
    gitCommit?: string;
    profile?: string;
    seed?: number;
    /** The load generator's client (`native`, `etcd3`). */
    client?: string;
    mode: 'sequential' | 'parallel';
    /**
     * `--repeat N`: repeats of the suite, targets interleaved; absent for one. Each cell's figures
     * are then the median over them, with `repeats` and `spread` beside.
     */
    repeats?: number;
  };
  /** Name of the etcd target ratios are taken against, when etcd ran. */
  baseline?: string;
  /** Name of the noop target whose figures are the load generator's ceiling, when one ran. */
  ceilingTarget?: string;
  targets: TargetSummary[];
  scenarios: ScenarioRow[];
  micro: MicroTable;
  /** Lines the reader must see: parallel mode, interrupted run, truncated files. */
  warnings: string[];
}

/** Options of {@link buildSummary}. */
export interface SummaryOptions {
  /** The orchestrator was interrupted: unfinished targets are reported as interrupted. */
  interrupted?: boolean;
}

/** What a summary is built from: the folded state, and the manifest when the run has one. */
export interface RunFacts {
  readonly runId: string;
  readonly state: RunState;
  readonly manifest?: RunManifest;
  /** Problems worth a line in the report (a truncated last line, …). */
  readonly warnings?: readonly string[];
}

/** Builds the summary of a run. Pure. */
export function buildSummary(run: RunFacts, opts: SummaryOptions = {}): RunSummary {
  const { state, manifest } = run;
  const scenarios = resultRows(state, manifest?.scenarios);
  const targets: TargetSummary[] = state.targetOrder.map((name) => {
    const t = state.targets[name];
    const noop = isCeilingTarget(state, name);
    const graded: NamedGrade[] = [];
    for (const s of noop ? [] : scenarios) {
      const g = s.results[name]?.grade;
      if (g) graded.push({ scenario: s.name, grade: g });
    }
    const kind = t.targetKind;
    // MetaStore-TS and the noop server report the etcd API version they speak (or their own
    // name), not a product version: not shown.
    const serverVersion = kind === 'memory' || kind === 'rocksdb' || kind === 'noop' ? undefined : t.server?.version;
    const repeatsCompleted = (state.repeats ?? 1) > 1 ? { repeatsCompleted: t.finishedRepeatsMs?.length ?? 0 } : {};
    return { name, kind, ...statusFields(t, opts), serverVersion, overall: overallGrade(graded), ...(noop ? { ceiling: true as const } : {}), ...repeatsCompleted };
  });
  const mode = manifest?.mode ?? (state.parallel ? 'parallel' : 'sequential');
  const status = outcomeOf(targets);
  const warnings: string[] = [];
  if (status !== 'completed') warnings.push(outcomeWarning(status, targets));
  if (mode === 'parallel') {
    warnings.push('Targets ran in parallel on one machine: they competed for CPU, memory and disk, so their figures skew each other. Run sequentially (the default) to compare them.');
  }
  warnings.push(...(run.warnings ?? []));
  return {
    v: SUMMARY_VERSION,
    runId: run.runId,
    status,
    manifest: {
      startedAt: manifest?.startedAt,
      host: manifest?.host,
      nodeVersion: manifest?.nodeVersion,
      metabenchVersion: manifest?.metabenchVersion,
      gitCommit: manifest?.gitCommit,
      profile: manifest?.profile ?? state.profile,
      seed: manifest?.seed ?? state.seed,
      ...((manifest?.client ?? state.client) ? { client: manifest?.client ?? state.client } : {}),
      mode,
      ...((manifest?.repeats ?? state.repeats ?? 1) > 1 ? { repeats: manifest?.repeats ?? state.repeats } : {}),
    },
    baseline: baselineTarget(state),
    ceilingTarget: ceilingTarget(state),
    targets,
    scenarios,
    micro: microTable(state),
    warnings,
  };
}

function statusFields(t: TargetState, opts: SummaryOptions): Pick<TargetSummary, 'status' | 'error' | 'hint' | 'durationMs'> {
  const s = t.status;
  switch (s.state) {
    case 'completed':
      return { status: s.state, durationMs: s.durationMs };
    case 'interrupted':
    case 'crashed':
      return { status: s.state, durationMs: s.durationMs, error: s.error };
    case 'unavailable':
      return { status: s.state, error: s.reason, hint: s.hint };
    case 'waiting':
    case 'starting':
    case 'running':
      return opts.interrupted ? { status: 'interrupted', error: `interrupted while ${s.state}` } : { status: s.state };
  }
}

const FINAL_STATES: ReadonlySet<TargetSummary['status']> = new Set(['completed', 'interrupted', 'crashed', 'unavailable']);

function outcomeOf(targets: readonly TargetSummary[]): RunOutcome {
  const states = targets.map((t) => t.status);
  if (states.includes('crashed')) return 'crashed';
  if (states.includes('interrupted')) return 'interrupted';
  if (targets.some((t) => !FINAL_STATES.has(t.status))) return 'unfinished';
  return 'completed';
}

function outcomeWarning(status: RunOutcome, targets: readonly TargetSummary[]): string {
  const which = (st: string) => targets.filter((t) => t.status === st).map((t) => t.name).join(', ');
  switch (status) {
    case 'interrupted':
      return `Interrupted run (${which('interrupted')}): scenarios cut off are graded F and queued ones never ran; figures are partial.`;
    case 'crashed':
      return `A runner crashed (${which('crashed')}): its remaining scenarios have no results.`;
    case 'unfinished':
      return `Unfinished run: ${targets.filter((t) => !FINAL_STATES.has(t.status)).map((t) => t.name).join(', ')} wrote no run-end yet; figures are partial.`;
    case 'completed':
      return '';
  }
}
