/**
 * What the raw transport allows a peer, and the budgets that end a connection whose peer
 * abuses it. Modelled on what grpc-go's http2 server and nghttp2 enforce (read, not copied):
 * a bound on concurrent streams, on header blocks and lists, on frames that cost us work but
 * carry nothing (empty DATA, resets, refused or malformed streams, SETTINGS, PING and their
 * unasked-for ACKs, unknown frames), on CONTINUATION frames per header block, and on what
 * waits to be written to a peer that does not read.
 */

/** Limits of one connection; every field has the default shown in `DEFAULT_LIMITS`. */
export interface ConnectionLimits {
  /** SETTINGS_MAX_CONCURRENT_STREAMS we advertise and enforce (REFUSED_STREAM past it). */
  readonly maxConcurrentStreams: number;
  /** SETTINGS_INITIAL_WINDOW_SIZE we advertise: what a peer may send per stream ahead of our updates, bytes. */
  readonly streamWindowBytes: number;
  /** Connection receive window we grant at start, bytes. */
  readonly connectionWindowBytes: number;
  /** SETTINGS_MAX_HEADER_LIST_SIZE: a larger request is refused (RESOURCE_EXHAUSTED), bytes. */
  readonly maxHeaderListBytes: number;
  /** A header block (HEADERS + CONTINUATION) larger than this ends the connection, bytes. */
  readonly maxHeaderBlockBytes: number;
  /** A header block in more CONTINUATION frames than this ends the connection (empty ones: CVE-2019-9518). */
  readonly maxContinuationFrames: number;
  /** The preface and first SETTINGS must arrive within this, ms. */
  readonly handshakeTimeoutMs: number;
  /** A connection with no open stream for this long is closed (GOAWAY), ms. */
  readonly idleTimeoutMs: number;
  /** Response DATA waits in the stream once this much is in the socket, bytes. */
  readonly socketHighWaterBytes: number;
  /** More than this waiting for the socket when the peer makes us answer again ends it, bytes. */
  readonly maxBacklogBytes: number;
  /** A stream's `write` says "wait for drain" above this backlog, bytes. */
  readonly streamHighWaterBytes: number;
  /** Budget of frames that cost work and carry nothing: burst, then per second. */
  readonly abuseBurst: number;
  readonly abusePerSec: number;
}

/** The defaults. */
export const DEFAULT_LIMITS: ConnectionLimits = {
  maxConcurrentStreams: 1000,
  streamWindowBytes: 1024 * 1024,
  connectionWindowBytes: 16 * 1024 * 1024,
  maxHeaderListBytes: 64 * 1024,
  maxHeaderBlockBytes: 256 * 1024,
  maxContinuationFrames: 32,
  handshakeTimeoutMs: 10_000,
  idleTimeoutMs: 5 * 60_000,
  socketHighWaterBytes: 256 * 1024,
  maxBacklogBytes: 4 * 1024 * 1024,
  streamHighWaterBytes: 1024 * 1024,
  abuseBurst: 1000,
  abusePerSec: 200,
};

/**
 * A token bucket: `take()` is false once the peer spent more than `burst` plus `perSec` for
 * every second since the connection opened.
 */
export class Budget {
  private tokens: number;
  private last = performance.now();

  constructor(
    private readonly burst: number,
    private readonly perSec: number,
  ) {
    this.tokens = burst;
  }

  take(): boolean {
    if (this.tokens >= 1) {
      this.tokens--;
      return true;
    }
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSec);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens--;
    return true;
  }
}
