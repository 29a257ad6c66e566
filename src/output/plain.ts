/**
 * Plain output for a non-TTY stdout without `--json` (CI logs, pipes): one line per event (progress
 * at most every few seconds per target), then the final results table. No escape codes unless
 * colour is asked for (`--color`, FORCE_COLOR; see `colour.ts`): then grades, states and errors
 * are coloured as on the dashboard.
 */
import type { Writable } from 'node:stream';
import type { OrchestratedRun } from '../orchestrator/index.ts';
import { formatEventLine } from './format-event.ts';
import { renderResultsTable } from './table.ts';
import { watchReader } from './reader-gone.ts';
import { EXIT } from '../orchestrator/exit-code.ts';
import { painterFor, type Painter } from './colour.ts';

/** Minimum milliseconds between two printed progress lines of one target (default). */
export const PROGRESS_EVERY_MS = 5000;

/**
 * Prints a run as plain lines and its table at the end; resolves to the exit code. `paint`
 * defaults to what `out` and the environment allow.
 */
export async function streamPlain(run: OrchestratedRun, out: Writable, progressEveryMs = PROGRESS_EVERY_MS, paint: Painter = painterFor(out)): Promise<number> {
  const width = Math.max(8, ...run.targets.map((t) => t.length));
  const lastProgress = new Map<string, number>();
  // The reader went away (`metabench run | head`): nobody is watching, stop the run (exit 141,
  // as `streamJson` explains).
  const closed = watchReader(out, () => {
    process.stderr.write(`metabench: stdout closed by its reader: stopping the run; what finished is in ${run.runDir}\n`);
    void run.stop();
  });
  const write = (text: string) => {
    if (!closed()) out.write(text);
  };
  write(`${paint.bold(`metabench run ${run.runId}`)} (${run.manifest.mode}, profile ${run.manifest.profile}, seed ${run.manifest.seed}) -> ${run.runDir}\n`);
  const unsubscribe = run.store.onEvents((events) => {
    for (const e of events) {
      if (e.kind === 'progress') {
        const last = lastProgress.get(e.target);
        if (last !== undefined && e.t - last < progressEveryMs) continue;
        lastProgress.set(e.target, e.t);
      }
      if (e.kind === 'scenario-start') lastProgress.delete(e.target);
      write(formatEventLine(e, width, paint) + '\n');
    }
  });
  const { exitCode } = await run.done;
  unsubscribe();
  write('\n' + renderResultsTable(run.store.getSnapshot().run, paint));
  const exit = `exit ${exitCode}`;
  write(`results: ${run.runDir} (${exitCode === 0 ? paint.mark('ok', exit) : paint.mark('error', exit)})\n`);
  return closed() ? EXIT.readerGone : exitCode;
}
