/**
 * `metabench report` on a terminal: the report's Markdown, unchanged but for colour on what
 * carries meaning — headings bold; table cells that are a grade letter or a state; `**B**`
 * grades; `✓` / `✗ failed-check`; `client-bound (…)` marks; a grade reason's leading letter.
 * The text stays the same Markdown character for character (strip the escapes and it is
 * report.md), and report.md itself is written elsewhere, never through here.
 *
 *   | memory | completed | B | …          → `completed` green, `B` cyan
 *   | s1 | **F** · 3 errors · checks 0/1 ✗ order | … → `**F**` red, `✗ order` red
 */
import type { Grade } from '../events/schema.ts';
import type { ScenarioRun, TargetStatus } from '../state/types.ts';
import type { Painter } from './colour.ts';

const GRADES: ReadonlySet<string> = new Set<Grade['grade']>(['A+', 'A', 'B', 'C', 'D', 'F']);
const TARGET_STATES: ReadonlySet<string> = new Set<TargetStatus['state']>(['waiting', 'starting', 'running', 'completed', 'interrupted', 'crashed', 'unavailable']);
const SCENARIO_STATES: ReadonlySet<string> = new Set<ScenarioRun['state']>(['queued', 'passed', 'failed', 'aborted']);

const isGrade = (s: string): s is Grade['grade'] => GRADES.has(s);

/** Colours a report's Markdown for the terminal; at level 0 returns it unchanged. */
export function paintMarkdown(md: string, p: Painter): string {
  if (p.level === 0) return md;
  return md
    .split('\n')
    .map((line) => paintLine(line, p))
    .join('\n');
}

function paintLine(line: string, p: Painter): string {
  if (/^#{1,6} /.test(line)) return p.bold(line);
  if (line.startsWith('|') && !/^\|[\s|:-]*$/.test(line)) {
    return line
      .split('|')
      .map((c) => paintCell(c, p))
      .join('|');
  }
  // `- **s1** on **memory**: B: every SLO met, …` (the grade reasons).
  const reason = /^- \*\*[^*]+\*\* on \*\*[^*]+\*\*: /.exec(line);
  return paintInline(reason ? reason[0] + leadingGrade(line.slice(reason[0].length), p) : line, p);
}

/** A grade reason's letter (`B: weakest of 2 scenarios …`), after any leading spaces. */
function leadingGrade(text: string, p: Painter): string {
  return text.replace(/^(\s*)(A\+|A|B|C|D|F)(?=:)/, (_m, space: string, g: Grade['grade']) => space + p.grade(g));
}

/** One table cell with its padding: a bare grade or state is coloured whole, otherwise inline marks. */
function paintCell(raw: string, p: Painter): string {
  const text = raw.trim();
  if (text === '') return raw;
  const at = raw.indexOf(text);
  const wrap = (painted: string) => raw.slice(0, at) + painted + raw.slice(at + text.length);
  if (isGrade(text)) return wrap(p.grade(text));
  if (TARGET_STATES.has(text)) return wrap(p.target(text as TargetStatus['state']));
  if (SCENARIO_STATES.has(text)) return wrap(p.scenario(text as ScenarioRun['state']));
  return paintInline(leadingGrade(raw, p), p);
}

/** Marks inside running text: bold grades, check marks, client-bound notes. */
function paintInline(text: string, p: Painter): string {
  return text
    .replace(/\*\*(A\+|A|B|C|D|F)\*\*/g, (m, g: Grade['grade']) => p.grade(g, m))
    .replace(/✗[^|·]*/g, (m) => p.mark('error', m))
    .replace(/✓/g, (m) => p.mark('ok', m))
    .replace(/client-bound \([^)]*\)/g, (m) => p.mark('warning', m));
}
