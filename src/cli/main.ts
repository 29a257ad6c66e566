/**
 * `metabench` command line: parses flags with commander and hands each subcommand to its module
 * in `src/commands/`. Returns the process exit code (0 ok, 1 failure, 2 bad usage, 130 interrupt).
 */
import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands.ts';
import { UsageError } from './errors.ts';

export async function main(argv: string[]): Promise<number> {
  const program = new Command('metabench')
    .description('Benchmark etcd-v3-style metadata stores side by side, live in the terminal')
    .version(VERSION)
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

/** The package version, read once from package.json. */
export const VERSION: string = (await import('../../package.json', { with: { type: 'json' } })).default.version;
