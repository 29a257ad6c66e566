/**
 * Text layout for dashboard cells: cutting to a width and progress bars. Figures themselves are
 * formatted by `src/format/figures.ts`, as everywhere else.
 */

/** `s` cut to `width` display columns with `…`, or padded with spaces to it. ASCII-safe only. */
export function fit(s: string, width: number): string {
  if (width <= 0) return '';
  if (s.length > width) return width === 1 ? '…' : `${s.slice(0, width - 1)}…`;
  return s.padEnd(width);
}

/**
 * Display width of the dashboard's own labels: the emoji icons (✅ 🔄 ⏳ ❌ ⛔, from U+2300 up)
 * take two columns, everything else one. Not a general East Asian width table.
 */
export function displayCols(s: string): number {
  let n = 0;
  for (const ch of s) n += (ch.codePointAt(0) ?? 0) >= 0x2300 ? 2 : 1;
  return n;
}

/** `s` padded with spaces to `width` display columns (`displayCols`). */
export function padCols(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - displayCols(s)));
}

/** A horizontal bar of `width` cells filled to `fraction` (eighth-block resolution). */
export function bar(fraction: number, width: number): string {
  if (width <= 0) return '';
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const eighths = Math.round(f * width * 8);
  const full = Math.floor(eighths / 8);
  const rest = eighths % 8;
  const partial = rest > 0 ? PARTIAL[rest] : '';
  return '█'.repeat(full) + partial + '░'.repeat(Math.max(0, width - full - (partial ? 1 : 0)));
}

const PARTIAL = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** `text` broken at spaces into lines of at most `width` columns (a longer word is cut hard). */
export function wrapWords(text: string, width: number): string[] {
  const w = Math.max(1, width);
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((x) => x !== '')) {
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= w) line = `${line} ${word}`;
    else {
      lines.push(line);
      line = word;
    }
    while (line.length > w) {
      lines.push(line.slice(0, w));
      line = line.slice(w);
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}
