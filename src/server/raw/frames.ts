/**
 * The small frames the raw transport's connection writes itself (WINDOW_UPDATE, RST_STREAM,
 * GOAWAY), and cutting a stream's pending response into DATA payloads without copying.
 */
import { FrameType } from '../../h2/constants.ts';
import { writeFrameHeader } from '../../h2/frame-header.ts';
import type { RawStream } from './raw-stream.ts';

/** Takes `n` bytes off the front of `s.pending` (as views, no copy). */
export function takeBytes(s: RawStream, n: number): Buffer[] {
  const parts: Buffer[] = [];
  let left = n;
  while (left > 0) {
    const b = s.pending[0];
    if (b.length <= left) {
      parts.push(b);
      s.pending.shift();
      left -= b.length;
    } else {
      parts.push(b.subarray(0, left));
      s.pending[0] = b.subarray(left);
      left = 0;
    }
  }
  s.pendingBytes -= n;
  return parts;
}

/** A WINDOW_UPDATE frame. */
export function windowUpdateFrame(streamId: number, increment: number): Buffer {
  const f = Buffer.allocUnsafe(13);
  writeFrameHeader(f, 0, 4, FrameType.WINDOW_UPDATE, 0, streamId);
  f.writeUInt32BE(increment, 9);
  return f;
}

/** An RST_STREAM frame. */
export function rstFrame(streamId: number, code: number): Buffer {
  const f = Buffer.allocUnsafe(13);
  writeFrameHeader(f, 0, 4, FrameType.RST_STREAM, 0, streamId);
  f.writeUInt32BE(code, 9);
  return f;
}

/** A GOAWAY frame with `debug` as its debug data. */
export function goawayFrame(lastStreamId: number, code: number, debug: string): Buffer {
  const d = Buffer.from(debug, 'utf8');
  const f = Buffer.allocUnsafe(17 + d.length);
  writeFrameHeader(f, 0, 8 + d.length, FrameType.GOAWAY, 0, 0);
  f.writeUInt32BE(lastStreamId, 9);
  f.writeUInt32BE(code, 13);
  d.copy(f, 17);
  return f;
}
