/**
 * `metabench tail [RUN] [--target T]`: a run's events as human-readable lines, following the
 * files while the run is in progress (the seed's `tail -f` monitoring, done properly). Stops when
 * every target has a run-end, or when the run's orchestrator is gone without writing them.
 * Coloured on a terminal (`--color`, `--no-color`, FORCE_COLOR, NO_COLOR: `src/output/colour.ts`).
 */
import type { Command } from 'commander';
import type { SetExit } from '../cli/commands.ts';
import { DEFAULT_RESULTS_DIR } from './defaults.ts';
import type { TailFlags } from './tail-action.ts';

/** Registers `tail`. */
export function register(program: Command, setExit: SetExit): void {
  program
    .command('tail')
    .description("print a run's events as readable lines, following it while it runs")
    .argument('[run]', 'run id or run folder (default: the latest run)')
    .option('--target <name>', 'only this target')
    .option('--results <dir>', 'folder of the run folders', DEFAULT_RESULTS_DIR)
    .option('--no-follow', 'print what is there and stop')
    .action(async (run: string | undefined, flags: TailFlags) => {
      const [{ tail }, { painterFor }] = await Promise.all([import('./tail-action.ts'), import('../output/colour.ts')]);
      // `metabench tail | head`: the reader left, so stop quietly rather than die on EPIPE.
      const readerGone = new AbortController();
      process.stdout.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code !== 'EPIPE') throw err;
        readerGone.abort();
      });
      const print = (line: string) => {
        if (!readerGone.signal.aborted) process.stdout.write(line + '\n');
      };
      setExit(await tail(run, flags, print, readerGone.signal, painterFor(process.stdout)));
    });
}

