/**
 * The defences serve's two node:http2 transports (`h2-transport.ts`, and grpc-js's `Server` in
 * `grpc-js-server.ts`) put on every HTTP/2 session, as the raw transport does on its own
 * connections (`raw/connection.ts`, `raw/limits.ts`):
 *
 * - the client's SETTINGS must arrive within the handshake timeout;
 * - a session without an open stream for the idle timeout is destroyed. A stream opens only once
 *   its HEADERS are complete, so a slowloris sending a request a byte at a time is idle all along
 *   (grpc-js's own `grpc.max_connection_idle_ms` closes gracefully, which waits for the frame it
 *   is in the middle of, i.e. forever);
 * - requests that never become calls (unknown method, not gRPC) spend the raw transport's budget
 *   of work that carries nothing; past it the session ends with GOAWAY ENHANCE_YOUR_CALM. Each
 *   costs node:http2 a JS stream and an answer the peer may never read, so a flood of them from a
 *   peer that does not read (CVE-2019-9514) grew serve by 150-300 MiB before. Malformed requests
 *   (no `:method`) never reach JS: nghttp2 resets them and node counts them as invalid frames,
 *   ending the session past `maxSessionInvalidFrames` (its default, 1000, is this budget's burst).
 */
import http2 from 'node:http2';
import { Budget, DEFAULT_LIMITS } from './raw/limits.ts';

/** Options of `guardSession`. */
export interface SessionGuardOptions {
  /** A session without open streams for this long is destroyed, ms. */
  idleTimeoutMs: number;
  /** The client's SETTINGS must arrive within this, ms. */
  handshakeTimeoutMs: number;
  /** True when a request with these headers becomes a call; any other spends the budget. */
  isCall(headers: http2.IncomingHttpHeaders): boolean;
}

function noop(): void {}

/** Puts the file comment's defences on `session`; they end with it. */
export function guardSession(session: http2.ServerHttp2Session, opts: SessionGuardOptions): void {
  session.on('error', noop);
  const budget = new Budget(DEFAULT_LIMITS.abuseBurst, DEFAULT_LIMITS.abusePerSec);
  let open = 0;
  let idle: NodeJS.Timeout | undefined;
  const arm = (): void => {
    idle = setTimeout(() => session.destroy(), opts.idleTimeoutMs);
  };
  const handshake = setTimeout(() => session.destroy(), opts.handshakeTimeoutMs);
  session.once('remoteSettings', () => clearTimeout(handshake));
  session.on('stream', (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => {
    open++;
    clearTimeout(idle);
    stream.once('close', () => {
      if (--open === 0 && !session.destroyed) arm();
    });
    if (!opts.isCall(headers) && !budget.take()) session.destroy(undefined, http2.constants.NGHTTP2_ENHANCE_YOUR_CALM);
  });
  arm();
  session.once('close', () => {
    clearTimeout(idle);
    clearTimeout(handshake);
  });
}
