/**
 * Per-scenario throughput series of a target, kept whole but bounded: each scenario keeps at
 * most `MAX_SERIES_POINTS` points, and when it would hold more, neighbouring points are merged
 * pairwise (their mean) and every later point covers twice as many 1 s windows. A 10-minute soak
 * scenario is then still drawn from its first second to its last, at 2 s per point, and memory
 * stays fixed however long the run.
 *
 * ```
 * windows 1 2 3 4 5 6 7 8 9 …   (MAX 4)
 *   [1 2 3 4]        stride 1
 *   [1+2 3+4 5]      5th arrived: pairs merged, stride 2
 *   [1+2 3+4 5+6]    6th merged into the last point (it held one window of two)
 * ```
 */

/** Most points kept per scenario series. */
export const MAX_SERIES_POINTS = 480;
/** Most scenario series kept per target (oldest dropped first; a plan has far fewer). */
export const MAX_SERIES_PER_TARGET = 64;

/** One point: the mean throughput of `windows` consecutive progress windows. */
export interface SeriesPoint {
  /** Time into the scenario at the end of the last window, ms. */
  readonly elapsedMs: number;
  /** Timestamp of the last window's progress event, ms since the epoch. */
  readonly t: number;
  /** Mean over the windows, operations per second. */
  readonly opsPerSec: number;
  /** How many progress windows (normally 1 s each) the point covers. */
  readonly windows: number;
}

/** The throughput of one run of a scenario on one target, oldest point first. */
export interface ScenarioSeries {
  readonly scenario: string;
  /** When the scenario started (first event's `t − elapsedMs`), ms since the epoch. */
  readonly startT: number;
  /** Planned duration, ms, when the scenario is bounded by time. */
  readonly durationMs?: number;
  /** Windows per point: 1, 2, 4, … (doubles each time the series is compacted). */
  readonly stride: number;
  readonly points: readonly SeriesPoint[];
}

/** What one progress event adds. */
export interface SeriesSample {
  readonly scenario: string;
  readonly t: number;
  readonly elapsedMs: number;
  readonly opsPerSec: number;
  readonly durationMs?: number;
}

/**
 * The series list with `s` added: to the newest series of that scenario, or to a new one when
 * there is none or the time into the scenario went backwards (the scenario runs again).
 */
export function addSample(list: readonly ScenarioSeries[], s: SeriesSample, max = MAX_SERIES_POINTS): readonly ScenarioSeries[] {
  let i = -1;
  for (let j = list.length - 1; j >= 0; j--) {
    if (list[j].scenario === s.scenario) {
      i = j;
      break;
    }
  }
  const prev = i >= 0 ? list[i] : undefined;
  const lastElapsed = prev?.points.at(-1)?.elapsedMs;
  if (prev === undefined || (lastElapsed !== undefined && s.elapsedMs < lastElapsed)) {
    const fresh: ScenarioSeries = {
      scenario: s.scenario,
      startT: s.t - s.elapsedMs,
      ...(s.durationMs !== undefined ? { durationMs: s.durationMs } : {}),
      stride: 1,
      points: [{ elapsedMs: s.elapsedMs, t: s.t, opsPerSec: s.opsPerSec, windows: 1 }],
    };
    const next = [...list, fresh];
    return next.length > MAX_SERIES_PER_TARGET ? next.slice(next.length - MAX_SERIES_PER_TARGET) : next;
  }
  const copy = list.slice();
  copy[i] = withPoint(prev, s, max);
  return copy;
}

function withPoint(series: ScenarioSeries, s: SeriesSample, max: number): ScenarioSeries {
  const last = series.points.at(-1);
  let points: SeriesPoint[];
  let stride = series.stride;
  if (last !== undefined && last.windows < stride) {
    points = series.points.slice(0, -1);
    points.push(merge(last, { elapsedMs: s.elapsedMs, t: s.t, opsPerSec: s.opsPerSec, windows: 1 }));
  } else {
    points = [...series.points, { elapsedMs: s.elapsedMs, t: s.t, opsPerSec: s.opsPerSec, windows: 1 }];
  }
  if (points.length > max) {
    const halved: SeriesPoint[] = [];
    for (let k = 0; k < points.length; k += 2) halved.push(k + 1 < points.length ? merge(points[k], points[k + 1]) : points[k]);
    points = halved;
    stride *= 2;
  }
  return { ...series, durationMs: s.durationMs ?? series.durationMs, stride, points };
}

/** Two neighbouring points as one: the later one's time, the window-weighted mean throughput. */
function merge(a: SeriesPoint, b: SeriesPoint): SeriesPoint {
  const windows = a.windows + b.windows;
  return { elapsedMs: b.elapsedMs, t: b.t, opsPerSec: (a.opsPerSec * a.windows + b.opsPerSec * b.windows) / windows, windows };
}
