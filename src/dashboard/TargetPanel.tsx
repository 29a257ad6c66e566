/**
 * One target's panel: status, server, CPU/RSS, scenarios, the running scenario's progress, live
 * figures and the throughput chart. A crashed target shows the tail of its stderr instead of the
 * chart; an unavailable one says why and how to fix it.
 */
import { Box, Text } from 'ink';
import { memo } from 'react';
import { isNoopKind } from '../views/ceiling.ts';
import { isServerStopped, isTargetFinal, runningScenario } from '../state/run-state.ts';
import type { RunState, TargetState } from '../state/run-state.ts';
import { fmtBytes, fmtCpuPercent, fmtMs, fmtOps, fmtPct } from '../format/figures.ts';
import { ProgressLine } from './ProgressLine.tsx';
import { ScenarioList } from './ScenarioList.tsx';
import { targetColour, targetIcon } from './status-style.ts';
import { ThroughputChart } from './ThroughputChart.tsx';

/** Props of `TargetPanel`. */
export interface TargetPanelProps {
  readonly target: TargetState;
  readonly selected: boolean;
  /** Highlighted scenario index (only drawn when `selected`). */
  readonly selectedScenario: number;
  /** Outer width, columns. */
  readonly width: number;
  /** Fold server + CPU/RSS and progress + live figures into one row each (short terminals). */
  readonly compact?: boolean;
  /** Chart plot rows; 0 hides the chart. */
  readonly chartRows: number;
  /** Wall clock, ms since the epoch. */
  readonly nowMs: number;
  /** Last lines of `<target>.stderr.log`, shown when the target crashed. */
  readonly stderrTail?: readonly string[];
  /** The run, so the chart draws the other targets' curves of the same scenario behind this one. */
  readonly run?: Pick<RunState, 'targets' | 'targetOrder'>;
}

/** A bordered panel for one target; the selected one has a bold cyan border. */
export const TargetPanel = memo(function TargetPanel(props: TargetPanelProps) {
  const { target, selected, width, nowMs } = props;
  const inner = Math.max(10, width - 4);
  const state = target.status.state;
  return (
    <Box flexDirection="column" width={width} borderStyle="round" borderColor={selected ? 'cyan' : 'gray'} paddingX={1}>
      <Text wrap="truncate">
        {targetIcon(state)}{' '}
        <Text bold color={selected ? 'cyan' : undefined}>
          {target.name}
        </Text>{' '}
        <Text color={targetColour(state)}>{state}</Text> <Text dimColor>{fmtPct(target.progress)}</Text>
        {isNoopKind(target.targetKind) ? <Text dimColor> · ceiling, not graded</Text> : null}
      </Text>
      {props.compact ? (
        <Text wrap="truncate" dimColor={stoppedServer(target)}>
          {stoppedServer(target) ? `server stopped · ${sampleText(target)} · ${whereText(target)}` : `${sampleText(target)} · ${serverLine(target)}`}
        </Text>
      ) : (
        <>
          <Text wrap="truncate" dimColor>
            {serverLine(target)}
          </Text>
          <Text wrap="truncate" dimColor={stoppedServer(target)}>
            {sampleText(target)}
          </Text>
        </>
      )}
      <ScenarioList scenarios={target.scenarios} selected={selected ? props.selectedScenario : undefined} width={inner} status={target.status} />
      {props.compact ? (
        <ProgressLine target={target} width={inner} nowMs={nowMs} after={` · ${liveText(target).text}`} />
      ) : (
        <>
          <ProgressLine target={target} width={inner} nowMs={nowMs} />
          <LiveLine target={target} />
        </>
      )}
      <Bottom {...props} inner={inner} />
    </Box>
  );
});

/** Where the target listens; once it has ended, that its server is stopped (the address is history). */
function serverLine(t: TargetState): string {
  if (t.status.state === 'unavailable') return t.status.reason;
  if (!t.server) return isTargetFinal(t.status) ? 'never started' : t.targetKind ? `${t.targetKind} · no server yet` : 'no server yet';
  return stoppedServer(t) ? `server stopped · ${whereText(t)}` : whereText(t);
}

/** `pid 4242 · 127.0.0.1:23790 · 3.4.0` ('' before the server is known). */
function whereText(t: TargetState): string {
  if (!t.server) return '';
  const pid = t.server.pid !== undefined ? `pid ${t.server.pid} · ` : '';
  return `${pid}${t.server.address}${t.server.version ? ` · ${t.server.version}` : ''}`;
}

/** A server process the runner started, and the target has ended (so it is stopped). */
function stoppedServer(t: TargetState): boolean {
  return isServerStopped(t) && t.server?.pid !== undefined;
}

/**
 * The server's CPU and RSS: live while the target runs. Once it has ended the server is gone
 * (a crashed runner's server is killed by the orchestrator's reaper too), so the row keeps the
 * peak CPU and the last RSS seen, labelled as such, not a sample that looks live.
 */
function sampleText(t: TargetState): string {
  if (stoppedServer(t) && t.peakSample && t.sample) return `peak CPU ${fmtCpuPercent(t.peakSample.cpuPercent)} · RSS ${fmtBytes(t.sample.rssBytes)} at end`;
  return `CPU ${fmtCpuPercent(t.sample?.cpuPercent)} · RSS ${fmtBytes(t.sample?.rssBytes)}`;
}

/** The latest window's figures, and whether they are live (the running scenario's) or the last ones seen. */
function liveText(target: TargetState): { readonly text: string; readonly live: boolean } {
  const l = target.live;
  if (!l) return { text: '— ops/s · p50 — · p99 — · 0 err', live: false };
  // Between scenarios and after the end the figures are the last window's, not live.
  const live = runningScenario(target)?.name === l.scenario;
  return { text: `${live ? '' : 'last: '}${fmtOps(l.opsPerSec)} ops/s · p50 ${fmtMs(l.p50Ms)} · p99 ${fmtMs(l.p99Ms)} · ${l.errors} err`, live };
}

function LiveLine({ target }: { readonly target: TargetState }) {
  const l = target.live;
  if (!l) return <Text dimColor>{liveText(target).text}</Text>;
  const live = runningScenario(target)?.name === l.scenario;
  return (
    <Text wrap="truncate" dimColor={!live}>
      {live ? '' : 'last: '}
      <Text bold>{fmtOps(l.opsPerSec)}</Text> ops/s · p50 {fmtMs(l.p50Ms)} · p99 {fmtMs(l.p99Ms)} ·{' '}
      <Text color={l.errors > 0 ? 'red' : undefined}>{l.errors} err</Text>
    </Text>
  );
}

function Bottom({ target, chartRows, stderrTail, inner, run }: TargetPanelProps & { readonly inner: number }) {
  switch (target.status.state) {
    case 'crashed': {
      const lines = (stderrTail ?? []).slice(-Math.max(2, chartRows));
      return (
        <Box flexDirection="column">
          <Text color="red" wrap="truncate">
            ❌ {target.status.error ?? 'runner crashed'}
          </Text>
          {lines.length === 0 ? <Text dimColor>(stderr is empty)</Text> : null}
          {lines.map((l, i) => (
            <Text key={i} dimColor wrap="truncate">
              {l}
            </Text>
          ))}
        </Box>
      );
    }
    case 'unavailable':
      return <Text color="magenta" wrap="wrap">{target.status.hint ? `hint: ${target.status.hint}` : ''}</Text>;
    case 'waiting':
    case 'starting':
    case 'running':
    case 'completed':
    case 'interrupted':
      return chartRows > 0 ? <ThroughputChart target={target} run={run} width={inner} rows={chartRows} /> : null;
  }
}
