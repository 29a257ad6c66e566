/**
 * A tiny braille canvas: each terminal cell holds a 2×4 grid of dots (Unicode block U+2800), so
 * a W×H cell area draws a (2W)×(4H) pixel picture. Enough for line charts; no colours per dot.
 *
 * Worked example: dot (x=1, y=3) of a 1×1 canvas is the right-hand dot of the bottom row, bit
 * 0x80, so the cell reads U+2880 `⢀`.
 *
 * Dot bits per cell (x across, y down), as the Unicode braille patterns number them:
 * ```
 *   x=0   x=1
 *   0x01  0x08   y=0
 *   0x02  0x10   y=1
 *   0x04  0x20   y=2
 *   0x40  0x80   y=3
 * ```
 */
const BRAILLE_BASE = 0x2800;
const DOT_BITS: readonly (readonly number[])[] = [
  [0x01, 0x02, 0x04, 0x40],
  [0x08, 0x10, 0x20, 0x80],
];

/** The braille character of a cell's dot bits (0 is the blank pattern U+2800). */
export function brailleGlyph(bits: number): string {
  return String.fromCharCode(BRAILLE_BASE + (bits & 0xff));
}

/** A drawing surface of `widthCells × heightCells` terminal cells. */
export class BrailleCanvas {
  /** Pixel size: 2 dots per cell across, 4 down. */
  readonly widthPx: number;
  readonly heightPx: number;
  readonly #cells: Uint8Array;

  constructor(
    readonly widthCells: number,
    readonly heightCells: number,
  ) {
    if (!Number.isInteger(widthCells) || widthCells < 1 || !Number.isInteger(heightCells) || heightCells < 1) {
      throw new RangeError(`braille canvas: size ${widthCells}×${heightCells} cells, expected positive integers`);
    }
    this.widthPx = widthCells * 2;
    this.heightPx = heightCells * 4;
    this.#cells = new Uint8Array(widthCells * heightCells);
  }

  /** Sets the dot at pixel (x, y), origin top-left; points outside the canvas are ignored. */
  set(x: number, y: number): void {
    const px = Math.round(x);
    const py = Math.round(y);
    if (px < 0 || py < 0 || px >= this.widthPx || py >= this.heightPx) return;
    const i = (py >> 2) * this.widthCells + (px >> 1);
    this.#cells[i] |= DOT_BITS[px & 1][py & 3];
  }

  /** Draws a straight line between two pixels (Bresenham), both ends included. */
  line(x0: number, y0: number, x1: number, y1: number): void {
    let x = Math.round(x0);
    let y = Math.round(y0);
    const xe = Math.round(x1);
    const ye = Math.round(y1);
    const dx = Math.abs(xe - x);
    const dy = -Math.abs(ye - y);
    const sx = x < xe ? 1 : -1;
    const sy = y < ye ? 1 : -1;
    let err = dx + dy;
    for (;;) {
      this.set(x, y);
      if (x === xe && y === ye) return;
      const e2 = 2 * err;
      if (e2 >= dy) {
        err += dy;
        x += sx;
      }
      if (e2 <= dx) {
        err += dx;
        y += sy;
      }
    }
  }

  /** The dot bits of cell (`col`, `row`), 0 when blank or outside (charts layer canvases with it). */
  bits(col: number, row: number): number {
    if (col < 0 || row < 0 || col >= this.widthCells || row >= this.heightCells) return 0;
    return this.#cells[row * this.widthCells + col];
  }

  /** The picture as `heightCells` strings of `widthCells` braille characters each. */
  rows(): string[] {
    const out: string[] = [];
    for (let r = 0; r < this.heightCells; r++) {
      let s = '';
      for (let c = 0; c < this.widthCells; c++) s += brailleGlyph(this.#cells[r * this.widthCells + c]);
      out.push(s);
    }
    return out;
  }
}
