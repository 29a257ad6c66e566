/**
 * The dashboard's store: the run state (folded by the shared reducer), the feed of finished
 * scenarios for `<Static>`, and the latest problem reading the files. Events arrive in batches
 * (one per tailer poll) and listeners are told once per batch, so a burst of lines costs one
 * render, not one per line. Shaped for React's `useSyncExternalStore`.
 */
import type { RunnerEvent } from '../events/schema.ts';
import { headlineP99Ms } from '../state/selectors.ts';
import { initialRunState, reduceRunState } from '../state/run-state.ts';
import type { RunState, ScenarioRun } from '../state/run-state.ts';

/** One finished scenario in the order it finished; the feed only grows (what `<Static>` needs). */
export interface FeedEntry {
  /** `<target>/<scenario>`. */
  readonly key: string;
  readonly target: string;
  readonly scenario: string;
  readonly state: ScenarioRun['state'];
  readonly opsPerSec?: number;
  readonly p99Ms?: number;
  readonly grade?: string;
}

/** What the views render from. */
export interface DashboardModel {
  readonly run: RunState;
  readonly feed: readonly FeedEntry[];
  /** The latest problem reading the run (an invalid line, an unreadable file), one line. */
  readonly warning?: string;
  /** Set while a stop is in progress, e.g. `stopping the run…`. */
  readonly note?: string;
  /**
   * Wall clock of the latest poll, ms since the epoch. Polls tick it even without new lines, so
   * a live dashboard draws one frame a second for data and clock together.
   */
  readonly nowMs?: number;
}

/** Holds the model; `dispatch` folds events, `subscribe`/`getSnapshot` serve React. */
export class RunStore {
  #model: DashboardModel;
  readonly #listeners = new Set<() => void>();

  constructor(initial: RunState = initialRunState()) {
    this.#model = { run: initial, feed: [] };
  }

  /** Folds a batch of events and notifies once; `nowMs` (optional) also moves the clock. */
  dispatch(events: readonly RunnerEvent[], nowMs?: number): void {
    if (events.length === 0) {
      if (nowMs !== undefined) this.tick(nowMs);
      return;
    }
    let run = this.#model.run;
    let feed = this.#model.feed;
    const seen = new Set(feed.map((f) => f.key));
    for (const e of events) {
      run = reduceRunState(run, e);
      if (e.kind === 'scenario-end' && !seen.has(`${e.target}/${e.scenario}`)) {
        seen.add(`${e.target}/${e.scenario}`);
        feed = [...feed, { key: `${e.target}/${e.scenario}`, target: e.target, scenario: e.scenario, state: e.status, opsPerSec: e.opsPerSec, p99Ms: headlineP99Ms(e), grade: e.grade?.grade }];
      }
    }
    this.#set({ ...this.#model, run, feed, nowMs: nowMs ?? this.#model.nowMs });
  }

  /** Moves the clock (elapsed time, ETA countdowns) without new events. */
  tick(nowMs: number): void {
    this.#set({ ...this.#model, nowMs });
  }

  /** Records a problem to show in the footer. */
  warn(message: string): void {
    this.#set({ ...this.#model, warning: message });
  }

  /** Sets or clears the header/footer note. */
  setNote(note: string | undefined): void {
    this.#set({ ...this.#model, note });
  }

  /** Current model (a stable object between changes). */
  getSnapshot = (): DashboardModel => this.#model;

  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  };

  #set(m: DashboardModel): void {
    this.#model = m;
    for (const l of this.#listeners) l();
  }
}
