/**
 * gRPC over HTTP/2 status rules (grpc's PROTOCOL-HTTP2.md and http-grpc-status-mapping.md):
 * HTTP statuses and RST_STREAM codes mapped to gRPC codes, `grpc-message` percent-decoding,
 * and `grpc-timeout` encoding.
 */
import { ErrorCode, errorCodeName } from '../../../h2/index.ts';
import { GrpcCode, StoreError } from '../../types.ts';

/** The gRPC code for a response whose HTTP status is not 200 and that carries no grpc-status. */
export function codeForHttpStatus(status: number): number {
  switch (status) {
    case 400:
      return GrpcCode.Internal;
    case 401:
      return GrpcCode.Unauthenticated;
    case 403:
      return GrpcCode.PermissionDenied;
    case 404:
      return GrpcCode.Unimplemented;
    case 429:
    case 502:
    case 503:
    case 504:
      return GrpcCode.Unavailable;
    default:
      return GrpcCode.Unknown;
  }
}

/**
 * The error for a stream the server reset (as grpc-go maps RST_STREAM codes). REFUSED_STREAM
 * means the server never processed the call: retryable.
 */
export function errorForRstStream(code: number, path: string): StoreError {
  const what = `${path}: stream reset by the server (${errorCodeName(code)})`;
  switch (code) {
    case ErrorCode.REFUSED_STREAM:
      return new StoreError(GrpcCode.Unavailable, what, { retryable: true });
    case ErrorCode.CANCEL:
      return new StoreError(GrpcCode.Cancelled, what);
    case ErrorCode.ENHANCE_YOUR_CALM:
      return new StoreError(GrpcCode.ResourceExhausted, what);
    case ErrorCode.INADEQUATE_SECURITY:
      return new StoreError(GrpcCode.PermissionDenied, what);
    default:
      return new StoreError(GrpcCode.Internal, what);
  }
}

/** Decodes a percent-encoded `grpc-message` (UTF-8 octets as `%XX`); malformed escapes stay as they are. */
export function percentDecode(s: string): string {
  if (s.indexOf('%') < 0) return s;
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25 && i + 2 < s.length && isHex(s.charCodeAt(i + 1)) && isHex(s.charCodeAt(i + 2))) {
      out.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      out.push(c & 0xff);
    }
  }
  return Buffer.from(out).toString('utf8');
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** `grpc-timeout` for a deadline `ms` milliseconds away: at most 8 digits, the finest unit that fits. */
export function encodeGrpcTimeout(ms: number): string {
  const m = Math.max(0, Math.ceil(ms));
  if (m < 1e8) return `${m}m`;
  const s = Math.ceil(m / 1000);
  if (s < 1e8) return `${s}S`;
  const min = Math.ceil(s / 60);
  if (min < 1e8) return `${min}M`;
  return `${Math.min(99_999_999, Math.ceil(min / 60))}H`;
}
