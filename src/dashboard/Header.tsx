/** The header: run id, profile, seed, repeat (runs with --repeat), elapsed time, ETA, and progress per target and in total. */
import { Box, Text } from 'ink';
import { currentRepeat, type RunState } from '../state/run-state.ts';
import { etaAt } from '../state/progress.ts';
import { fmtClock, fmtPct } from '../format/figures.ts';
import { targetColour } from './status-style.ts';

/** Props of `Header`. */
export interface HeaderProps {
  readonly run: RunState;
  /** Wall clock, ms since the epoch. */
  readonly nowMs: number;
  /** Shown on the right: `stopping…`, `following`, … */
  readonly note?: string;
}

/** Two rows: identity and timing, then `memory 60% | rocksdb 5% | total 30%`. */
export function Header({ run, nowMs, note }: HeaderProps) {
  const end = run.finished ? run.lastT : nowMs;
  const elapsed = run.startT !== undefined && end !== undefined ? end - run.startT : undefined;
  const eta = run.finished ? 0 : etaAt(run.progress.etaMs, run.lastT, nowMs);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        <Text bold color="cyan">
          metabench
        </Text>{' '}
        run <Text bold>{run.runId ?? '—'}</Text> · profile {run.profile ?? '—'} · seed {run.seed ?? '—'}{run.client ? ` · client ${run.client}` : ''}{run.repeats ? ` · repeat ${currentRepeat(run)}/${run.repeats}` : ''} · elapsed {fmtClock(elapsed)} · ETA{' '}
        {run.finished ? (allCompleted(run) ? 'done' : 'ended') : fmtClock(eta)}
        {run.parallel ? <Text color="yellow"> · parallel</Text> : null}
        {note ? <Text color="yellow"> · {note}</Text> : null}
      </Text>
      <Text wrap="truncate">
        {run.targetOrder.map((name) => {
          const t = run.targets[name];
          const label = t.status.state === 'unavailable' ? 'n/a' : fmtPct(t.progress);
          return (
            <Text key={name}>
              <Text color={targetColour(t.status.state)}>{name}</Text> {label}
              {' | '}
            </Text>
          );
        })}
        <Text bold>total {fmtPct(run.progress.total)}</Text>
      </Text>
    </Box>
  );
}

function allCompleted(run: RunState): boolean {
  return run.targetOrder.every((n) => {
    const st = run.targets[n].status.state;
    return st === 'completed' || st === 'unavailable';
  });
}
