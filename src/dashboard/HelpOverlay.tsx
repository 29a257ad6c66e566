/**
 * The help (`?`): the keys, then what the marks on screen mean (icons, letters, `cb`, `×etcd`,
 * `p99ms`, `*`). On a terminal too short for all of it, it scrolls as the detail does (↑/↓ j/k
 * PgUp/PgDn Home/End, the last row says which lines show).
 */
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { REACHED_CEILING_MARGIN, RUNNER_BOUND_CPU_PERCENT } from '../views/ceiling.ts';
import { padCols } from './format.ts';
import { isScrollable, scrollLabel, scrollWindow } from './scroll.ts';

/** Props of `HelpOverlay`. */
export interface HelpOverlayProps {
  /** True when quitting stops the run (dashboard of `metabench run`), false for `monitor`. */
  readonly ownsRun: boolean;
  /** Rows available, border included; a longer help scrolls. */
  readonly rows: number;
  /** First line shown (`UiState.helpTop`); clamped. */
  readonly top?: number;
}

const KEYS: readonly [string, string][] = [
  ['←/→, Tab', 'select a target (in the detail: the same scenario there)'],
  ['↑/↓', 'select a scenario (the results table scrolls to its row)'],
  ['j/k', 'scroll the results table, the detail or this help (there ↑/↓ too)'],
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

/** Rows of the box that are not help lines: the border. */
const HELP_CHROME_ROWS = 2;

/** A bordered list of keys and marks: the lines from `top` that fit, with the position when they do not all fit. */
export function HelpOverlay({ ownsRun, rows, top }: HelpOverlayProps) {
  const lines = helpLines(ownsRun);
  const w = scrollWindow(lines.length, visibleLines(lines.length, rows), top ?? 0);
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1}>
      {lines.slice(w.start, w.end).map((l, i) => (
        <Text key={w.start + i} wrap="truncate">
          {l}
        </Text>
      ))}
      {isScrollable(w) ? (
        <Text dimColor wrap="truncate">
          {scrollLabel('lines', w)} · ↑/↓ j/k PgUp/PgDn scroll
        </Text>
      ) : null}
    </Box>
  );
}

/** Help lines shown at once out of `total` in a box of `rows` rows (one goes to the position line when they do not all fit). */
function visibleLines(total: number, rows: number): number {
  const room = Math.max(2, rows - HELP_CHROME_ROWS);
  return total <= room ? total : room - 1;
}

/** How many help lines show at once and in all, for the keys that scroll (see `Viewport`). */
export function helpViewport(rows: number): { readonly helpRows: number; readonly helpLines: number } {
  // The count does not depend on who owns the run: only the text of the `q` line does.
  const total = helpLines(true).length;
  return { helpRows: visibleLines(total, rows), helpLines: total };
}

function helpLines(ownsRun: boolean): ReactNode[] {
  const row = (k: string, what: string): ReactNode => (
    <>
      <Text color="cyan">{padCols(k, KEY_COLUMNS)}</Text> {what}
    </>
  );
  return [
    <Text bold>Keys</Text>,
    ...KEYS.map(([k, what]) => row(k, what)),
    row('q, Ctrl-C', ownsRun ? 'stop the run gracefully (servers stopped, marked interrupted)' : 'leave the monitor (the run goes on)'),
    <Text bold>Marks</Text>,
    ...MARKS.map(([m, what]) => row(m, what)),
  ];
}
