/**
 * What a {@link FrameParser} calls for each frame it read, checked and unpadded. A client and a
 * server implement it differently (e.g. a client refuses PUSH_PROMISE, a server treats an even
 * stream id as an error); the parser only enforces what holds for both sides.
 */
import type { H2Error } from './errors.ts';

/** Receiver of parsed frames. Buffers are views into socket chunks (see `FrameParser`). */
export interface FrameHandler {
  /**
   * A DATA frame on `streamId` (never 0). `data` has padding removed; `flowBytes` is the whole
   * payload length, which is what flow control counts (RFC 9113 §6.9.1).
   */
  onData(streamId: number, data: Buffer, endStream: boolean, flowBytes: number): void;
  /** A complete header block (HEADERS + its CONTINUATIONs), still HPACK-encoded. */
  onHeaders(streamId: number, block: Buffer, endStream: boolean): void;
  /** A complete PUSH_PROMISE header block; a client that disabled push treats it as PROTOCOL_ERROR. */
  onPushPromise(streamId: number, promisedStreamId: number, block: Buffer): void;
  /** RST_STREAM with its error code (see `ErrorCode`). */
  onRstStream(streamId: number, code: number): void;
  /** SETTINGS: `ack` true with an empty payload, else a payload of 6-octet entries (see `applySettings`). */
  onSettings(ack: boolean, payload: Buffer): void;
  /** PING with its 8 opaque octets; a non-ack PING must be answered with the same octets. */
  onPing(ack: boolean, data: Buffer): void;
  /** GOAWAY: the last stream id the peer may process, its error code and debug data. */
  onGoaway(lastStreamId: number, code: number, debug: Buffer): void;
  /** WINDOW_UPDATE of `increment` (≥ 1) octets for a stream, or for the connection when `streamId` is 0. */
  onWindowUpdate(streamId: number, increment: number): void;
  /** A stream error found by the parser: reset `err.streamId` with `err.code` and go on. */
  onStreamError(err: H2Error): void;
  /** PRIORITY frames and HEADERS priority fields: optional, deprecated by RFC 9113. */
  onPriority?(streamId: number, dependsOn: number, exclusive: boolean, weight: number): void;
  /** Frames of unknown type: optional; ignoring them is what the RFC requires. */
  onUnknownFrame?(type: number, flags: number, streamId: number, payload: Buffer): void;
}
