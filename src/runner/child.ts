/**
 * Entry of a real runner child: the production workloads wired into `runnerMain`. The engine
 * micro-benchmarks (`src/micro`) load only when the run asks for them.
 */
import { runScenario } from '../workload/index.ts';
import { exitSoon, runnerMain } from './main.ts';

exitSoon(
  await runnerMain({
    runScenario,
    runMicro: async (opts) => (await import('../micro/index.ts')).runMicro(opts),
  }),
);
