/**
 * HTTP/2 protocol constants (RFC 9113): frame types, flags, error codes, settings identifiers
 * and their defaults, and the client connection preface. Shared by metabench's client
 * transport and serve's server transport.
 */

/** Frame types (RFC 9113 §6). Types not listed here are ignored on receipt (§4.1, §5.5). */
export const FrameType = {
  DATA: 0x0,
  HEADERS: 0x1,
  PRIORITY: 0x2,
  RST_STREAM: 0x3,
  SETTINGS: 0x4,
  PUSH_PROMISE: 0x5,
  PING: 0x6,
  GOAWAY: 0x7,
  WINDOW_UPDATE: 0x8,
  CONTINUATION: 0x9,
} as const;

/** Frame flags; which ones a frame type defines is in RFC 9113 §6. */
export const Flag = {
  /** DATA, HEADERS: the sender's last frame on this stream. */
  END_STREAM: 0x1,
  /** SETTINGS, PING: acknowledgement. */
  ACK: 0x1,
  /** HEADERS, PUSH_PROMISE, CONTINUATION: the header block ends in this frame. */
  END_HEADERS: 0x4,
  /** DATA, HEADERS, PUSH_PROMISE: a pad length octet and padding are present. */
  PADDED: 0x8,
  /** HEADERS: 5 octets of priority information precede the header block (deprecated). */
  PRIORITY: 0x20,
} as const;

/** Error codes of RST_STREAM and GOAWAY (RFC 9113 §7). */
export const ErrorCode = {
  NO_ERROR: 0x0,
  PROTOCOL_ERROR: 0x1,
  INTERNAL_ERROR: 0x2,
  FLOW_CONTROL_ERROR: 0x3,
  SETTINGS_TIMEOUT: 0x4,
  STREAM_CLOSED: 0x5,
  FRAME_SIZE_ERROR: 0x6,
  REFUSED_STREAM: 0x7,
  CANCEL: 0x8,
  COMPRESSION_ERROR: 0x9,
  CONNECT_ERROR: 0xa,
  ENHANCE_YOUR_CALM: 0xb,
  INADEQUATE_SECURITY: 0xc,
  HTTP_1_1_REQUIRED: 0xd,
} as const;

/** The name of an HTTP/2 error code (`0x1f` style hex for codes outside the table). */
export function errorCodeName(code: number): string {
  for (const [name, c] of Object.entries(ErrorCode)) if (c === code) return name;
  return `0x${code.toString(16)}`;
}

/** SETTINGS identifiers (RFC 9113 §6.5.2). Unknown identifiers are ignored on receipt. */
export const SettingId = {
  HEADER_TABLE_SIZE: 0x1,
  ENABLE_PUSH: 0x2,
  MAX_CONCURRENT_STREAMS: 0x3,
  INITIAL_WINDOW_SIZE: 0x4,
  MAX_FRAME_SIZE: 0x5,
  MAX_HEADER_LIST_SIZE: 0x6,
} as const;

/** Octets in a frame header. */
export const FRAME_HEADER_BYTES = 9;

/** The smallest SETTINGS_MAX_FRAME_SIZE a peer may advertise, and its default (octets). */
export const DEFAULT_MAX_FRAME_SIZE = 16_384;

/** The largest SETTINGS_MAX_FRAME_SIZE allowed (2^24 - 1 octets). */
export const MAX_ALLOWED_FRAME_SIZE = 16_777_215;

/** Initial flow-control window of every stream and of the connection (octets). */
export const DEFAULT_INITIAL_WINDOW_SIZE = 65_535;

/** The largest flow-control window (2^31 - 1 octets). */
export const MAX_WINDOW_SIZE = 2_147_483_647;

/** Default HPACK dynamic table size (octets). */
export const DEFAULT_HEADER_TABLE_SIZE = 4_096;

/** The largest stream identifier (2^31 - 1). */
export const MAX_STREAM_ID = 2_147_483_647;

/** The client connection preface (RFC 9113 §3.4), sent before the client's SETTINGS. */
export const CLIENT_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
