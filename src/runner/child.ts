/**
 * Entry of a real runner child: the production workloads (`src/workload`, `src/micro`) wired
 * into `runnerMain`.
 */
import { runScenario } from '../workload/index.ts';
import { runMicro } from '../micro/index.ts';
import { exitSoon, runnerMain } from './main.ts';

exitSoon(await runnerMain({ runScenario, runMicro }));
