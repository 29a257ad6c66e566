/** The key help (`?`). */
import { Box, Text } from 'ink';

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

/** A bordered list of keys. */
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
    </Box>
  );
}
