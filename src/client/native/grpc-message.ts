/**
 * gRPC's length-prefixed message framing (gRPC over HTTP/2: 1 byte compressed flag, 4 bytes
 * big-endian length, then the message): `grpcFrame` for both channels, the reader for the node:http2 one.
 */

/** Largest message accepted from a server, in bytes: 64 MiB (above etcd's 2 MiB + margin). */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** `message` with its 5-byte prefix (uncompressed). */
export function grpcFrame(message: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(5 + message.length);
  out[0] = 0;
  out.writeUInt32BE(message.length, 1);
  out.set(message, 5);
  return out;
}

/** Splits a byte stream (DATA frames in any cut) into whole messages. */
export class GrpcMessageReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  /** Adds `chunk`; calls `onMessage` for each message it completes; throws on a bad prefix. */
  push(chunk: Buffer, onMessage: (message: Buffer) => void): void {
    let buf: Buffer;
    if (this.pendingBytes === 0) buf = chunk;
    else {
      this.pending.push(chunk);
      buf = Buffer.concat(this.pending, this.pendingBytes + chunk.length);
      this.pending = [];
      this.pendingBytes = 0;
    }
    let pos = 0;
    while (buf.length - pos >= 5) {
      if (buf[pos] !== 0) throw new Error(`compressed gRPC message (flag ${buf[pos]}) but no compression was negotiated`);
      const len = buf.readUInt32BE(pos + 1);
      if (len > MAX_MESSAGE_BYTES) throw new Error(`gRPC message of ${len} bytes exceeds the limit of ${MAX_MESSAGE_BYTES}`);
      if (buf.length - pos - 5 < len) break;
      onMessage(buf.subarray(pos + 5, pos + 5 + len));
      pos += 5 + len;
    }
    if (pos < buf.length) {
      this.pending.push(buf.subarray(pos));
      this.pendingBytes = buf.length - pos;
    }
  }
}
