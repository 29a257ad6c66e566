/** The run's exit code, decided from its folded state (DESIGN section 6; `metabench run`). */
import { isScenarioFinal, type RunState } from '../state/run-state.ts';

/**
 * Exit codes of `metabench run`. `readerGone` (128 + SIGPIPE, what a shell reports for a producer
 * killed by its pipe) when stdout's reader left (`metabench run --json | head -5`) and the run
 * was stopped for it.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130, readerGone: 141 } as const;

/**
 * 130 when the run was interrupted; 1 when a target crashed or was unavailable, or a scenario
 * failed or was aborted; 0 when every target completed every scenario.
 */
export function exitCodeOf(state: RunState, interrupted: boolean): number {
  if (interrupted) return EXIT.interrupted;
  for (const name of state.targetOrder) {
    const t = state.targets[name];
    switch (t.status.state) {
      case 'completed':
        break;
      case 'interrupted':
        return EXIT.interrupted;
      case 'crashed':
      case 'unavailable':
      case 'waiting':
      case 'starting':
      case 'running':
        return EXIT.failed;
    }
    if (t.scenarios.some((s) => !isScenarioFinal(s) || s.state !== 'passed')) return EXIT.failed;
  }
  return EXIT.ok;
}
