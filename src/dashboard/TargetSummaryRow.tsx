/** One-row summary of a target that is not selected, for the stacked (narrow) layout. */
import { Text } from 'ink';
import { memo } from 'react';
import type { TargetState } from '../state/run-state.ts';
import { runningScenario } from '../state/run-state.ts';
import { fmtMs, fmtOps, fmtPct } from '../format/figures.ts';
import { fit } from './format.ts';
import { targetColour, targetIcon } from './status-style.ts';

/** Props of `TargetSummaryRow`. */
export interface TargetSummaryRowProps {
  readonly target: TargetState;
}

/** `🔄 rocksdb  running  40%  sustained-load 52%  2,345 ops/s p99 12 ms`. */
export const TargetSummaryRow = memo(function TargetSummaryRow({ target }: TargetSummaryRowProps) {
  const s = runningScenario(target);
  const st = target.status.state;
  return (
    <Text wrap="truncate">
      {targetIcon(st)} <Text bold>{fit(target.name, 10)}</Text> <Text color={targetColour(st)}>{fit(st, 11)}</Text> {fmtPct(target.progress).padStart(4)}
      {s ? `  ${s.name} ${fmtPct(s.progress?.fraction ?? 0)}` : ''}
      {target.live && st === 'running' ? `  ${fmtOps(target.live.opsPerSec)} ops/s p99 ${fmtMs(target.live.p99Ms)}` : ''}
      {st === 'crashed' && target.status.error ? `  ${target.status.error}` : ''}
    </Text>
  );
});
