/**
 * `metabench run --json`: every event of every target as one NDJSON line on stdout, in the order
 * the tailer reads them, then one summary line. Nothing else goes to stdout.
 */
import type { Writable } from 'node:stream';
import type { OrchestratedRun } from '../orchestrator/index.ts';
import { summaryLine } from './summary-line.ts';
import { watchReader } from './reader-gone.ts';

/** Streams a run's events to `out` and writes the summary line when it ends; resolves to the exit code. */
export async function streamJson(run: OrchestratedRun, out: Writable): Promise<number> {
  // The reader went away (`metabench run --json | head`): nobody is watching, stop the run.
  const closed = watchReader(out, () => void run.stop());
  const unsubscribe = run.subscribe((event) => {
    if (!closed()) out.write(JSON.stringify(event) + '\n');
  });
  const { exitCode } = await run.done;
  unsubscribe();
  if (!closed()) out.write(JSON.stringify(summaryLine(run.state(), run.runId, run.runDir, exitCode)) + '\n');
  return exitCode;
}
