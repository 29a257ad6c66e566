/** The braille throughput chart of one target, with axis labels. */
import { Text, Box } from 'ink';
import { memo } from 'react';
import type { ThroughputPoint } from '../state/run-state.ts';
import { lineChart } from './line-chart.ts';

/** Props of `ThroughputChart`. */
export interface ThroughputChartProps {
  readonly points: readonly ThroughputPoint[];
  /** Width in columns, labels included. */
  readonly width: number;
  /** Plot rows (the x-axis row comes on top). */
  readonly rows: number;
  readonly colour?: string;
}

/** Operations per second over time, newest on the right. */
export const ThroughputChart = memo(function ThroughputChart({ points, width, rows, colour = 'cyan' }: ThroughputChartProps) {
  const chart = lineChart(
    points.map((p) => p.opsPerSec),
    { width, height: rows, times: points.map((p) => p.t) },
  );
  const plot = chart.rows.slice(0, -1);
  const axis = chart.rows[chart.rows.length - 1];
  return (
    <Box flexDirection="column">
      {plot.map((r, i) => (
        <Text key={i} wrap="truncate">
          <Text dimColor>{r.slice(0, 8)}</Text>
          <Text color={colour}>{r.slice(8)}</Text>
        </Text>
      ))}
      <Text dimColor wrap="truncate">
        {axis}
      </Text>
    </Box>
  );
});
