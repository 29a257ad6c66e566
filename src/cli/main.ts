/**
 * `metabench` command line: parses flags with commander and hands each subcommand to its module
 * in `src/commands/`. Returns the process exit code (0 ok, 1 failure, 2 bad usage, 130 interrupt).
 */
import { Command, CommanderError } from 'commander';
import type { SetExit } from './commands.ts';
import { register as registerServe } from '../commands/serve.ts';
import { register as registerRun } from '../commands/run.ts';
import { register as registerTail } from '../commands/tail.ts';
import { register as registerReport } from '../commands/report.ts';
import { register as registerCompare } from '../commands/compare.ts';
import { register as registerMonitor } from '../commands/monitor.ts';
import { UsageError } from '../errors.ts';
import { setColourFlag } from '../output/colour.ts';

export async function main(argv: string[]): Promise<number> {
  const program = new Command('metabench')
    .description('Benchmark etcd-v3-style metadata stores side by side, live in the terminal')
    .version(VERSION)
    .option('--color', 'colour the text output even when piped (as FORCE_COLOR=1)')
    .option('--no-color', 'never colour the text output (as NO_COLOR=1)')
    .hook('preAction', (cmd) => setColourFlag(cmd.opts<{ color?: boolean }>().color))
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  let exitCode = 0;
  registerCommands(program, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit through here with code 0.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`metabench: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`metabench: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  return exitCode;
}

/** Adds every subcommand (each in `src/commands/<name>.ts`, exporting `register`) to the program. */
export function registerCommands(program: Command, setExit: SetExit): void {
  registerServe(program, setExit);
  registerRun(program, setExit);
  registerTail(program, setExit);
  registerReport(program, setExit);
  registerCompare(program, setExit);
  registerMonitor(program, setExit);
}

/** The package version, read once from package.json. */
export const VERSION: string = (await import('../../package.json', { with: { type: 'json' } })).default.version;
