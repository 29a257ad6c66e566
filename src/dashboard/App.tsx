/**
 * The interactive dashboard: reads the store, the terminal size and the keys, and renders
 * `Dashboard`. Quitting is reported through `onQuit`; the caller (`runDashboard`) decides what
 * that means (stop the run, or just leave the monitor).
 */
import { useInput } from 'ink';
import { useRef, useState, useSyncExternalStore } from 'react';
import { Dashboard } from './Dashboard.tsx';
import type { RunStore } from '../state/run-store.ts';
import { viewportOf } from './screen.ts';
import { clampUi, INITIAL_UI, reduceUi } from './ui-state.ts';
import type { UiKey, UiState } from './ui-state.ts';
import { useNow } from './use-now.ts';
import { useStderrTails } from './use-stderr-tails.ts';
import { useTerminalSize } from './use-terminal-size.ts';

/** Props of `App`. */
export interface AppProps {
  readonly store: RunStore;
  /** Folder of the run, for the stderr logs of crashed targets. */
  readonly runDir?: string;
  /** Called on `q` or Ctrl-C. */
  readonly onQuit: () => void;
  /** Read keys (stdin is a terminal). Default true. */
  readonly interactive?: boolean;
  /** Quitting stops the run (`metabench run`) rather than leaving a monitor. */
  readonly ownsRun: boolean;
  /** Clock, ms since the epoch (tests pass a fixed one). */
  readonly clock?: () => number;
}

/** The dashboard with its state and keys. */
export function App({ store, runDir, onQuit, interactive = true, ownsRun, clock }: AppProps) {
  const model = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const { size, clears } = useTerminalSize();
  // The key handler reads the size of the latest render (what the user sees), not of its own closure.
  const sizeRef = useRef(size);
  sizeRef.current = size;
  // The follower ticks the store's clock with each poll (one frame for data and time); the own
  // clock only runs for stores nobody ticks (tests, embedding).
  const ownNow = useNow(!model.run.finished && model.nowMs === undefined, 1000, clock);
  const nowMs = model.nowMs ?? ownNow;
  const [rawUi, setUi] = useState<UiState>(INITIAL_UI);
  const ui = clampUi(rawUi, model.run);
  const crashed = model.run.targetOrder.filter((n) => model.run.targets[n].status.state === 'crashed');
  const stderrTails = useStderrTails(runDir, crashed);

  useInput(
    (input, key) => {
      if (input === 'q' || (key.ctrl && input === 'c')) {
        onQuit();
        return;
      }
      const k = toUiKey(input, key);
      if (!k) return;
      const snapshot = store.getSnapshot();
      setUi((prev) => {
        const ui = clampUi(prev, snapshot.run);
        return reduceUi(ui, k, snapshot.run, viewportOf(snapshot, sizeRef.current, ui));
      });
    },
    { isActive: interactive },
  );

  return <Dashboard model={model} ui={ui} size={size} nowMs={nowMs} interactive={interactive} ownsRun={ownsRun} stderrTails={stderrTails} screenClears={clears} />;
}

interface InkKey {
  leftArrow: boolean;
  rightArrow: boolean;
  upArrow: boolean;
  downArrow: boolean;
  pageUp: boolean;
  pageDown: boolean;
  home: boolean;
  end: boolean;
  return: boolean;
  escape: boolean;
  tab: boolean;
  shift: boolean;
}

function toUiKey(input: string, key: InkKey): UiKey | undefined {
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.tab) return key.shift ? 'shift-tab' : 'tab';
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.pageUp) return 'page-up';
  if (key.pageDown) return 'page-down';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'enter';
  if (key.escape) return 'escape';
  switch (input) {
    case '?':
      return 'help';
    case 'k':
      return 'line-up';
    case 'j':
      return 'line-down';
    default:
      return undefined;
  }
}
