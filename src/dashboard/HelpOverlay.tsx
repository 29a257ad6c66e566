/** The help (`?`): the keys, then what the marks on screen mean (icons, letters, `cb`, `×etcd`, `*`). */
import { Box, Text } from 'ink';
import { CLIENT_BOUND_RATIO, RUNNER_BOUND_CPU_PERCENT } from '../views/ceiling.ts';

/** Props of `HelpOverlay`. */
export interface HelpOverlayProps {
  /** True when quitting stops the run (dashboard of `metabench run`), false for `monitor`. */
  readonly ownsRun: boolean;
}

const KEYS: readonly [string, string][] = [
  ['←/→, Tab', 'select a target'],
  ['↑/↓', 'select a scenario of the selected target'],
  ['Enter', 'open the scenario detail (percentiles, mix, checks)'],
  ['Esc', 'close the detail or this help'],
  ['?', 'toggle this help'],
];

/** What each mark means, one line each (each fits the 76 columns inside an 80-column border). */
export const MARKS: readonly [string, string][] = [
  ['✅ 🔄 ⏳ ❌', 'passed · running · queued · failed or aborted'],
  ['A+ … F', 'SLO headroom: A+ ≥ 8×, A ≥ 4×, B ≥ 2×, C met, D missed ≤ 2×, F'],
  ['', 'also F: a failed check, too many errors, abort (Enter: why)'],
  ['cb', `client-bound: noop ceiling < ${CLIENT_BOUND_RATIO}× fastest, or runner CPU ≥ ${RUNNER_BOUND_CPU_PERCENT}%`],
  ['×etcd', "ops/s ÷ etcd's on this scenario (> 1× = faster than etcd)"],
  ['*', "graded by this target's own SLO (sloByTarget)"],
];

/** A bordered list of keys and marks. */
export function HelpOverlay({ ownsRun }: HelpOverlayProps) {
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1}>
      <Text bold>Keys</Text>
      {KEYS.map(([k, what]) => (
        <Text key={k}>
          <Text color="cyan">{k.padEnd(10)}</Text> {what}
        </Text>
      ))}
      <Text>
        <Text color="cyan">{'q, Ctrl-C'.padEnd(10)}</Text> {ownsRun ? 'stop the run gracefully (servers stopped, "interrupted" recorded) and exit' : 'leave the monitor (the run goes on)'}
      </Text>
      <Text bold>Marks</Text>
      {MARKS.map(([m, what], i) => (
        <Text key={i} wrap="truncate">
          <Text color="cyan">{m.padEnd(10)}</Text> {what}
        </Text>
      ))}
    </Box>
  );
}
