/** A target's scenarios with their state icons, grades or live share done. */
import { Box, Text } from 'ink';
import type { ScenarioRun, TargetStatus } from '../state/run-state.ts';
import { fmtPct } from '../format/figures.ts';
import { fit } from './format.ts';
import { gradeColour, scenarioColour, scenarioIcon, scenarioLook } from './status-style.ts';

/** Props of `ScenarioList`. */
export interface ScenarioListProps {
  readonly scenarios: readonly ScenarioRun[];
  /** Index of the highlighted scenario, when this target is selected. */
  readonly selected?: number;
  /** Inner width, columns. */
  readonly width: number;
  /** The target's status: queued scenarios of an ended target are drawn as not run. */
  readonly status: TargetStatus;
}

/** One row per scenario: `✅ large-scale-load        A`. */
export function ScenarioList({ scenarios, selected, width, status }: ScenarioListProps) {
  const nameWidth = Math.max(8, width - 5 - 6);
  return (
    <Box flexDirection="column">
      {scenarios.map((s, i) => {
        const look = scenarioLook({ status }, s);
        return (
          <Text key={s.name} wrap="truncate" inverse={i === selected}>
            {/* A marker as well as inverse video: readable without colours. */}
            {i === selected ? '▸' : ' '}
            {scenarioIcon(look)} <Text color={scenarioColour(look)}>{fit(s.name, nameWidth)}</Text> {look === 'not-run' ? <Text dimColor>{'  –  '}</Text> : <Badge s={s} />}
          </Text>
        );
      })}
    </Box>
  );
}

function Badge({ s }: { readonly s: ScenarioRun }) {
  switch (s.state) {
    case 'queued':
      return <Text dimColor>{'  …  '}</Text>;
    case 'running':
      return <Text color="cyan">{fmtPct(s.progress?.fraction ?? 0).padStart(5)}</Text>;
    case 'passed':
    case 'failed':
    case 'aborted': {
      const g = s.end?.grade?.grade;
      if (!g) return <Text color={scenarioColour(s.state)}>{s.state === 'aborted' ? 'abort' : s.state.padStart(5)}</Text>;
      return (
        <Text color={gradeColour(g)} bold>
          {g.padStart(5)}
        </Text>
      );
    }
  }
}
