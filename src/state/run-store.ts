/**
 * A run's one store: the run state (folded by the one reducer), the feed of finished scenarios
 * (the dashboard's `<Static>`), and the latest problem reading the files. The orchestrator
 * fills it from the run's files and hands it to the dashboard, the plain and JSON outputs, the
 * report writer and `--fail-under`; `monitor` fills its own the same way (`follow-run.ts`).
 *
 * Events arrive in batches (one per poll of the files) and listeners are told once per batch, so
 * a burst of lines costs one render, not one per line. Nothing keeps the events themselves:
 * `onEvents` listeners see each batch once, as it is folded. Shaped for React's
 * `useSyncExternalStore`.
 */
import type { RunnerEvent } from '../events/schema.ts';
import { headlineP99Ms } from '../grades/headline.ts';
import { gradeCauseText } from '../grades/rubric.ts';
import { initialRunState, reduceRunState } from './run-state.ts';
import type { RunState, ScenarioRun } from './types.ts';

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
  /** What set the grade (`gradeCause` without the letter): `throughput SLO missed by 2.0×`. */
  readonly gradeCause?: string;
}

/** What the views render from. */
export interface RunModel {
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
  #model: RunModel;
  readonly #listeners = new Set<() => void>();
  readonly #eventListeners = new Set<(events: readonly RunnerEvent[]) => void>();

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
        feed = [...feed, { key: `${e.target}/${e.scenario}`, target: e.target, scenario: e.scenario, state: e.status, opsPerSec: e.opsPerSec, p99Ms: headlineP99Ms(e.latency, e.headline), grade: e.grade?.grade, ...(e.grade ? { gradeCause: gradeCauseText(e.grade.reason) } : {}) }];
      }
    }
    this.#set({ ...this.#model, run, feed, nowMs: nowMs ?? this.#model.nowMs });
    for (const l of this.#eventListeners) l(events);
  }

  /**
   * Calls `listener` with every batch of events folded from now on (after the state holds them);
   * returns the unsubscribe. Events folded before are in the state only.
   */
  onEvents(listener: (events: readonly RunnerEvent[]) => void): () => void {
    this.#eventListeners.add(listener);
    return () => {
      this.#eventListeners.delete(listener);
    };
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
  getSnapshot = (): RunModel => this.#model;

  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  };

  #set(m: RunModel): void {
    this.#model = m;
    for (const l of this.#listeners) l();
  }
}
