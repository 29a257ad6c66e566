/**
 * gRPC's length-prefixed message framing (gRPC over HTTP/2: 1 byte compressed flag, 4 bytes
 * big-endian length, then the message), written: `grpcFrame`, for both channels. Both read
 * messages back with one reader, `transport/message-reader.ts`.
 */

/** `message` with its 5-byte prefix (uncompressed). */
export function grpcFrame(message: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(5 + message.length);
  out[0] = 0;
  out.writeUInt32BE(message.length, 1);
  out.set(message, 5);
  return out;
}
