/**
 * `metabench monitor [RUN_DIR]`: the dashboard attached to a run started elsewhere (for example
 * `metabench run --json` in another terminal), following it live; on a finished run it shows the
 * final state. Read-only: quitting leaves the run alone.
 *
 *   metabench monitor                      # results/latest
 *   metabench monitor results/20260101-…   # a given run
 *   metabench monitor --once               # draw the current state once and exit
 */
import type { Command } from 'commander';
import type { SetExit } from '../cli/commands.ts';
import { UsageError } from '../errors.ts';
import { DEFAULT_RESULTS_DIR, openRunDir, resolveRunDir } from '../results/locate-run.ts';

interface MonitorFlags {
  once?: boolean;
  results: string;
}

/** Adds `monitor` to the program. */
export function register(program: Command, setExit: SetExit): void {
  program
    .command('monitor')
    .description('show the dashboard of a run started elsewhere (live), or of a finished run')
    .argument('[run]', 'run id (under --results) or path of a run folder; default the newest run')
    .option('--once', 'draw the current state once and exit (no keys, no following)')
    .option('--results <dir>', 'folder that holds one folder per run', DEFAULT_RESULTS_DIR)
    .action(async (run: string | undefined, flags: MonitorFlags) => {
      // A wrong folder is reported the same way whether or not stdout is a terminal.
      const runDir = resolveRunDir(run, flags.results);
      openRunDir(runDir);
      if (!process.stdout.isTTY && !flags.once) {
        throw new UsageError('monitor: stdout is not a terminal; use --once, or `metabench tail`/`--json` for machine-readable output');
      }
      // Loaded on use: Ink and React are not needed by the other subcommands.
      const { runDashboard } = await import('../dashboard/index.ts');
      setExit(await runDashboard({ runDir, follow: !flags.once }));
    });
}
