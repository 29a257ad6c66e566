/**
 * Plain output for a non-TTY stdout without `--json` (CI logs, pipes): one line per event (progress
 * at most every few seconds per target), then the final results table. No escape codes.
 */
import type { Writable } from 'node:stream';
import type { OrchestratedRun } from '../orchestrator/index.ts';
import { formatEventLine } from './format-event.ts';
import { renderResultsTable } from './table.ts';
import { watchReader } from './reader-gone.ts';
import { EXIT } from '../orchestrator/exit-code.ts';

/** Minimum milliseconds between two printed progress lines of one target (default). */
export const PROGRESS_EVERY_MS = 5000;

/** Prints a run as plain lines and its table at the end; resolves to the exit code. */
export async function streamPlain(run: OrchestratedRun, out: Writable, progressEveryMs = PROGRESS_EVERY_MS): Promise<number> {
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
  write(`metabench run ${run.runId} (${run.manifest.mode}, profile ${run.manifest.profile}, seed ${run.manifest.seed}) -> ${run.runDir}\n`);
  const unsubscribe = run.store.onEvents((events) => {
    for (const e of events) {
      if (e.kind === 'progress') {
        const last = lastProgress.get(e.target);
        if (last !== undefined && e.t - last < progressEveryMs) continue;
        lastProgress.set(e.target, e.t);
      }
      if (e.kind === 'scenario-start') lastProgress.delete(e.target);
      write(formatEventLine(e, width) + '\n');
    }
  });
  const { exitCode } = await run.done;
  unsubscribe();
  write('\n' + renderResultsTable(run.store.getSnapshot().run));
  write(`results: ${run.runDir} (exit ${exitCode})\n`);
  return closed() ? EXIT.readerGone : exitCode;
}
