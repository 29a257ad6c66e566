/**
 * `metabench run --json`: every event of every target as one NDJSON line on stdout, in the order
 * the run's store folds them, then one summary line. Nothing else goes to stdout.
 */
import type { Writable } from 'node:stream';
import type { OrchestratedRun } from '../orchestrator/index.ts';
import { summaryLine } from './summary-line.ts';
import { watchReader } from './reader-gone.ts';
import { EXIT } from '../orchestrator/exit-code.ts';

/** Streams a run's events to `out` and writes the summary line when it ends; resolves to the exit code. */
export async function streamJson(run: OrchestratedRun, out: Writable): Promise<number> {
  // The reader went away (`metabench run --json | head -5`): what a `head` user expects is the
  // pipeline ending there, as with any Unix producer — not minutes of a run nobody reads. The run
  // stops as on Ctrl-C (its folder keeps what finished, marked interrupted) and exits 141.
  const closed = watchReader(out, () => {
    process.stderr.write(`metabench: stdout closed by its reader: stopping the run; what finished is in ${run.runDir}\n`);
    void run.stop();
  });
  // Subscribed before the first poll of the files: startRun returns before any event is read.
  const unsubscribe = run.store.onEvents((events) => {
    if (!closed()) out.write(events.map((e) => JSON.stringify(e) + '\n').join(''));
  });
  const { exitCode } = await run.done;
  unsubscribe();
  if (closed()) return EXIT.readerGone;
  out.write(JSON.stringify(summaryLine(run.store.getSnapshot().run, run.runId, run.runDir, exitCode)) + '\n');
  return exitCode;
}
