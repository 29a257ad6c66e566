/**
 * A minimal PNG reader for tests: 8-bit RGB or RGBA, non-interlaced (what rsvg-convert
 * writes), decoded to raw pixels with Node's zlib, so a test can tell a drawn chart from a
 * blank one without an image library.
 */
import { inflateSync } from 'node:zlib';

/** Decoded pixels, row by row, `channels` bytes each. */
export interface PngPixels {
  width: number;
  height: number;
  /** 3 (RGB) or 4 (RGBA). */
  channels: 3 | 4;
  data: Uint8Array;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Decodes a PNG file's bytes; throws naming what it does not support. */
export function decodePng(png: Buffer): PngPixels {
  if (!png.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG: bad signature');
  let width = 0;
  let height = 0;
  let channels: 3 | 4 = 4;
  const idat: Buffer[] = [];
  for (let off = 8; off < png.length; ) {
    const len = png.readUInt32BE(off);
    const type = png.toString('latin1', off + 4, off + 8);
    const body = png.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const [depth, colour, , , interlace] = body.subarray(8, 13);
      if (depth !== 8 || (colour !== 2 && colour !== 6) || interlace !== 0) throw new Error(`PNG: unsupported depth ${depth}, colour type ${colour}, interlace ${interlace}`);
      channels = colour === 6 ? 4 : 3;
    } else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const data = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = y * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? data[row + x - channels] : 0;
      const b = y > 0 ? data[row - stride + x] : 0;
      const c = x >= channels && y > 0 ? data[row - stride + x - channels] : 0;
      data[row + x] = (src[x] + predict(filter, a, b, c)) & 255;
    }
  }
  return { width, height, channels, data };
}

function predict(filter: number, a: number, b: number, c: number): number {
  switch (filter) {
    case 0:
      return 0;
    case 1:
      return a;
    case 2:
      return b;
    case 3:
      return (a + b) >> 1;
    case 4: {
      const p = a + b - c;
      const pa = Math.abs(p - a);
      const pb = Math.abs(p - b);
      const pc = Math.abs(p - c);
      return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
    default:
      throw new Error(`PNG: unknown row filter ${filter}`);
  }
}

/** Pixels (opaque enough to see, alpha ≥ 128 when there is alpha) within `tolerance` per channel of `hex`. */
export function countColour(img: PngPixels, hex: string, tolerance = 24): number {
  const n = Number.parseInt(hex.slice(1), 16);
  const rgb = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  let count = 0;
  for (let i = 0; i < img.data.length; i += img.channels) {
    if (img.channels === 4 && img.data[i + 3] < 128) continue;
    if (Math.abs(img.data[i] - rgb[0]) <= tolerance && Math.abs(img.data[i + 1] - rgb[1]) <= tolerance && Math.abs(img.data[i + 2] - rgb[2]) <= tolerance) count++;
  }
  return count;
}

/** Pixels that are not fully transparent (every pixel of an RGB image). */
export function countVisible(img: PngPixels): number {
  if (img.channels === 3) return img.width * img.height;
  let count = 0;
  for (let i = 3; i < img.data.length; i += 4) if (img.data[i] > 0) count++;
  return count;
}
