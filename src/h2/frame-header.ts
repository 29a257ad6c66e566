/**
 * The 9-octet frame header (RFC 9113 §4.1): 24-bit length, 8-bit type, 8-bit flags, one
 * reserved bit and a 31-bit stream identifier.
 */

/** A parsed frame header. */
export interface FrameHeader {
  /** Payload length in octets (padding included). */
  readonly length: number;
  readonly type: number;
  readonly flags: number;
  /** Stream identifier with the reserved bit cleared. */
  readonly streamId: number;
}

/** Writes a frame header at `buf[off..off+9)`; returns `off + 9`. */
export function writeFrameHeader(buf: Buffer, off: number, length: number, type: number, flags: number, streamId: number): number {
  buf[off] = (length >>> 16) & 0xff;
  buf[off + 1] = (length >>> 8) & 0xff;
  buf[off + 2] = length & 0xff;
  buf[off + 3] = type;
  buf[off + 4] = flags;
  buf.writeUInt32BE(streamId & 0x7fffffff, off + 5);
  return off + 9;
}

/** Reads the frame header at `buf[off..off+9)` (the caller checked that 9 octets are there). */
export function readFrameHeader(buf: Buffer, off = 0): FrameHeader {
  return {
    length: (buf[off]! << 16) | (buf[off + 1]! << 8) | buf[off + 2]!,
    type: buf[off + 3]!,
    flags: buf[off + 4]!,
    streamId: buf.readUInt32BE(off + 5) & 0x7fffffff,
  };
}
