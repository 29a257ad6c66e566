/**
 * The subcommands. Each lives in `src/commands/<name>.ts` and exports `register(program, setExit)`.
 */
import type { Command } from 'commander';
import { register as registerServe } from '../commands/serve.ts';
import { register as registerRun } from '../commands/run.ts';
import { register as registerTail } from '../commands/tail.ts';
import { register as registerReport } from '../commands/report.ts';
import { register as registerCompare } from '../commands/compare.ts';
import { register as registerMonitor } from '../commands/monitor.ts';

/** Sets the process exit code a command finished with. */
export type SetExit = (code: number) => void;

export function registerCommands(program: Command, setExit: SetExit): void {
  void program;
  void setExit;
  registerServe(program, setExit);
  registerRun(program, setExit);
  registerTail(program, setExit);
  registerReport(program, setExit);
  registerCompare(program, setExit);
  registerMonitor(program, setExit);
}
