/**
 * What the native client advertises to servers and accepts from them: receive windows
 * generous enough that a server never stalls on us, and bounds on what it buffers.
 */

/** Our per-stream receive window, advertised as SETTINGS_INITIAL_WINDOW_SIZE (octets). */
export const STREAM_WINDOW = 4 * 1024 * 1024;

/** Our connection receive window, raised by a WINDOW_UPDATE right after the preface (octets). */
export const CONNECTION_WINDOW = 16 * 1024 * 1024;

/** Largest header list we accept, advertised as SETTINGS_MAX_HEADER_LIST_SIZE (octets). */
export const MAX_HEADER_LIST_BYTES = 256 * 1024;

/** Default connect timeout: TCP + TLS + the server's SETTINGS (milliseconds). */
export const DEFAULT_DIAL_TIMEOUT_MS = 5000;

/** How long a closing socket may linger before it is destroyed (milliseconds). */
export const CLOSE_GRACE_MS = 1000;
