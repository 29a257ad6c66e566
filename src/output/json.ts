/**
 * `metabench run --json`: every event of every target as one NDJSON line on stdout, in the order
 * the run's store folds them, then one summary line. Nothing else goes to stdout.
 */
import type { Writable } from 'node:stream';
import type { OrchestratedRun } from '../orchestrator/index.ts';
import { summaryLine } from './summary-line.ts';
import { watchReader } from './reader-gone.ts';

/** Streams a run's events to `out` and writes the summary line when it ends; resolves to the exit code. */
export async function streamJson(run: OrchestratedRun, out: Writable): Promise<number> {
  // The reader went away (`metabench run --json | head`): nobody is watching, stop the run.
  const closed = watchReader(out, () => void run.stop());
  // Subscribed before the first poll of the files: startRun returns before any event is read.
  const unsubscribe = run.store.onEvents((events) => {
    if (!closed()) out.write(events.map((e) => JSON.stringify(e) + '\n').join(''));
  });
  const { exitCode } = await run.done;
  unsubscribe();
  if (!closed()) out.write(JSON.stringify(summaryLine(run.store.getSnapshot().run, run.runId, run.runDir, exitCode)) + '\n');
  return exitCode;
}
