/**
 * Per-type checks of one complete frame (RFC 9113 §6) and the call to its `FrameHandler`
 * method. Used by `FrameParser`, which owns the byte stream and CONTINUATION assembly.
 */
import { ErrorCode, Flag, FrameType } from './constants.ts';
import { H2Error } from './errors.ts';
import type { FrameHandler } from './frame-handler.ts';

/** A HEADERS or PUSH_PROMISE whose block continues in CONTINUATION frames. */
export interface BlockStart {
  readonly fragment: Buffer;
  readonly endStream: boolean;
  readonly promisedId: number;
}

function connError(code: number, message: string): H2Error {
  return new H2Error(code, message);
}

/** Removes the pad length octet and padding (RFC 9113 §6.1); PROTOCOL_ERROR when padding ≥ payload. */
function unpad(payload: Buffer, flags: number, what: string): Buffer {
  if ((flags & Flag.PADDED) === 0) return payload;
  if (payload.length < 1) throw connError(ErrorCode.FRAME_SIZE_ERROR, `${what} with PADDED has no pad length octet`);
  const pad = payload[0]!;
  if (pad >= payload.length) throw connError(ErrorCode.PROTOCOL_ERROR, `${what} padding of ${pad} octets fills its ${payload.length}-octet payload`);
  return payload.subarray(1, payload.length - pad);
}

function requireStream(streamId: number, what: string): void {
  if (streamId === 0) throw connError(ErrorCode.PROTOCOL_ERROR, `${what} on stream 0`);
}

function requireConnection(streamId: number, what: string): void {
  if (streamId !== 0) throw connError(ErrorCode.PROTOCOL_ERROR, `${what} on stream ${streamId}, must be stream 0`);
}

/**
 * Checks and delivers one frame. Returns the start of a header block when a HEADERS or
 * PUSH_PROMISE lacks END_HEADERS (the parser then collects CONTINUATIONs), else undefined.
 */
export function dispatchFrame(h: FrameHandler, type: number, flags: number, streamId: number, payload: Buffer): BlockStart | undefined {
  switch (type) {
    case FrameType.DATA:
      requireStream(streamId, 'DATA');
      h.onData(streamId, unpad(payload, flags, 'DATA'), (flags & Flag.END_STREAM) !== 0, payload.length);
      return undefined;
    case FrameType.HEADERS: {
      requireStream(streamId, 'HEADERS');
      let block = unpad(payload, flags, 'HEADERS');
      if (flags & Flag.PRIORITY) {
        if (block.length < 5) throw connError(ErrorCode.FRAME_SIZE_ERROR, 'HEADERS with PRIORITY shorter than 5 octets');
        const dep = block.readUInt32BE(0);
        if ((dep & 0x7fffffff) === streamId) {
          h.onStreamError(new H2Error(ErrorCode.PROTOCOL_ERROR, `stream ${streamId} depends on itself`, streamId));
        }
        h.onPriority?.(streamId, dep & 0x7fffffff, (dep & 0x80000000) !== 0, block[4]!);
        block = block.subarray(5);
      }
      const endStream = (flags & Flag.END_STREAM) !== 0;
      if ((flags & Flag.END_HEADERS) === 0) return { fragment: block, endStream, promisedId: 0 };
      h.onHeaders(streamId, block, endStream);
      return undefined;
    }
    case FrameType.PRIORITY:
      requireStream(streamId, 'PRIORITY');
      if (payload.length !== 5) {
        h.onStreamError(new H2Error(ErrorCode.FRAME_SIZE_ERROR, `PRIORITY of ${payload.length} octets, must be 5`, streamId));
        return undefined;
      }
      h.onPriority?.(streamId, payload.readUInt32BE(0) & 0x7fffffff, (payload[0]! & 0x80) !== 0, payload[4]!);
      return undefined;
    case FrameType.RST_STREAM:
      requireStream(streamId, 'RST_STREAM');
      if (payload.length !== 4) throw connError(ErrorCode.FRAME_SIZE_ERROR, `RST_STREAM of ${payload.length} octets, must be 4`);
      h.onRstStream(streamId, payload.readUInt32BE(0));
      return undefined;
    case FrameType.SETTINGS: {
      requireConnection(streamId, 'SETTINGS');
      const ack = (flags & Flag.ACK) !== 0;
      if (ack && payload.length !== 0) throw connError(ErrorCode.FRAME_SIZE_ERROR, 'SETTINGS ACK with a payload');
      if (payload.length % 6 !== 0) throw connError(ErrorCode.FRAME_SIZE_ERROR, `SETTINGS of ${payload.length} octets, not a multiple of 6`);
      h.onSettings(ack, payload);
      return undefined;
    }
    case FrameType.PUSH_PROMISE: {
      requireStream(streamId, 'PUSH_PROMISE');
      const body = unpad(payload, flags, 'PUSH_PROMISE');
      if (body.length < 4) throw connError(ErrorCode.FRAME_SIZE_ERROR, 'PUSH_PROMISE shorter than 4 octets');
      const promisedId = body.readUInt32BE(0) & 0x7fffffff;
      const fragment = body.subarray(4);
      if ((flags & Flag.END_HEADERS) === 0) return { fragment, endStream: false, promisedId };
      h.onPushPromise(streamId, promisedId, fragment);
      return undefined;
    }
    case FrameType.PING:
      requireConnection(streamId, 'PING');
      if (payload.length !== 8) throw connError(ErrorCode.FRAME_SIZE_ERROR, `PING of ${payload.length} octets, must be 8`);
      h.onPing((flags & Flag.ACK) !== 0, payload);
      return undefined;
    case FrameType.GOAWAY:
      requireConnection(streamId, 'GOAWAY');
      if (payload.length < 8) throw connError(ErrorCode.FRAME_SIZE_ERROR, `GOAWAY of ${payload.length} octets, must be at least 8`);
      h.onGoaway(payload.readUInt32BE(0) & 0x7fffffff, payload.readUInt32BE(4), payload.subarray(8));
      return undefined;
    case FrameType.WINDOW_UPDATE: {
      if (payload.length !== 4) throw connError(ErrorCode.FRAME_SIZE_ERROR, `WINDOW_UPDATE of ${payload.length} octets, must be 4`);
      const increment = payload.readUInt32BE(0) & 0x7fffffff;
      if (increment === 0) {
        if (streamId === 0) throw connError(ErrorCode.PROTOCOL_ERROR, 'WINDOW_UPDATE of 0 on the connection');
        h.onStreamError(new H2Error(ErrorCode.PROTOCOL_ERROR, `WINDOW_UPDATE of 0 on stream ${streamId}`, streamId));
        return undefined;
      }
      h.onWindowUpdate(streamId, increment);
      return undefined;
    }
    default:
      h.onUnknownFrame?.(type, flags, streamId, payload);
      return undefined;
  }
}
