/**
 * Writes a run folder from fixture events (tests, the dashboard bench): `run.json` through the
 * results module's own writer, one `<target>.ndjson` per target, optional stderr logs. Nothing
 * is written under `results/`; callers pass a temp dir.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunnerEvent, TargetKind } from '../events/schema.ts';
import { buildManifest, writeManifest } from '../results/manifest.ts';
import { FIXTURE_SCENARIOS } from '../state/fixtures.ts';
import { PARAM_DEFAULTS, SLO_DEFAULTS, type ResolvedScenario } from '../../scenarios/schema.ts';

/** Options of `writeFixtureRun`. */
export interface FixtureRunOptions {
  readonly targets: readonly string[];
  readonly events: readonly RunnerEvent[];
  readonly runId?: string;
  readonly mode?: 'sequential' | 'parallel';
  /** PID recorded as the run's orchestrator (default this process, i.e. "alive"). */
  readonly orchestratorPid?: number;
  /** `<target>.stderr.log` contents by target. */
  readonly stderr?: Readonly<Record<string, string>>;
}

const kindOf = (t: string): TargetKind => (t === 'memory' || t === 'rocksdb' || t === 'etcd' ? t : 'endpoint');

/** A resolved scenario of that name with default parameters (the fixture events carry the figures). */
function fixtureScenario(name: string): ResolvedScenario {
  return { name, description: '', workload: 'put', profile: 'quick', params: { ...PARAM_DEFAULTS, keyPrefix: `/${name}/`, contendedClients: 0 }, slo: SLO_DEFAULTS, sloByTarget: {}, source: 'fixture' };
}

/** Creates `dir` as a run folder holding `events`; returns `dir`. */
export function writeFixtureRun(dir: string, opts: FixtureRunOptions): string {
  mkdirSync(dir, { recursive: true });
  const manifest = buildManifest({
    runId: opts.runId ?? 'run-fixture',
    targets: opts.targets.map((name) => ({ name, kind: kindOf(name) })),
    profile: 'quick',
    scenarios: FIXTURE_SCENARIOS.map(fixtureScenario),
    seed: 42,
    mode: opts.mode ?? 'sequential',
    micro: false,
  });
  writeManifest(dir, { ...manifest, orchestratorPid: opts.orchestratorPid ?? process.pid });
  for (const t of opts.targets) writeFileSync(join(dir, `${t}.ndjson`), '');
  appendEvents(dir, opts.events);
  for (const [t, text] of Object.entries(opts.stderr ?? {})) writeFileSync(join(dir, `${t}.stderr.log`), text);
  return dir;
}

/** Appends events to their targets' files, one JSON line each (as the runner's writer does). */
export function appendEvents(dir: string, events: readonly RunnerEvent[]): void {
  const byTarget = new Map<string, string>();
  for (const e of events) byTarget.set(e.target, (byTarget.get(e.target) ?? '') + JSON.stringify(e) + '\n');
  for (const [t, text] of byTarget) appendFileSync(join(dir, `${t}.ndjson`), text);
}
