/**
 * SETTINGS payloads (RFC 9113 §6.5): the six defined parameters as one object, encoding a
 * partial set, and applying a received payload with the RFC's validity checks.
 */
import {
  DEFAULT_HEADER_TABLE_SIZE,
  DEFAULT_INITIAL_WINDOW_SIZE,
  DEFAULT_MAX_FRAME_SIZE,
  ErrorCode,
  FRAME_HEADER_BYTES,
  FrameType,
  MAX_ALLOWED_FRAME_SIZE,
  MAX_WINDOW_SIZE,
  SettingId,
} from './constants.ts';
import { H2Error } from './errors.ts';
import { writeFrameHeader } from './frame-header.ts';

/** One side's SETTINGS. All sizes in octets. */
export interface Settings {
  /** HPACK dynamic table size the sender's decoder allows; default 4096. */
  headerTableSize: number;
  /** Whether server push is allowed (only a client sends it); default true, clients send false. */
  enablePush: boolean;
  /** Streams the peer may open towards the sender at once; default unlimited (Infinity). */
  maxConcurrentStreams: number;
  /** Initial stream flow-control window for streams the sender receives on; default 65535. */
  initialWindowSize: number;
  /** Largest frame payload the sender accepts; default 16384, range 16384..16777215. */
  maxFrameSize: number;
  /** Advisory bound on an uncompressed header list (names + values + 32 per field); default Infinity. */
  maxHeaderListSize: number;
}

/** The settings in force before any SETTINGS frame arrived (RFC 9113 §6.5.2). */
export function defaultSettings(): Settings {
  return {
    headerTableSize: DEFAULT_HEADER_TABLE_SIZE,
    enablePush: true,
    maxConcurrentStreams: Infinity,
    initialWindowSize: DEFAULT_INITIAL_WINDOW_SIZE,
    maxFrameSize: DEFAULT_MAX_FRAME_SIZE,
    maxHeaderListSize: Infinity,
  };
}

/** A whole SETTINGS frame (header included) carrying the given parameters, in a fixed order. */
export function encodeSettingsFrame(s: Partial<Settings>): Buffer {
  const pairs: [number, number][] = [];
  if (s.headerTableSize !== undefined) pairs.push([SettingId.HEADER_TABLE_SIZE, s.headerTableSize]);
  if (s.enablePush !== undefined) pairs.push([SettingId.ENABLE_PUSH, s.enablePush ? 1 : 0]);
  if (s.maxConcurrentStreams !== undefined && Number.isFinite(s.maxConcurrentStreams)) pairs.push([SettingId.MAX_CONCURRENT_STREAMS, s.maxConcurrentStreams]);
  if (s.initialWindowSize !== undefined) pairs.push([SettingId.INITIAL_WINDOW_SIZE, s.initialWindowSize]);
  if (s.maxFrameSize !== undefined) pairs.push([SettingId.MAX_FRAME_SIZE, s.maxFrameSize]);
  if (s.maxHeaderListSize !== undefined && Number.isFinite(s.maxHeaderListSize)) pairs.push([SettingId.MAX_HEADER_LIST_SIZE, s.maxHeaderListSize]);
  const buf = Buffer.allocUnsafe(FRAME_HEADER_BYTES + pairs.length * 6);
  writeFrameHeader(buf, 0, pairs.length * 6, FrameType.SETTINGS, 0, 0);
  let off = FRAME_HEADER_BYTES;
  for (const [id, value] of pairs) {
    buf.writeUInt16BE(id, off);
    buf.writeUInt32BE(value >>> 0, off + 2);
    off += 6;
  }
  return buf;
}

/** The SETTINGS frame with ACK set and no payload. */
export const SETTINGS_ACK_FRAME: Buffer = (() => {
  const b = Buffer.alloc(FRAME_HEADER_BYTES);
  writeFrameHeader(b, 0, 0, FrameType.SETTINGS, 0x1, 0);
  return b;
})();

/**
 * Applies a received SETTINGS payload (a multiple of 6 octets; the parser checked the length)
 * to `into`, in order, and returns it. Throws a connection `H2Error`: PROTOCOL_ERROR for an
 * ENABLE_PUSH other than 0/1 or a MAX_FRAME_SIZE out of range, FLOW_CONTROL_ERROR for an
 * INITIAL_WINDOW_SIZE above 2^31-1. Unknown identifiers are ignored.
 */
export function applySettings(into: Settings, payload: Buffer): Settings {
  for (let off = 0; off + 6 <= payload.length; off += 6) {
    const id = payload.readUInt16BE(off);
    const value = payload.readUInt32BE(off + 2);
    switch (id) {
      case SettingId.HEADER_TABLE_SIZE:
        into.headerTableSize = value;
        break;
      case SettingId.ENABLE_PUSH:
        if (value > 1) throw new H2Error(ErrorCode.PROTOCOL_ERROR, `SETTINGS_ENABLE_PUSH must be 0 or 1, got ${value}`);
        into.enablePush = value === 1;
        break;
      case SettingId.MAX_CONCURRENT_STREAMS:
        into.maxConcurrentStreams = value;
        break;
      case SettingId.INITIAL_WINDOW_SIZE:
        if (value > MAX_WINDOW_SIZE) throw new H2Error(ErrorCode.FLOW_CONTROL_ERROR, `SETTINGS_INITIAL_WINDOW_SIZE ${value} is above 2^31-1`);
        into.initialWindowSize = value;
        break;
      case SettingId.MAX_FRAME_SIZE:
        if (value < DEFAULT_MAX_FRAME_SIZE || value > MAX_ALLOWED_FRAME_SIZE) {
          throw new H2Error(ErrorCode.PROTOCOL_ERROR, `SETTINGS_MAX_FRAME_SIZE ${value} is outside 16384..16777215`);
        }
        into.maxFrameSize = value;
        break;
      case SettingId.MAX_HEADER_LIST_SIZE:
        into.maxHeaderListSize = value;
        break;
      default:
        break; // unknown settings are ignored (RFC 9113 §6.5.2)
    }
  }
  return into;
}
