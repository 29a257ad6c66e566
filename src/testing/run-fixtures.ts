/**
 * Helpers for tests that drive the orchestrator with the fake runner (`fake-runner.js`): a temp
 * results folder, run options, and checks on what a run left behind.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEventLine, type RunnerEvent } from '../events/schema.ts';
import type { RunOptions, TargetSpec } from '../orchestrator/types.ts';

/** The fake runner's entry script. */
export const FAKE_RUNNER = fileURLToPath(new URL('./fake-runner.js', import.meta.url));

/** A temporary folder and its removal. */
export function tempDir(label: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `metabench-test-${label}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Run options that start the fake runner for each of `targets` (memory, rocksdb, …). */
export function fakeRunOptions(resultsDir: string, targets: TargetSpec['kind'][], env: Record<string, string>, extra: Partial<RunOptions> = {}): RunOptions {
  return {
    targets: targets.map((kind) => ({ name: kind, kind, ...(kind === 'endpoint' ? { endpoints: ['127.0.0.1:1'] } : {}) })),
    scenarios: [],
    micro: false,
    profile: 'quick',
    seed: 1,
    parallel: false,
    resultsDir,
    keepData: false,
    runnerEntry: FAKE_RUNNER,
    runnerEnv: env,
    runnerKillGraceMs: 2000,
    ...extra,
  };
}

/** Every line of a target's file, parsed and validated (throws on any invalid line). */
export function readEvents(runDir: string, target: string): RunnerEvent[] {
  const text = readFileSync(join(runDir, `${target}.ndjson`), 'utf8');
  if (text.length > 0 && !text.endsWith('\n')) throw new Error(`${target}.ndjson does not end with a newline`);
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l, i) => parseEventLine(l, `${target}.ndjson:${i + 1}`));
}

/** True while `pid` exists and is not a zombie. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch (err) {
    void err; // Gone between the two checks.
    return false;
  }
}

/** The pid a fake runner printed in its log (`fake runner <t>: mode <m>, pid <n>`). */
export function fakeRunnerPid(runDir: string, target: string): number {
  const m = /pid (\d+)/.exec(readFileSync(join(runDir, `${target}.stderr.log`), 'utf8'));
  if (!m) throw new Error(`${target}.stderr.log: no pid line`);
  return Number(m[1]);
}
