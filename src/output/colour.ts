/**
 * Colour for the text outputs read on a terminal — plain `run`, `tail`, `report` and `compare` —
 * in the palette the dashboard uses (`src/format/palette.ts`), drawn with chalk. Whether to
 * colour is decided here, not by chalk's own sniffing (which ignores NO_COLOR and reads
 * `process.argv` by itself), in this order:
 *
 * 1. `--no-color` never colours; `--color` always does (at the terminal's depth, or FORCE_COLOR's);
 * 2. FORCE_COLOR: `0`/`false` off; ``/`1`/`true` 16 colours; `2` 256; `3` truecolor (other values are ignored);
 * 3. NO_COLOR set to any non-empty value: off;
 * 4. otherwise only when the stream is a terminal (a pipe or a file gets plain text) and TERM is not `dumb`.
 *
 * `--json` output and the report files never go through here.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { Grade } from '../events/schema.ts';
import type { ScenarioRun, TargetStatus } from '../state/types.ts';
import type { VerdictPainter } from '../report/compare.ts';
import { gradeColour, MARK_COLOUR, scenarioColour, targetColour, verdictColour, type Colour, type VerdictName } from '../format/palette.ts';

/** chalk's levels: 0 none, 1 16 colours, 2 256, 3 truecolor. */
export type ColourLevel = 0 | 1 | 2 | 3;

/** What the colour decision depends on. */
export interface ColourContext {
  /** The environment (FORCE_COLOR, NO_COLOR, TERM). */
  env: NodeJS.ProcessEnv;
  /** Whether the stream written to is a terminal. */
  isTTY: boolean;
  /** `--color` (true), `--no-color` (false), neither (undefined). */
  flag?: boolean;
  /** The terminal's depth as chalk's level (from `getColorDepth`); default 1. */
  ttyLevel?: ColourLevel;
}

/** FORCE_COLOR as a level; undefined when unset or not one of the documented values. */
function forcedLevel(value: string | undefined): ColourLevel | undefined {
  switch (value) {
    case '0':
    case 'false':
      return 0;
    case '':
    case '1':
    case 'true':
      return 1;
    case '2':
      return 2;
    case '3':
      return 3;
    default:
      return undefined;
  }
}

/** The colour level to write with (see the order at the top of this file). */
export function colourLevel(ctx: ColourContext): ColourLevel {
  const forced = forcedLevel(ctx.env.FORCE_COLOR);
  const tty = ctx.ttyLevel ?? 1;
  if (ctx.flag === false) return 0;
  if (ctx.flag === true) return forced !== undefined && forced > 0 ? forced : Math.max(1, tty) as ColourLevel;
  if (forced !== undefined) return forced;
  if ((ctx.env.NO_COLOR ?? '') !== '') return 0;
  if (!ctx.isTTY || ctx.env.TERM === 'dumb') return 0;
  return tty;
}

let flagChoice: boolean | undefined;

/** Records `--color` / `--no-color` for this process (the CLI calls it before a command runs). */
export function setColourFlag(choice: boolean | undefined): void {
  flagChoice = choice;
}

/** A stream as far as colour is concerned: a terminal's `tty.WriteStream` has both members. */
export interface ColourStream {
  isTTY?: boolean;
  getColorDepth?: (env?: object) => number;
}

/** The level for writing to `stream` (any stream; a terminal is a `ColourStream`) in this process. */
export function streamColourLevel(stream: object, env: NodeJS.ProcessEnv = process.env): ColourLevel {
  const { isTTY: tty, getColorDepth } = stream as ColourStream;
  const isTTY = tty === true;
  // The terminal's own depth, without the variables decided above (Node's getColorDepth treats
  // an empty NO_COLOR as set, and FORCE_COLOR is read here already).
  const bits = isTTY && getColorDepth ? getColorDepth.call(stream, { ...env, FORCE_COLOR: undefined, NO_COLOR: undefined, NODE_DISABLE_COLORS: undefined }) : 4;
  const ttyLevel: ColourLevel = bits >= 24 ? 3 : bits >= 8 ? 2 : 1;
  return colourLevel({ env, isTTY, flag: flagChoice, ttyLevel });
}

/** Paints text by what it means; at level 0 every method returns its text unchanged. */
export interface Painter {
  readonly level: ColourLevel;
  /** A grade letter, bold in its colour; `text` defaults to the letter. */
  grade(letter: Grade['grade'], text?: string): string;
  /** Text in the colour of a target's status; `text` defaults to the state's name. */
  target(state: TargetStatus['state'], text?: string): string;
  /** Text in the colour of a scenario's state; `text` defaults to the state's name. */
  scenario(state: ScenarioRun['state'], text?: string): string;
  /** Text in the colour of a comparison verdict. */
  verdict(verdict: VerdictName, text: string): string;
  /** An error, warning, hint or ok mark. */
  mark(kind: keyof typeof MARK_COLOUR, text: string): string;
  /** Secondary text (timestamps). */
  dim(text: string): string;
  /** Headings and names. */
  bold(text: string): string;
}

/** A painter at an explicit level (tests, and `painterFor`). */
export function painterAt(level: ColourLevel): Painter {
  const c: ChalkInstance = new Chalk({ level });
  const tint = (colour: Colour, text: string) => c[colour](text);
  return {
    level,
    grade: (letter, text = letter) => c.bold(tint(gradeColour(letter), text)),
    target: (state, text = state) => tint(targetColour(state), text),
    scenario: (state, text = state) => tint(scenarioColour(state), text),
    verdict: (verdict, text) => tint(verdictColour(verdict), text),
    mark: (kind, text) => tint(MARK_COLOUR[kind], text),
    dim: (text) => c.dim(text),
    bold: (text) => c.bold(text),
  };
}

/** Paints nothing: for files, `--json`, and tests that compare plain strings. */
export const NO_PAINT: Painter = painterAt(0);

/** The painter for writing to `stream` (default stdout) in this process. */
export function painterFor(stream: object = process.stdout): Painter {
  return painterAt(streamColourLevel(stream));
}

/** compare's verdict column: regressions red, improvements green, noise gray, not comparable yellow. */
export function verdictPainter(p: Painter = painterFor()): VerdictPainter {
  return (verdict, text) => p.verdict(verdict, text);
}
