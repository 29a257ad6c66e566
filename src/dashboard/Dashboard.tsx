/**
 * The whole screen, as a pure function of the model, the UI state and the terminal size:
 * header, target panels (side by side, or stacked below ~120 columns), results and micro
 * tables, or an overlay (scenario detail, help), and the footer. Below 80 columns it only says
 * the terminal is too narrow.
 */
import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { baselineTarget } from '../views/baseline.ts';
import { microTable } from '../views/micro.ts';
import { isCeilingTarget, resultRows } from '../views/results.ts';
import { FinishedFeed } from './FinishedFeed.tsx';
import { Footer } from './Footer.tsx';
import { Header } from './Header.tsx';
import { HelpOverlay } from './HelpOverlay.tsx';
import { planLayout, MIN_COLUMNS } from './layout.ts';
import { MicroTable } from './MicroTable.tsx';
import { ResultsTable } from './ResultsTable.tsx';
import type { RunModel } from '../state/run-store.ts';
import { ScenarioDetail } from './ScenarioDetail.tsx';
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
}

/** The dashboard screen. */
export function Dashboard({ model, ui, size, nowMs, interactive, ownsRun, stderrTails = {}, feed = true }: DashboardProps) {
  const { run } = model;
  const rows = useMemo(() => resultRows(run).filter((r) => Object.values(r.results).some((c) => c.opsPerSec !== undefined)), [run]);
  const micro = useMemo(() => microTable(run), [run]);
  // Targets that ran scenarios get a panel; a target that only reports micro results does not.
  const panelTargets = run.targetOrder.filter((n) => run.targets[n].scenarios.length > 0 || run.targets[n].micro.length === 0);
  const layout = planLayout({
    columns: size.columns,
    rows: size.rows,
    targets: panelTargets.length,
    scenarios: Math.max(0, ...panelTargets.map((n) => run.targets[n].scenarios.length)),
    resultRows: rows.length,
    microRows: micro.rows.length,
  });
  if (layout.mode === 'too-narrow') {
    return (
      <Text color="yellow" wrap="truncate">
        metabench: the terminal is too narrow ({layout.columns} columns, needs {MIN_COLUMNS}); widen it or use `metabench run --json`
      </Text>
    );
  }
  const selectedName = run.targetOrder[ui.target];
  const selected = selectedName !== undefined ? run.targets[selectedName] : undefined;
  const header = <Header run={run} nowMs={nowMs} note={model.note} />;
  const footer = <Footer message={model.note} warning={model.warning} interactive={interactive} />;
  const feedView = feed ? <FinishedFeed feed={model.feed} /> : null;

  if (ui.view === 'help') {
    return (
      <>
        {feedView}
        <Box flexDirection="column" width={size.columns}>
          {header}
          <HelpOverlay ownsRun={ownsRun} />
          {footer}
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
          <ScenarioDetail target={selected.name} scenario={scenario} width={size.columns} rows={layout.overlayRows} />
          {footer}
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
        <ResultsTable rows={rows} targets={panelTargets} maxRows={layout.resultRows} compact={layout.compactTable} baseline={baseline} ceilingTarget={run.targetOrder.find((n) => isCeilingTarget(run, n))} />
        <MicroTable table={micro} maxRows={layout.microRows} />
        {footer}
      </Box>
    </>
  );
}
