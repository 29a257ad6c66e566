/** The braille throughput chart of one target: title/legend row, plot with y labels, x axis. */
import { Text, Box } from 'ink';
import { memo, useMemo } from 'react';
import type { RunState, TargetState } from '../state/run-state.ts';
import { chartViewOf } from './chart-model.ts';
import { drawChart } from './line-chart.ts';

/** Props of `ThroughputChart`. */
export interface ThroughputChartProps {
  readonly target: TargetState;
  /** The run, for the other targets' curves of the same scenario (none when absent). */
  readonly run?: Pick<RunState, 'targets' | 'targetOrder'>;
  /** Width in columns, labels included. */
  readonly width: number;
  /** Plot rows (a title row and the x-axis row come on top). */
  readonly rows: number;
}

/** Throughput of the running scenario against earlier targets, or a finished target's whole span. */
export const ThroughputChart = memo(function ThroughputChart({ target, run, width, rows }: ThroughputChartProps) {
  const frame = useMemo(() => drawChart(chartViewOf(target, run), { width, height: rows }), [target, run, width, rows]);
  return (
    <Box flexDirection="column">
      {frame.rows.map((row, i) => (
        <Text key={i} wrap="truncate">
          {row.map((s, j) => (
            <Text key={j} color={s.colour} dimColor={s.dim} bold={s.bold}>
              {s.text}
            </Text>
          ))}
        </Text>
      ))}
    </Box>
  );
});
