/**
 * Finished scenarios, one line each, printed once above the live area with Ink's `<Static>`:
 * they never re-render and stay in the terminal's scrollback after exit.
 */
import { Static, Text } from 'ink';
import type { FeedEntry } from '../state/run-store.ts';
import { fmtMs, fmtOps } from '../format/figures.ts';
import { gradeColour, scenarioColour, scenarioIcon } from './status-style.ts';
import type { Grade } from '../events/schema.ts';

/** Props of `FinishedFeed`. */
export interface FinishedFeedProps {
  readonly feed: readonly FeedEntry[];
}

const GRADES: ReadonlySet<string> = new Set(['A+', 'A', 'B', 'C', 'D', 'F']);

/** `✅ memory · large-scale-load · 2,345 ops/s · p99 12 ms · A`; below C with its cause: `· F (throughput SLO missed by 2.0×)`. */
export function FinishedFeed({ feed }: FinishedFeedProps) {
  return (
    <Static items={feed as FeedEntry[]}>
      {(f) => (
        <Text key={f.key} wrap="truncate">
          {scenarioIcon(f.state)} <Text bold>{f.target}</Text> · {f.scenario} · <Text color={scenarioColour(f.state)}>{f.state}</Text>
          {f.opsPerSec !== undefined ? ` · ${fmtOps(f.opsPerSec)} ops/s` : ''}
          {f.p99Ms !== undefined ? ` · p99 ${fmtMs(f.p99Ms)}` : ''}
          {f.grade && GRADES.has(f.grade) ? (
            <Text bold color={gradeColour(f.grade as Grade['grade'])}>
              {' '}
              · {f.grade}
            </Text>
          ) : null}
          {/* Below C the letter alone would contradict a ✅ passed: say what set it. */}
          {f.gradeCause && (f.grade === 'D' || f.grade === 'F') ? <Text color={gradeColour(f.grade)}> ({f.gradeCause})</Text> : null}
        </Text>
      )}
    </Static>
  );
}
