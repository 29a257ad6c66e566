/** What `metabench tail` does: print a run's events, following it while it runs. */
import { UsageError } from '../errors.ts';
import { readManifest } from '../results/manifest.ts';
import { existsSync } from 'node:fs';
import { eventFilePath } from '../results/event-writer.ts';
import { isAlive, resolveRunDir } from '../results/locate-run.ts';
import { RunTailer } from '../results/run-tailer.ts';
import { formatEventLine } from '../output/format-event.ts';
import { NO_PAINT, type Painter } from '../output/colour.ts';

/** Milliseconds between polls while following. */
const FOLLOW_POLL_MS = 200;

/** `tail`'s flags. */
export interface TailFlags {
  /** Only this target. */
  target?: string;
  /** Folder of the run folders. */
  results: string;
  /** Keep following until every target has a run-end (default true). */
  follow: boolean;
}

/**
 * Prints the run's events through `print`, coloured by `paint` (default: not at all); resolves
 * to the exit code when following ends: 0, or 1 when the run was abandoned. An aborted `signal`
 * (the reader went away) ends it with 0.
 */
export async function tail(run: string | undefined, flags: TailFlags, print: (line: string) => void, signal?: AbortSignal, paint: Painter = NO_PAINT): Promise<number> {
  const runDir = resolveRunDir(run, flags.results);
  let manifest: ReturnType<typeof readManifest>;
  try {
    manifest = readManifest(runDir);
  } catch (cause) {
    throw new UsageError((cause as Error).message, { cause });
  }
  const all = manifest.targets.map((t) => t.name);
  if (flags.target !== undefined && !all.includes(flags.target)) {
    throw new UsageError(`--target: run ${manifest.runId} has no target '${flags.target}' (it has ${all.join(', ')})`);
  }
  const targets = flags.target !== undefined ? [flags.target] : all;
  const width = Math.max(8, ...targets.map((t) => t.length));
  const seen = new Set<string>();
  const tailer = new RunTailer(runDir, targets, {
    onEvent: (e) => {
      seen.add(e.target);
      print(formatEventLine(e, width, paint));
    },
    onInvalid: (target, _line, err) => process.stderr.write(`metabench tail: ${target}: ${err.message}\n`),
  });
  tailer.poll();
  while (flags.follow && !tailer.allEnded) {
    if (signal?.aborted) return 0;
    if (!isAlive(manifest.orchestratorPid)) {
      tailer.poll();
      if (tailer.allEnded) break;
      process.stderr.write(`metabench tail: run ${manifest.runId} was abandoned (its orchestrator, pid ${manifest.orchestratorPid}, is gone)\n`);
      return 1;
    }
    await new Promise((r) => setTimeout(r, FOLLOW_POLL_MS));
    tailer.poll();
  }
  return reportSilentTargets(runDir, targets, seen);
}

/** A target whose file is missing or holds no event is said so on stderr (exit 1), not passed over. */
function reportSilentTargets(runDir: string, targets: readonly string[], seen: ReadonlySet<string>): number {
  let code = 0;
  for (const t of targets) {
    if (seen.has(t)) continue;
    const file = eventFilePath(runDir, t);
    process.stderr.write(`metabench tail: ${t}: ${existsSync(file) ? `${file} is empty (no events)` : `${file} is missing`}\n`);
    code = 1;
  }
  return code;
}
