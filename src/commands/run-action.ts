/**
 * What `metabench run` does once its flags are parsed: validate them (UsageError, exit 2), start
 * the run, and show it in the mode the terminal calls for. Resolves to the exit code.
 */
import { startRun, type OrchestratedRun } from '../orchestrator/index.ts';
import { streamJson } from '../output/json.ts';
import { streamPlain } from '../output/plain.ts';
import { resolveRunOptions, type RunFlags } from './run-options.ts';
import type { GradeLetter } from '../grades/letters.ts';
import { applyFailUnder } from '../report/fail-under.ts';
import { UsageError } from '../errors.ts';

/** How the dashboard module is called (loaded only on a TTY, so headless runs never load Ink). */
type RunDashboard = (opts: { runDir: string; handle?: OrchestratedRun }) => Promise<number>;

/**
 * Runs the suite: `--json` stream, dashboard on a TTY, plain lines otherwise. With `failUnder`,
 * a completed run whose target grades fall below it exits 1 (see `report/fail-under.ts`).
 */
export async function runCommand(flags: RunFlags & { failUnder?: GradeLetter }): Promise<number> {
  const options = await resolveRunOptions(flags);
  const run = await startRun(options).catch((err: unknown) => {
    // Making the run folder is the first write under --results: say which flag to change.
    if ((err as NodeJS.ErrnoException).syscall !== undefined) throw new UsageError(`--results: cannot create a run folder in '${options.resultsDir}': ${(err as Error).message}`, { cause: err });
    throw err;
  });
  const code = flags.json ? await streamJson(run, process.stdout) : process.stdout.isTTY ? await showDashboard(run) : await streamPlain(run, process.stdout);
  // The summary the orchestrator built from its store (and wrote as summary.json): not re-read.
  const { summary } = await run.done;
  return applyFailUnder(code, summary, flags.failUnder, (line) => process.stderr.write(`metabench: ${line}\n`));
}

async function showDashboard(run: OrchestratedRun): Promise<number> {
  // Diagnostics would tear through the full-screen view: hold them until it is gone.
  const held: string[] = [];
  run.onDiagnostic((m) => held.push(m));
  try {
    const { runDashboard } = (await import('../dashboard/index.ts')) as { runDashboard: RunDashboard };
    return await runDashboard({ runDir: run.runDir, handle: run });
  } finally {
    // The dashboard returns once the run is over or the user quit (it stops the run then);
    // stopping again is a no-op that guarantees no runner outlives us.
    await run.stop();
    for (const m of held) process.stderr.write(`metabench: ${m}\n`);
  }
}
