/**
 * One event as one human-readable line: what `metabench tail` and the plain non-TTY output
 * print. Figures use the same formatting as grades and reports (`src/format/figures.ts`); the
 * painter colours what carries meaning — states, grades, errors — and by default paints nothing.
 */
import type { RunnerEvent } from '../events/schema.ts';
import { fmtBytes, fmtCount, fmtCpuPercent, fmtDuration, fmtMs, fmtNs, fmtOps, fmtPct } from '../format/figures.ts';
import { headlineP99Ms } from '../grades/headline.ts';
import { gradeCauseText } from '../grades/rubric.ts';
import { NO_PAINT, type Painter } from './colour.ts';

/** `19:27:25` in UTC (results are compared across machines; local time would differ). */
export function clock(t: number): string {
  return new Date(t).toISOString().slice(11, 19);
}

/** The event's text, without time or target. */
export function describeEvent(e: RunnerEvent, p: Painter = NO_PAINT): string {
  switch (e.kind) {
    case 'run-start': {
      const where = e.server ? ` at ${e.server.address}${e.server.pid !== undefined ? ` (pid ${e.server.pid})` : ''}${e.server.version ? `, version ${e.server.version}` : ''}` : '';
      return `run ${e.runId} started: ${e.targetKind}${where}; profile ${e.profile}, seed ${e.seed}, scenarios ${e.scenarios.join(', ') || '(none)'}`;
    }
    case 'target-unavailable':
      return `${p.target('unavailable', 'target unavailable')}: ${e.reason}${e.hint ? ` (${p.mark('hint', `hint: ${e.hint}`)})` : ''}`;
    case 'scenario-start': {
      const size = e.totalOps !== undefined ? `${fmtCount(e.totalOps)} ops` : e.durationMs !== undefined ? fmtDuration(e.durationMs) : '';
      return `${e.scenario}: started${size ? ` (${size})` : ''}`;
    }
    case 'progress': {
      const pct = e.totalOps ? ` ${fmtPct(e.done / e.totalOps)}` : e.durationMs ? ` ${fmtPct(e.elapsedMs / e.durationMs)}` : '';
      const server = e.server ? `, server cpu ${fmtCpuPercent(e.server.cpuPercent)} rss ${fmtBytes(e.server.rssBytes)}` : '';
      const errors = `${fmtCount(e.errors)} errors`;
      return `${e.scenario}:${pct} ${fmtCount(e.done)} ops, ${fmtOps(e.windowOpsPerSec)} ops/s, p50 ${fmtMs(e.windowP50Ms)}, p99 ${fmtMs(e.windowP99Ms)}, ${e.errors > 0 ? p.mark('error', errors) : errors}${server}`;
    }
    case 'scenario-end': {
      const p99 = headlineP99Ms(e.latency, e.headline);
      const failedChecks = e.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);
      const errors = `${fmtCount(e.errors.total)}/${fmtCount(e.ops)} errors`;
      const g = e.grade?.grade;
      const parts = [
        `${e.scenario}: ${p.scenario(e.status)} in ${fmtDuration(e.durationMs)}`,
        `${fmtOps(e.opsPerSec)} ops/s`,
        ...(p99 !== undefined ? [`p99 ${fmtMs(p99)}`] : []),
        e.errors.total > 0 ? p.mark('error', errors) : errors,
        ...(e.grade && g ? [g === 'D' || g === 'F' ? `grade ${p.grade(g)} ${p.grade(g, `(${gradeCauseText(e.grade.reason)})`)}` : `grade ${p.grade(g)}`] : []),
      ];
      const tail = [...(e.error ? [e.error] : []), ...failedChecks.map((c) => `check failed: ${c}`)];
      return parts.join(', ') + (tail.length ? ` — ${p.mark('error', tail.join('; '))}` : '');
    }
    case 'micro':
      return `micro ${e.engine} ${e.case}: ${fmtOps(e.opsPerSec)} ops/s, mean ${fmtNs(e.meanNs)}, p99 ${fmtNs(e.p99Ns)}`;
    case 'log':
      return e.level === 'info' ? `${e.level}: ${e.message}` : p.mark(e.level === 'error' ? 'error' : 'warning', `${e.level}: ${e.message}`);
    case 'run-end':
      return `run ${p.target(e.status)} after ${fmtDuration(e.durationMs)}${e.error ? `: ${p.mark('error', e.error)}` : ''}`;
  }
}

/** `19:27:25 memory   large-scale-load: started (50,000 ops)`; `width` pads the target name. */
export function formatEventLine(e: RunnerEvent, width = 8, p: Painter = NO_PAINT): string {
  return `${p.dim(clock(e.t))} ${p.bold(e.target.padEnd(width))} ${describeEvent(e, p)}`;
}
