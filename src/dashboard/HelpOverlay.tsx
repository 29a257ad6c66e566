/** The help (`?`): the keys, then what the marks on screen mean (icons, letters, `cb`, `×etcd`, `p99ms`, `*`). */
import { Box, Text } from 'ink';
import { REACHED_CEILING_MARGIN, RUNNER_BOUND_CPU_PERCENT } from '../views/ceiling.ts';
import { padCols } from './format.ts';

/** Props of `HelpOverlay`. */
export interface HelpOverlayProps {
  /** True when quitting stops the run (dashboard of `metabench run`), false for `monitor`. */
  readonly ownsRun: boolean;
}

const KEYS: readonly [string, string][] = [
  ['←/→, Tab', 'select a target (in the detail: the same scenario there)'],
  ['↑/↓', 'select a scenario (the results table scrolls to its row)'],
  ['j/k', 'scroll the results table, or the detail (there ↑/↓ too)'],
  ['PgUp/PgDn', 'a page up / down; Home / End: first rows / newest rows'],
  ['Enter', 'open the scenario detail (percentiles, mix, checks)'],
  ['Esc, ?', 'close the detail or this help; ? opens this help'],
];

/** What each mark means, one line each (each fits the 76 columns inside an 80-column border). */
export const MARKS: readonly [string, string][] = [
  ['✅ 🔄 ⏳', 'passed · running · queued'],
  ['❌ ⛔ –', 'failed · aborted (cut off by an interrupt or crash) · not run'],
  ['A+ … F', 'SLO headroom: A+ ≥ 8×, A ≥ 4×, B ≥ 2×, C met, D missed ≤ 2×, F'],
  ['', 'also F: a failed check, too many errors, abort (Enter: why)'],
  ['cb', `client-bound: within ${REACHED_CEILING_MARGIN}× of noop ceiling, or runner CPU ≥ ${RUNNER_BOUND_CPU_PERCENT}%`],
  ['×etcd', "ops/s ÷ etcd's on this scenario (> 1× = faster than etcd)"],
  ['p99ms', 'p99 latency in ms (narrow tables move the unit into the header)'],
  ['*', "graded by this target's own SLO (sloByTarget)"],
];

/** Width of the key and mark columns, display columns. */
const KEY_COLUMNS = 10;

/** A bordered list of keys and marks. */
export function HelpOverlay({ ownsRun }: HelpOverlayProps) {
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1}>
      <Text bold>Keys</Text>
      {KEYS.map(([k, what]) => (
        <Text key={k} wrap="truncate">
          <Text color="cyan">{padCols(k, KEY_COLUMNS)}</Text> {what}
        </Text>
      ))}
      <Text wrap="truncate">
        <Text color="cyan">{padCols('q, Ctrl-C', KEY_COLUMNS)}</Text> {ownsRun ? 'stop the run gracefully (servers stopped, marked interrupted)' : 'leave the monitor (the run goes on)'}
      </Text>
      <Text bold>Marks</Text>
      {MARKS.map(([m, what], i) => (
        <Text key={i} wrap="truncate">
          <Text color="cyan">{padCols(m, KEY_COLUMNS)}</Text> {what}
        </Text>
      ))}
    </Box>
  );
}
