/**
 * Colour for the text outputs read on a terminal (compare, and later plain/tail/report), through
 * chalk: it colours only when stdout is a terminal and honours NO_COLOR, FORCE_COLOR and pipes
 * (its own detection), so `metabench compare a b > out.txt` stays plain text.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { VerdictPainter } from '../report/compare.ts';

/** chalk at its detected level (0 on a pipe or with NO_COLOR). */
export const colour: ChalkInstance = new Chalk();

/** Regressions red, improvements green, within noise and noise unknown dim, not comparable yellow. */
export function verdictPainter(c: ChalkInstance = colour): VerdictPainter {
  return (verdict, text) => {
    switch (verdict) {
      case 'regression':
        return c.red(text);
      case 'improvement':
        return c.green(text);
      case 'within noise':
      case 'noise unknown':
        return c.dim(text);
      case 'not comparable':
        return c.yellow(text);
    }
  };
}
