/**
 * One event as one human-readable line (no colours, no escape codes): what `metabench tail` and
 * the plain non-TTY output print. Figures use the same formatting as grades and reports.
 */
import type { RunnerEvent } from '../events/schema.ts';
import { fmtBytes, fmtCount, fmtDuration, fmtMs, fmtNs, fmtOps } from '../format/figures.ts';
import { headlineP99Ms } from '../grades/headline.ts';
import { gradeCauseText } from '../grades/rubric.ts';

/** `19:27:25` in UTC (results are compared across machines; local time would differ). */
export function clock(t: number): string {
  return new Date(t).toISOString().slice(11, 19);
}

/** The event's text, without time or target. */
export function describeEvent(e: RunnerEvent): string {
  switch (e.kind) {
    case 'run-start': {
      const where = e.server ? ` at ${e.server.address}${e.server.pid !== undefined ? ` (pid ${e.server.pid})` : ''}${e.server.version ? `, version ${e.server.version}` : ''}` : '';
      return `run ${e.runId}${repeatText(e)} started: ${e.targetKind}${where}; profile ${e.profile}, seed ${e.seed}, scenarios ${e.scenarios.join(', ') || '(none)'}`;
    }
    case 'target-unavailable':
      return `target unavailable: ${e.reason}${e.hint ? ` (hint: ${e.hint})` : ''}`;
    case 'scenario-start': {
      const size = e.totalOps !== undefined ? `${fmtCount(e.totalOps)} ops` : e.durationMs !== undefined ? fmtDuration(e.durationMs) : '';
      return `${e.scenario}: started${size ? ` (${size})` : ''}`;
    }
    case 'progress': {
      const pct = e.totalOps ? ` ${Math.min(100, Math.floor((e.done / e.totalOps) * 100))}%` : e.durationMs ? ` ${Math.min(100, Math.floor((e.elapsedMs / e.durationMs) * 100))}%` : '';
      const server = e.server ? `, server cpu ${Math.round(e.server.cpuPercent)}% rss ${fmtBytes(e.server.rssBytes)}` : '';
      return `${e.scenario}:${pct} ${fmtCount(e.done)} ops, ${fmtOps(e.windowOpsPerSec)} ops/s, p50 ${fmtMs(e.windowP50Ms)}, p99 ${fmtMs(e.windowP99Ms)}, ${fmtCount(e.errors)} errors${server}`;
    }
    case 'scenario-end': {
      const p99 = headlineP99Ms(e.latency, e.headline);
      const failedChecks = e.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);
      const parts = [
        `${e.scenario}: ${e.status} in ${fmtDuration(e.durationMs)}`,
        `${fmtOps(e.opsPerSec)} ops/s`,
        ...(p99 !== undefined ? [`p99 ${fmtMs(p99)}`] : []),
        `${fmtCount(e.errors.total)}/${fmtCount(e.ops)} errors`,
        ...(e.grade ? [e.grade.grade === 'D' || e.grade.grade === 'F' ? `grade ${e.grade.grade} (${gradeCauseText(e.grade.reason)})` : `grade ${e.grade.grade}`] : []),
      ];
      const tail = [...(e.error ? [e.error] : []), ...failedChecks.map((c) => `check failed: ${c}`)];
      return parts.join(', ') + (tail.length ? ` — ${tail.join('; ')}` : '');
    }
    case 'micro':
      return `micro ${e.engine} ${e.case}: ${fmtOps(e.opsPerSec)} ops/s, mean ${fmtNs(e.meanNs)}, p99 ${fmtNs(e.p99Ns)}`;
    case 'log':
      return `${e.level}: ${e.message}`;
    case 'run-end':
      return `run${repeatText(e)} ${e.status} after ${fmtDuration(e.durationMs)}${e.error ? `: ${e.error}` : ''}`;
  }
}

/** ` repeat 2` for an event of a run with repeats (`--repeat N`); empty otherwise. */
function repeatText(e: RunnerEvent): string {
  return e.repeat !== undefined ? ` repeat ${e.repeat}` : '';
}

/** `19:27:25 memory   large-scale-load: started (50,000 ops)`; `width` pads the target name. */
export function formatEventLine(e: RunnerEvent, width = 8): string {
  return `${clock(e.t)} ${e.target.padEnd(width)} ${describeEvent(e)}`;
}
