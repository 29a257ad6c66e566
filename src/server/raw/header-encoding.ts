/**
 * Response header blocks of the raw transport as HEADERS (+ CONTINUATION) frames. The blocks
 * come from the shared stateless HPACK encoder (`../../h2/hpack.ts`), so a block depends only
 * on the header object: the ones every call sends (`CONSTANT_HEADERS` in `../grpc-framing.ts`) are
 * encoded once and reused, and only a frame header is written per call.
 */
import type http2 from 'node:http2';
import { Flag, FRAME_HEADER_BYTES, FrameType } from '../../h2/constants.ts';
import { encodeHeaderFrames } from '../../h2/frame-encode.ts';
import { writeFrameHeader } from '../../h2/frame-header.ts';
import { encodeHeaderBlock } from '../../h2/hpack.ts';
import { CONSTANT_HEADERS } from '../grpc-framing.ts';

const cache = new WeakMap<http2.OutgoingHttpHeaders, Buffer>();

/** node:http2's header object as HPACK fields: pseudo-headers first, arrays as repeated fields. */
function fields(headers: http2.OutgoingHttpHeaders): [string, string][] {
  const pseudo: [string, string][] = [];
  const regular: [string, string][] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const n = name.toLowerCase();
    const into = n.startsWith(':') ? pseudo : regular;
    if (Array.isArray(value)) for (const v of value) into.push([n, String(v)]);
    else into.push([n, String(value)]);
  }
  return [...pseudo, ...regular];
}

/** The HPACK block for `headers`, from the cache when the same object was encoded before. */
export function headerBlock(headers: http2.OutgoingHttpHeaders, cacheable: boolean): Buffer {
  const hit = cache.get(headers);
  if (hit !== undefined) return hit;
  const block = encodeHeaderBlock(fields(headers));
  if (cacheable) cache.set(headers, block);
  return block;
}

/** The frames for `headers` on stream `id`: one HEADERS when it fits, else HEADERS + CONTINUATION. */
export function encodeHeaders(id: number, headers: http2.OutgoingHttpHeaders, endStream: boolean, maxFrameSize: number): Buffer[] {
  const block = headerBlock(headers, CONSTANT_HEADERS.has(headers));
  if (block.length > maxFrameSize) return [encodeHeaderFrames(id, block, { endStream, maxFrameSize })];
  const head = Buffer.allocUnsafe(FRAME_HEADER_BYTES);
  writeFrameHeader(head, 0, block.length, FrameType.HEADERS, Flag.END_HEADERS | (endStream ? Flag.END_STREAM : 0), id);
  return [head, block];
}
