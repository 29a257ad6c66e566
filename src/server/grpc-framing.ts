/**
 * gRPC's framing and status as they go over HTTP/2, shared by the transport's calls
 * (`h2-call.ts`): the length-prefixed messages of a request body, the response headers, and the
 * `grpc-status`/`grpc-message` trailers, all as grpc-js 1.14's server writes them.
 */
import type http2 from 'node:http2';
import { status as Status, type Metadata } from '@grpc/grpc-js';

/** A gRPC status as handlers pass it (grpc-js's ServiceError shape). */
export interface StatusLike {
  code?: number;
  details?: string;
  message?: string;
  metadata?: Metadata | null;
}

/** Headers of every answer that carries messages. */
export const RESPONSE_HEADERS: http2.OutgoingHttpHeaders = {
  ':status': 200,
  'content-type': 'application/grpc+proto',
  'grpc-accept-encoding': 'identity,deflate,gzip',
  'grpc-encoding': 'identity',
};
/** A trailers-only response's HTTP headers (the status is added), as grpc-js sends them. */
export const TRAILERS_ONLY: http2.OutgoingHttpHeaders = { ':status': 200, 'content-type': 'application/grpc+proto' };
/** Trailers of a call that ended well. */
export const OK_TRAILERS: http2.OutgoingHttpHeaders = { 'grpc-status': '0', 'grpc-message': 'OK' };
/** The header objects every call sends as they are: a transport may encode each once. */
export const CONSTANT_HEADERS: ReadonlySet<http2.OutgoingHttpHeaders> = new Set([RESPONSE_HEADERS, OK_TRAILERS]);

/** grpc-js's `serverErrorToStatus`: a number `code` and string `details` are taken as given. */
export function toStatus(err: StatusLike): { code: number; details: string; metadata?: Metadata | null } {
  if (typeof err.code === 'number' && Number.isInteger(err.code)) {
    return { code: err.code, details: typeof err.details === 'string' ? err.details : (err.message ?? 'Unknown Error'), metadata: err.metadata };
  }
  return { code: Status.UNKNOWN, details: err.message ?? 'Unknown Error', metadata: err.metadata };
}

/** A trailers-only response's headers in grpc-js's order: status, message, HTTP, metadata. */
export function trailersOnly(status: http2.OutgoingHttpHeaders): http2.OutgoingHttpHeaders {
  const { 'grpc-status': code, 'grpc-message': message, ...metadata } = status;
  return { 'grpc-status': code, 'grpc-message': message, ...TRAILERS_ONLY, ...metadata };
}

/** `grpc-status` and the percent-encoded `grpc-message`, plus any metadata, as trailers. */
export function statusHeaders(code: number, details: string, metadata: Metadata | null | undefined): http2.OutgoingHttpHeaders {
  const h: http2.OutgoingHttpHeaders = { 'grpc-status': String(code), 'grpc-message': encodeURI(details) };
  return metadata ? Object.assign(h, metadata.toHttp2Headers()) : h;
}

/**
 * `grpc-timeout` as the gRPC over HTTP/2 spec has it: at most 8 digits, then one unit, nothing
 * else (grpc-js 1.14 accepts `5 S` or `x5Sy` and answers `0n` with OK).
 */
const GRPC_TIMEOUT = /^(\d{1,8})([HMSmun])$/;
const GRPC_TIMEOUT_UNIT_MS: Record<string, number> = { H: 3_600_000, M: 60_000, S: 1000, m: 1, u: 0.001, n: 0.000001 };

/** The last value parsed: a client sends the same `grpc-timeout` on call after call. */
let lastTimeout: { value: string; ms: number | undefined } = { value: '', ms: undefined };

/** A `grpc-timeout` header value in ms (fractions below 1 ms kept), undefined when malformed. */
export function grpcTimeoutMs(value: string): number | undefined {
  if (value === lastTimeout.value) return lastTimeout.ms;
  const m = GRPC_TIMEOUT.exec(value);
  const ms = m === null ? undefined : Number(m[1]) * GRPC_TIMEOUT_UNIT_MS[m[2]];
  lastTimeout = { value, ms };
  return ms;
}

/** Length-prefixed messages out of a request body, chunk by chunk. */
export class MessageReader {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(private readonly maxBytes: number) {}

  /** Returns the complete messages (flag byte kept), or an error text for an oversized one. */
  push(chunk: Buffer, out: Buffer[]): string | undefined {
    // The common case, a unary request: nothing buffered and the chunk is one whole message.
    if (this.buffered === 0 && chunk.length >= 5 && chunk.readUInt32BE(1) === chunk.length - 5 && (this.maxBytes < 0 || chunk.length - 5 <= this.maxBytes)) {
      out.push(chunk);
      return undefined;
    }
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    for (;;) {
      if (this.buffered < 5) return undefined;
      let head = this.chunks[0];
      if (head.length < 5) head = this.join();
      const len = head.readUInt32BE(1);
      if (this.maxBytes >= 0 && len > this.maxBytes) return `Received message larger than max (${len} vs ${this.maxBytes})`;
      if (this.buffered < 5 + len) return undefined;
      if (head.length < 5 + len) head = this.join();
      out.push(head.subarray(0, 5 + len));
      if (head.length === 5 + len) this.chunks.shift();
      else this.chunks[0] = head.subarray(5 + len);
      this.buffered -= 5 + len;
    }
  }

  private join(): Buffer {
    const all = Buffer.concat(this.chunks, this.buffered);
    this.chunks = [all];
    return all;
  }
}
