/**
 * `metabench monitor [RUN_DIR]`: the dashboard attached to a run started elsewhere (for example
 * `metabench run --json` in another terminal), following it live; on a finished run it shows the
 * final state. Read-only: quitting leaves the run alone.
 *
 *   metabench monitor                      # results/latest
 *   metabench monitor results/20260101-…   # a given run
 *   metabench monitor --once               # draw the current state once and exit
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { SetExit } from '../cli/commands.ts';
import { UsageError } from '../cli/errors.ts';
import { openRunDir } from '../dashboard/run-source.ts';

/** Run folder used when none is given. */
export const DEFAULT_MONITOR_DIR = 'results/latest';

interface MonitorFlags {
  once?: boolean;
}

/** Adds `monitor` to the program. */
export function register(program: Command, setExit: SetExit): void {
  program
    .command('monitor')
    .description('show the dashboard of a run started elsewhere (live), or of a finished run')
    .argument('[run-dir]', 'run folder', DEFAULT_MONITOR_DIR)
    .option('--once', 'draw the current state once and exit (no keys, no following)')
    .action(async (runDir: string, flags: MonitorFlags) => {
      // A wrong folder is reported the same way whether or not stdout is a terminal.
      openRunDir(resolve(runDir));
      if (!process.stdout.isTTY && !flags.once) {
        throw new UsageError('monitor: stdout is not a terminal; use --once, or `metabench tail`/`--json` for machine-readable output');
      }
      // Loaded on use: Ink and React are not needed by the other subcommands.
      const { runDashboard } = await import('../dashboard/index.ts');
      setExit(await runDashboard({ runDir: resolve(runDir), follow: !flags.once }));
    });
}
