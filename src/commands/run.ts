/**
 * `metabench run` (also the default command, quick profile by default: `npx metabench`): validates the flags,
 * starts the run, and shows it — the Ink dashboard on a TTY, NDJSON with `--json`, plain lines
 * and a final table otherwise. Exit 0 completed, 1 a scenario failed or a target crashed,
 * 2 bad usage, 130 interrupted. The work lives in `run-action.ts`, loaded when the command runs,
 * so other commands start without loading the orchestrator, the workloads or Ink.
 */
import type { Command } from 'commander';
import type { SetExit } from '../cli/commands.ts';
import { DEFAULT_PROFILE, DEFAULT_RESULTS_DIR, MAX_CLIENT_THREADS, MAX_REPEATS, PASSWORD_ENV, PROFILE_DURATIONS, PROFILE_NAMES, SCENARIO_NAMES } from './defaults.ts';
import type { RunFlags } from './run-options.ts';
import type { GradeLetter } from '../grades/letters.ts';
import { FAIL_UNDER_GRADES } from '../grades/fail-under.ts';
import { parseFailUnder } from './grade-flag.ts';

export { DEFAULT_RESULTS_DIR, MAX_CLIENT_THREADS } from './defaults.ts';


/** Registers `run` as the default command. */
export function register(program: Command, setExit: SetExit): void {
  program
    .command('run', { isDefault: true })
    .description('run the benchmark suite against the targets (default command)')
    .option('--targets <list>', "comma-separated targets: memory, rocksdb, etcd, endpoint, noop (default: memory,rocksdb, plus etcd when installed; noop is a no-op server that measures the load generator's own ceiling, never graded)")
    .option('--endpoints <list>', 'endpoint target: host:port[,host:port…] of an existing etcd v3 endpoint or cluster')
    .option('--cacert <file>', 'endpoint target: CA certificate (enables TLS)')
    .option('--cert <file>', 'endpoint target: client certificate')
    .option('--key <file>', 'endpoint target: client key')
    .option('--user <user[:password]>', `endpoint target: credentials (password also from $${PASSWORD_ENV})`)
    .option('--scenarios <list>', `comma-separated scenario names (default: every built-in — ${SCENARIO_NAMES.join(', ')}; add micro for engine micro-benchmarks)`)
    .option('--scenario-file <path>', 'your own scenario file (YAML or JSON); repeatable', (v: string, prev: string[] = []) => [...prev, v])
    .option('--profile <name>', `scenario sizes: ${PROFILE_NAMES} — ${PROFILE_DURATIONS}`, DEFAULT_PROFILE)
    .option('--seed <n>', 'seed of every random choice (default: random, printed in run.json)')
    .option('--repeat <n>', `run the whole suite n times (1-${MAX_REPEATS}; default 1), targets interleaved in each repeat (A,B,C, then A,B,C…), each in a fresh server; every cell shows the median over repeats ± half its min–max range, grades judge the median, and compare calls a change only beyond that spread`)
    .option('--parallel', 'run all targets at the same time (figures skew; the report says so)')
    .option('--results <dir>', 'folder for run folders', DEFAULT_RESULTS_DIR)
    .option('--keep-data', "keep the servers' temporary data directories")
    .option('--json', 'no dashboard: every event as one JSON line on stdout, then a summary line')
    .option('--client <kind>', `the load generator's client: native (metabench's own gRPC client, default) or etcd3 (the etcd3 npm package, a cross-check)`)
    .option('--client-threads <n>', `spread each scenario's clients over n worker threads, each with its own connections (1-${MAX_CLIENT_THREADS}; default 1, all in one thread; watch always uses one)`)
    .option('--cpu-prof <dir>', 'write V8 CPU profiles of each runner (and its client threads) and of each Node server it starts (metabench serve, noop; not etcd) into dir, named <target>.<runner|server>.cpuprofile')
    .option('--fail-under <grade>', `exit 1 when a target's overall grade is below this (${FAIL_UNDER_GRADES.join(', ')})`, parseFailUnder)
    .action(async (flags: RunFlags & { failUnder?: GradeLetter }) => {
      const { runCommand } = await import('./run-action.ts');
      setExit(await runCommand(flags));
    });
}
