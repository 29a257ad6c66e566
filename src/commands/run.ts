/**
 * `metabench run` (also the default command: `metabench --profile quick`): validates the flags,
 * starts the run, and shows it — the Ink dashboard on a TTY, NDJSON with `--json`, plain lines
 * and a final table otherwise. Exit 0 completed, 1 a scenario failed or a target crashed,
 * 2 bad usage, 130 interrupted.
 */
import { Option, type Command } from 'commander';
import type { SetExit } from '../cli/commands.ts';
import { startRun, type OrchestratedRun } from '../orchestrator/index.ts';
import { streamJson } from '../output/json.ts';
import { streamPlain } from '../output/plain.ts';
import { PROFILES } from '../../scenarios/loader.ts';
import { PASSWORD_ENV, resolveRunOptions, type RunFlags } from './run-options.ts';
import { parseGrade, type GradeLetter } from '../grades/letters.ts';
import { applyFailUnder } from '../report/fail-under.ts';

/** Default folder of the run folders. */
export const DEFAULT_RESULTS_DIR = 'results';

/** How the dashboard module is called (loaded only on a TTY, so headless runs never load Ink). */
type RunDashboard = (opts: { runDir: string; handle?: OrchestratedRun }) => Promise<number>;

/** Registers `run` as the default command. */
export function register(program: Command, setExit: SetExit): void {
  program
    .command('run', { isDefault: true })
    .description('run the benchmark suite against the targets (default command)')
    .option('--targets <list>', 'comma-separated targets: memory, rocksdb, etcd, endpoint (default: memory,rocksdb, plus etcd when installed)')
    .option('--endpoints <list>', 'endpoint target: host:port[,host:port…] of an existing etcd v3 endpoint or cluster')
    .option('--cacert <file>', 'endpoint target: CA certificate (enables TLS)')
    .option('--cert <file>', 'endpoint target: client certificate')
    .option('--key <file>', 'endpoint target: client key')
    .option('--user <user[:password]>', `endpoint target: credentials (password also from $${PASSWORD_ENV})`)
    .option('--scenarios <list>', 'comma-separated scenario names (default: every built-in; add micro for engine micro-benchmarks)')
    .option('--scenario-file <path>', 'your own scenario file (YAML or JSON); repeatable', (v: string, prev: string[] = []) => [...prev, v])
    .addOption(new Option('--profile <name>', 'scenario sizes').choices([...PROFILES]).default('standard'))
    .option('--seed <n>', 'seed of every random choice (default: random, printed in run.json)')
    .option('--parallel', 'run all targets at the same time (figures skew; the report says so)')
    .option('--results <dir>', 'folder for run folders', DEFAULT_RESULTS_DIR)
    .option('--keep-data', "keep the servers' temporary data directories")
    .option('--json', 'no dashboard: every event as one JSON line on stdout, then a summary line')
    .option('--fail-under <grade>', "exit 1 when a target's overall grade is below this (A+, A, B, C, D)", (v: string) => parseGrade(v, '--fail-under'))
    .action(async (flags: RunFlags & { failUnder?: GradeLetter }) => {
      const options = await resolveRunOptions(flags);
      const run = await startRun(options);
      let code: number;
      if (flags.json) code = await streamJson(run, process.stdout);
      else if (process.stdout.isTTY) code = await showDashboard(run);
      else code = await streamPlain(run, process.stdout);
      setExit(await applyFailUnder(code, run.runDir, flags.failUnder, (line) => process.stderr.write(`metabench: ${line}\n`)));
    });
}

async function showDashboard(run: OrchestratedRun): Promise<number> {
  // Diagnostics would tear through the full-screen view: hold them until it is gone.
  const held: string[] = [];
  run.onDiagnostic((m) => held.push(m));
  try {
    const { runDashboard } = (await import('../dashboard/index.ts')) as { runDashboard: RunDashboard };
    return await runDashboard({ runDir: run.runDir, handle: run });
  } finally {
    // The dashboard returns once the run is over or the user quit (it stops the run then);
    // stopping again is a no-op that guarantees no runner outlives us.
    await run.stop();
    for (const m of held) process.stderr.write(`metabench: ${m}\n`);
  }
}
