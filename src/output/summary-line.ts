/**
 * The last line of `metabench run --json`: the run's outcome in one object, built from the
 * results rows every view shares (`src/views/results.ts`). `kind: 'summary'` tells it apart from the event lines before it.
 */
import { z } from 'zod';
import { SCHEMA_VERSION } from '../events/schema.ts';
import type { RunState } from '../state/types.ts';
import { isCeilingTarget, resultRows } from '../views/results.ts';
import { clientBoundReasons, isClientBound } from '../views/ceiling.ts';

export const SummaryLine = z.object({
  v: z.literal(SCHEMA_VERSION),
  kind: z.literal('summary'),
  runId: z.string(),
  runDir: z.string(),
  /** The process exit code: 0 completed, 1 failed/crashed, 130 interrupted. */
  exitCode: z.number().int(),
  targets: z.array(
    z.object({
      target: z.string(),
      /** completed, interrupted, crashed, unavailable (or waiting/starting/running if cut short). */
      status: z.string(),
      error: z.string().optional(),
      /** True for a noop target: its figures are the load generator's ceiling, not graded. */
      ceiling: z.boolean().optional(),
      scenarios: z.array(
        z.object({
          scenario: z.string(),
          status: z.string(),
          opsPerSec: z.number().optional(),
          p99Ms: z.number().optional(),
          errors: z.number().optional(),
          grade: z.string().optional(),
          /** With `--repeat N`: how many repeats the figures are the median of. */
          repeats: z.number().int().optional(),
          /** With `--repeat N`: min–max over the repeats and half the range as % of the median. */
          spread: z.record(z.string(), z.object({ min: z.number(), max: z.number(), pct: z.number() })).optional(),
          /** The ceiling mark (noop ops/s, noop ÷ fastest target, and whether this target reached it: noop under 1.25× its ops/s), on non-noop results. */
          ceiling: z.object({ opsPerSec: z.number(), ratio: z.number(), clientBound: z.boolean() }).optional(),
          /** Present when the views mark the result client-bound (`isClientBound`): at the ceiling, the runner's CPU, or both. */
          clientBound: z.array(z.enum(['ceiling', 'runner-cpu'])).optional(),
        }),
      ),
    }),
  ),
});
export type SummaryLine = z.infer<typeof SummaryLine>;

/** Builds the summary line of a finished run. */
export function summaryLine(state: RunState, runId: string, runDir: string, exitCode: number): SummaryLine {
  const rows = resultRows(state);
  return {
    v: SCHEMA_VERSION,
    kind: 'summary',
    runId,
    runDir,
    exitCode,
    targets: state.targetOrder.map((name) => {
      const t = state.targets[name];
      const st = t.status;
      const error = st.state === 'crashed' || st.state === 'interrupted' ? st.error : st.state === 'unavailable' ? st.reason : undefined;
      const noop = isCeilingTarget(state, name);
      return {
        target: name,
        status: st.state,
        ...(error ? { error } : {}),
        ...(noop ? { ceiling: true } : {}),
        scenarios: t.scenarios.map((s) => {
          const cell = rows.find((r) => r.name === s.name)?.results[name];
          if (cell?.opsPerSec === undefined) return { scenario: s.name, status: s.state };
          return {
            scenario: s.name,
            status: s.state,
            opsPerSec: cell.opsPerSec,
            p99Ms: cell.p99Ms,
            errors: cell.errors,
            grade: cell.grade?.grade,
            ...(cell.repeats !== undefined && cell.spread !== undefined ? { repeats: cell.repeats.length, spread: { ...cell.spread } } : {}),
            ...(cell.ceiling ? { ceiling: { ...cell.ceiling } } : {}),
            ...(isClientBound(cell) ? { clientBound: clientBoundReasons(cell) } : {}),
          };
        }),
      };
    }),
  };
}
