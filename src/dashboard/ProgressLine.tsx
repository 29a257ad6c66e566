/** The running scenario's progress bar with its share and ETA, or what the target is doing instead. */
import { Text } from 'ink';
import type { TargetState } from '../state/run-state.ts';
import { isScenarioFinal, runningScenario } from '../state/run-state.ts';
import { etaAt } from '../state/progress.ts';
import { fmtClock, fmtPct } from '../format/figures.ts';
import { bar } from './format.ts';

/** Props of `ProgressLine`. */
export interface ProgressLineProps {
  readonly target: TargetState;
  /** Inner width, columns. */
  readonly width: number;
  /** Wall clock, ms since the epoch (the ETA counts down between events). */
  readonly nowMs: number;
  /** Text after the bar or the idle text, on the same row (a compact panel's live figures). */
  readonly after?: string;
}

/** One row: `███████░░░░ 62%  1,240/2,000  ETA 12s`. */
export function ProgressLine({ target, width, nowMs, after = '' }: ProgressLineProps) {
  const s = runningScenario(target);
  if (!s) return <Text dimColor wrap="truncate">{idleText(target) + after}</Text>;
  const p = s.progress;
  const fraction = p?.fraction ?? 0;
  const eta = etaAt(p?.etaMs, p?.t, nowMs);
  const amount =
    p === undefined ? '' : p.totalOps !== undefined ? `${p.done}/${p.totalOps}` : p.durationMs !== undefined ? `${fmtClock(p.elapsedMs)}/${fmtClock(p.durationMs)}` : `${p.done} ops`;
  const tail = ` ${fmtPct(fraction).padStart(4)} ${amount} ETA ${fmtClock(eta)}`;
  const barWidth = Math.max(4, width - tail.length - after.length);
  return (
    <Text wrap="truncate">
      <Text color="cyan">{bar(fraction, barWidth)}</Text>
      {tail}
      {after}
    </Text>
  );
}

function idleText(t: TargetState): string {
  switch (t.status.state) {
    case 'waiting':
      return 'waiting for its turn';
    case 'starting':
      return 'starting the server…';
    case 'running':
      // Micro-benchmarks run after the scenarios, outside the scenario list.
      if (t.micro.length > 0) return `micro-benchmarks: ${t.micro.length} cases done…`;
      return t.scenarios.every(isScenarioFinal) ? 'finishing (stopping the server, micro-benchmarks if asked)…' : 'between scenarios…';
    case 'completed':
      return `done in ${fmtClock(t.status.durationMs)}`;
    case 'interrupted':
      return `interrupted after ${fmtClock(t.status.durationMs)}`;
    case 'crashed':
      return `crashed after ${fmtClock(t.status.durationMs)}`;
    case 'unavailable':
      return 'not run';
  }
}
