/**
 * The whole screen, as a pure function of the model, the UI state and the terminal size:
 * header, target panels (side by side, or stacked below ~120 columns), results and micro
 * tables, or an overlay (scenario detail, help), and the footer. Below 80 columns it only says
 * the terminal is too narrow.
 */
import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { isTargetFinal } from '../state/run-state.ts';
import { baselineTarget } from '../views/baseline.ts';
import { isCeilingTarget } from '../views/results.ts';
import { FinishedFeed } from './FinishedFeed.tsx';
import { Footer } from './Footer.tsx';
import { Header } from './Header.tsx';
import { HelpOverlay, helpViewport } from './HelpOverlay.tsx';
import { wrapWords } from './format.ts';
import { MIN_COLUMNS } from './layout.ts';
import { MicroTable } from './MicroTable.tsx';
import { ResultsTable } from './ResultsTable.tsx';
import type { RunModel } from '../state/run-store.ts';
import { ScenarioDetail } from './ScenarioDetail.tsx';
import { planScreen } from './screen.ts';
import { TargetPanel } from './TargetPanel.tsx';
import { TargetSummaryRow } from './TargetSummaryRow.tsx';
import type { TerminalSize } from './use-terminal-size.ts';
import type { UiState } from './ui-state.ts';

/** Props of `Dashboard`. */
export interface DashboardProps {
  readonly model: RunModel;
  readonly ui: UiState;
  readonly size: TerminalSize;
  /** Wall clock, ms since the epoch. */
  readonly nowMs: number;
  /** Keys are read (stdin is a terminal). */
  readonly interactive: boolean;
  /** Quitting stops the run (true under `metabench run`, false under `monitor`). */
  readonly ownsRun: boolean;
  /** Last stderr lines of crashed targets, by target name. */
  readonly stderrTails?: Readonly<Record<string, readonly string[]>>;
  /** Print finished scenarios above the live area with `<Static>` (default true). */
  readonly feed?: boolean;
  /** Times the screen was cleared (`useTerminalSize`): each prints the feed again, from its first line. */
  readonly screenClears?: number;
}

/** The dashboard screen. */
export function Dashboard({ model, ui, size, nowMs, interactive, ownsRun, stderrTails = {}, feed = true, screenClears = 0 }: DashboardProps) {
  const { run } = model;
  const { rows, micro, panelTargets, layout } = useMemo(() => planScreen(run, size), [run, size]);
  if (layout.mode === 'too-narrow') {
    // Broken at spaces by hand, so the whole message reads at any width without a ragged indent.
    const message = `metabench: the terminal is too narrow (${layout.columns} columns, needs ${MIN_COLUMNS}); widen it or use \`metabench run --json\``;
    return (
      <Box flexDirection="column" width={layout.columns}>
        {wrapWords(message, layout.columns).map((line, i) => (
          <Text key={i} color="yellow" wrap="truncate">
            {line}
          </Text>
        ))}
      </Box>
    );
  }
  const selectedName = run.targetOrder[ui.target];
  const selected = selectedName !== undefined ? run.targets[selectedName] : undefined;
  const header = <Header run={run} nowMs={nowMs} note={model.note} width={size.columns} />;
  const footer = (view: 'main' | 'detail' | 'help', scrolls = false) => <Footer message={model.note} warning={model.warning} interactive={interactive} view={view} scrolls={scrolls} />;
  // A new <Static> (new key) prints every line again: the screen it was on has been cleared.
  const feedView = feed ? <FinishedFeed key={screenClears} feed={model.feed} /> : null;

  if (ui.view === 'help') {
    const help = helpViewport(layout.overlayRows);
    return (
      <>
        {feedView}
        <Box flexDirection="column" width={size.columns}>
          {header}
          <HelpOverlay ownsRun={ownsRun} rows={layout.overlayRows} top={ui.helpTop} />
          {footer('help', help.helpRows < help.helpLines)}
        </Box>
      </>
    );
  }
  const scenario = selected?.scenarios[ui.scenario];
  if (ui.view === 'detail' && selected && scenario) {
    return (
      <>
        {feedView}
        <Box flexDirection="column" width={size.columns}>
          {header}
          <ScenarioDetail target={selected.name} status={selected.status} scenario={scenario} width={size.columns} rows={layout.overlayRows} top={ui.detailTop} />
          {footer('detail')}
        </Box>
      </>
    );
  }
  const panel = (name: string) => (
    <TargetPanel
      key={name}
      target={run.targets[name]}
      selected={name === selectedName}
      selectedScenario={ui.scenario}
      width={layout.panelWidth}
      chartRows={layout.chartRows}
      compact={layout.compactPanel}
      nowMs={nowMs}
      stderrTail={stderrTails[name]}
      run={run}
    />
  );
  const stackedMain = selectedName && panelTargets.includes(selectedName) ? selectedName : panelTargets[0];
  const baseline = baselineTarget(run);
  return (
    <>
      {feedView}
      <Box flexDirection="column" width={size.columns}>
        {header}
        {layout.mode === 'side' ? (
          <Box flexDirection="row" columnGap={1}>
            {panelTargets.map(panel)}
          </Box>
        ) : (
          <Box flexDirection="column">
            {panelTargets.filter((n) => n !== stackedMain).map((n) => (
              <TargetSummaryRow key={n} target={run.targets[n]} />
            ))}
            {stackedMain ? panel(stackedMain) : null}
          </Box>
        )}
        <ResultsTable
          rows={rows}
          targets={panelTargets}
          width={size.columns}
          maxRows={layout.resultRows}
          top={ui.resultsTop}
          baseline={baseline}
          ceilingTarget={run.targetOrder.find((n) => isCeilingTarget(run, n))}
          ended={panelTargets.filter((n) => isTargetFinal(run.targets[n].status))}
          selected={scenario?.name}
        />
        <MicroTable table={micro} maxRows={layout.microRows} />
        {footer('main', rows.length > layout.resultRows)}
      </Box>
    </>
  );
}
