/**
 * The header: run id, profile, seed, repeat (runs with --repeat), elapsed time, ETA, and progress per target and in total.
 * In a narrow terminal the first row gives up its parts in `HEADER_DROP_ORDER`, so elapsed and
 * ETA always stay.
 */
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
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
  /** Terminal width, columns (default: room for everything). */
  readonly width?: number;
}

/** A part of the first row: its text (for measuring) and how it is drawn. */
interface Part {
  readonly id: HeaderPart;
  readonly text: string;
  readonly node: ReactNode;
}

/** The parts of the first row after `metabench`. */
export type HeaderPart = 'run' | 'profile' | 'seed' | 'client' | 'repeat' | 'elapsed' | 'eta' | 'parallel' | 'note';

/**
 * What goes first when the row is too wide: the seed and client (both in run.json), the run id
 * (the folder name), the profile, the parallel mark, the note. Elapsed and ETA are never dropped.
 */
export const HEADER_DROP_ORDER: readonly HeaderPart[] = ['seed', 'client', 'run', 'profile', 'repeat', 'parallel', 'note'];

const SEP = ' · ';
const LEAD = 'metabench ';

/** The parts that fit `width` columns, in display order (elapsed and ETA always). */
export function fitHeader<T extends { readonly id: HeaderPart; readonly text: string }>(parts: readonly T[], width: number): T[] {
  let kept = [...parts];
  const len = (ps: readonly T[]): number => LEAD.length + ps.reduce((a, p, i) => a + p.text.length + (i > 0 ? SEP.length : 0), 0);
  for (const id of HEADER_DROP_ORDER) {
    if (len(kept) <= width) break;
    kept = kept.filter((p) => p.id !== id);
  }
  return kept;
}

/** Two rows: identity and timing, then `memory 60% | rocksdb 5% | total 30%`. */
export function Header({ run, nowMs, note, width = Number.MAX_SAFE_INTEGER }: HeaderProps) {
  const end = run.finished ? run.lastT : nowMs;
  const elapsed = run.startT !== undefined && end !== undefined ? end - run.startT : undefined;
  const eta = run.finished ? (allCompleted(run) ? 'done' : 'ended') : fmtClock(etaAt(run.progress.etaMs, run.lastT, nowMs));
  const plain = (id: HeaderPart, text: string): Part => ({ id, text, node: text });
  const parts: Part[] = [
    { id: 'run', text: `run ${run.runId ?? '—'}`, node: <>run <Text bold>{run.runId ?? '—'}</Text></> },
    plain('profile', `profile ${run.profile ?? '—'}`),
    plain('seed', `seed ${run.seed ?? '—'}`),
    ...(run.client ? [plain('client', `client ${run.client}`)] : []),
    ...(run.repeats ? [plain('repeat', `repeat ${currentRepeat(run)}/${run.repeats}`)] : []),
    plain('elapsed', `elapsed ${fmtClock(elapsed)}`),
    plain('eta', `ETA ${eta}`),
    ...(run.parallel ? [{ id: 'parallel' as const, text: 'parallel', node: <Text color="yellow">parallel</Text> }] : []),
    ...(note ? [{ id: 'note' as const, text: note, node: <Text color="yellow">{note}</Text> }] : []),
  ];
  const shown = fitHeader(parts, width);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        <Text bold color="cyan">
          metabench
        </Text>{' '}
        {shown.map((p, i) => (
          <Text key={p.id}>
            {i > 0 ? SEP : ''}
            {p.node}
          </Text>
        ))}
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
