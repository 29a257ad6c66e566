/**
 * Building whole frames (header + payload) as Buffers: every frame type, optional padding, and
 * header blocks split into HEADERS + CONTINUATION at the peer's SETTINGS_MAX_FRAME_SIZE.
 * Hot paths may instead write headers straight into their own buffers with `writeFrameHeader`.
 */
import { DEFAULT_MAX_FRAME_SIZE, ErrorCode, Flag, FRAME_HEADER_BYTES, FrameType } from './constants.ts';
import { writeFrameHeader } from './frame-header.ts';

/** A frame of any type (unknown types included) with `payload` as is. */
export function encodeFrame(type: number, flags: number, streamId: number, payload: Uint8Array = EMPTY): Buffer {
  const buf = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.length);
  writeFrameHeader(buf, 0, payload.length, type, flags, streamId);
  buf.set(payload, FRAME_HEADER_BYTES);
  return buf;
}

const EMPTY = new Uint8Array(0);

/** `payload` with a pad length octet in front and `padLength` zero octets behind (PADDED). */
function padded(payload: Uint8Array, padLength: number): Buffer {
  const out = Buffer.alloc(1 + payload.length + padLength);
  out[0] = padLength;
  out.set(payload, 1);
  return out;
}

/** One DATA frame; `padLength` (0..255) adds PADDED and that many octets of padding. */
export function encodeDataFrame(streamId: number, data: Uint8Array, endStream: boolean, padLength?: number): Buffer {
  const flags = (endStream ? Flag.END_STREAM : 0) | (padLength !== undefined ? Flag.PADDED : 0);
  return encodeFrame(FrameType.DATA, flags, streamId, padLength !== undefined ? padded(data, padLength) : data);
}

/** Options of {@link encodeHeaderFrames}. */
export interface HeaderFrameOptions {
  /** Set END_STREAM on the HEADERS frame (trailers, or a request without body). */
  readonly endStream?: boolean;
  /** Largest payload per frame (the peer's SETTINGS_MAX_FRAME_SIZE), default 16384 octets. */
  readonly maxFrameSize?: number;
  /** Padding octets on the HEADERS frame (adds PADDED), default none. */
  readonly padLength?: number;
  /** Priority fields on the HEADERS frame (adds PRIORITY): 5 octets, default none. */
  readonly priority?: { readonly dependsOn: number; readonly exclusive: boolean; readonly weight: number };
}

/**
 * An HPACK-encoded header block as one HEADERS frame followed by as many CONTINUATION frames
 * as `maxFrameSize` requires, concatenated; END_HEADERS is on the last of them.
 */
export function encodeHeaderFrames(streamId: number, block: Uint8Array, opts: HeaderFrameOptions = {}): Buffer {
  const max = opts.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE;
  const prefixLen = (opts.padLength !== undefined ? 1 : 0) + (opts.priority ? 5 : 0);
  const padLen = opts.padLength ?? 0;
  const firstBlockLen = Math.min(block.length, Math.max(0, max - prefixLen - padLen));
  const frames: Buffer[] = [];
  let flags = (opts.endStream ? Flag.END_STREAM : 0) | (opts.padLength !== undefined ? Flag.PADDED : 0) | (opts.priority ? Flag.PRIORITY : 0);
  if (firstBlockLen === block.length) flags |= Flag.END_HEADERS;
  const first = Buffer.alloc(prefixLen + firstBlockLen + padLen);
  let off = 0;
  if (opts.padLength !== undefined) first[off++] = padLen;
  if (opts.priority) {
    first.writeUInt32BE(((opts.priority.exclusive ? 0x80000000 : 0) | (opts.priority.dependsOn & 0x7fffffff)) >>> 0, off);
    first[off + 4] = opts.priority.weight;
    off += 5;
  }
  first.set(block.subarray(0, firstBlockLen), off);
  frames.push(encodeFrame(FrameType.HEADERS, flags, streamId, first));
  for (let at = firstBlockLen; at < block.length; at += max) {
    const end = Math.min(block.length, at + max);
    frames.push(encodeFrame(FrameType.CONTINUATION, end === block.length ? Flag.END_HEADERS : 0, streamId, block.subarray(at, end)));
  }
  return frames.length === 1 ? frames[0]! : Buffer.concat(frames);
}

/** RST_STREAM with `code` (see `ErrorCode`). */
export function encodeRstStream(streamId: number, code: number): Buffer {
  const p = Buffer.allocUnsafe(4);
  p.writeUInt32BE(code >>> 0, 0);
  return encodeFrame(FrameType.RST_STREAM, 0, streamId, p);
}

/** PRIORITY (deprecated by RFC 9113 but still to be parsed): 5 octets. */
export function encodePriority(streamId: number, dependsOn: number, exclusive: boolean, weight: number): Buffer {
  const p = Buffer.allocUnsafe(5);
  p.writeUInt32BE(((exclusive ? 0x80000000 : 0) | (dependsOn & 0x7fffffff)) >>> 0, 0);
  p[4] = weight;
  return encodeFrame(FrameType.PRIORITY, 0, streamId, p);
}

/** PING with 8 octets of opaque data (zeros by default); `ack` answers a peer's PING. */
export function encodePing(data: Uint8Array = new Uint8Array(8), ack = false): Buffer {
  return encodeFrame(FrameType.PING, ack ? Flag.ACK : 0, 0, data);
}

/** GOAWAY: the last stream the sender processed or may process, an error code, debug text. */
export function encodeGoaway(lastStreamId: number, code: number = ErrorCode.NO_ERROR, debug = ''): Buffer {
  const d = Buffer.from(debug, 'utf8');
  const p = Buffer.allocUnsafe(8 + d.length);
  p.writeUInt32BE(lastStreamId & 0x7fffffff, 0);
  p.writeUInt32BE(code >>> 0, 4);
  d.copy(p, 8);
  return encodeFrame(FrameType.GOAWAY, 0, 0, p);
}

/** WINDOW_UPDATE of `increment` (1..2^31-1) octets on a stream, or the connection (id 0). */
export function encodeWindowUpdate(streamId: number, increment: number): Buffer {
  const p = Buffer.allocUnsafe(4);
  p.writeUInt32BE(increment & 0x7fffffff, 0);
  return encodeFrame(FrameType.WINDOW_UPDATE, 0, streamId, p);
}

/** PUSH_PROMISE (only a server sends it) as one frame with END_HEADERS. */
export function encodePushPromise(streamId: number, promisedStreamId: number, block: Uint8Array): Buffer {
  const p = Buffer.allocUnsafe(4 + block.length);
  p.writeUInt32BE(promisedStreamId & 0x7fffffff, 0);
  p.set(block, 4);
  return encodeFrame(FrameType.PUSH_PROMISE, Flag.END_HEADERS, streamId, p);
}
