/**
 * One clean line for why an endpoint did not answer its readiness request, from either client's
 * message (the native client's `cannot connect to …: …`, the etcd3 package's gRPC status).
 * gRPC's own messages leak its internals: a refused connection reads `14 UNAVAILABLE: No
 * connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:2379. Resolution
 * note: ` (a dangling note), and a server that accepts TCP but never answers reads
 * `4 DEADLINE_EXCEEDED: … waiting for name resolution` although no name was resolved. Worked
 * examples:
 *
 *   connect ECONNREFUSED 127.0.0.1:2379      → connection refused at 127.0.0.1:2379 (nothing listens there)
 *   … Protocol error …                       → the server does not speak gRPC over HTTP/2: not an etcd v3 endpoint
 *   4 DEADLINE_EXCEEDED …, no HTTP/2 SETTINGS → no answer to an etcd Status request: the server accepts
 *                                              connections but does not answer (not an etcd v3 endpoint, or stalled)
 */

/** Why an endpoint is unavailable, in one line without gRPC's internals. */
export function describeUnreachable(detail: string): string {
  const errno = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ECONNRESET)\b\s*([^\s.()]*(?:\.[^\s.()]+)*)?/.exec(detail);
  if (errno) {
    const [, code, where] = errno;
    const at = where ? ` at ${where}` : '';
    switch (code) {
      case 'ECONNREFUSED':
        return `connection refused${at} (nothing listens there)`;
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return `host not found${where ? `: ${where}` : ''} (${code})`;
      case 'ECONNRESET':
        return `connection reset${at}: not an etcd v3 endpoint, or it closed the connection`;
      default:
        return `cannot connect${at} (${code})`;
    }
  }
  if (/Protocol error|PROTOCOL_ERROR|FRAME_SIZE_ERROR|COMPRESSION_ERROR|HTTP status code|Received RST_STREAM|http2/i.test(detail)) {
    return 'the server does not speak gRPC over HTTP/2: not an etcd v3 endpoint';
  }
  if (/UNIMPLEMENTED/.test(detail)) return 'the server speaks gRPC but has no etcd Maintenance service: not an etcd v3 endpoint';
  if (/DEADLINE_EXCEEDED|Deadline exceeded|no answer within|no HTTP\/2 (SETTINGS|connection) within/i.test(detail)) {
    return 'no answer to an etcd Status request: the server accepts connections but does not answer (not an etcd v3 endpoint, or stalled)';
  }
  return tidy(detail);
}

/** gRPC's message without its status prefix, timestamps and an empty trailing note, on one line. */
function tidy(detail: string): string {
  const s = detail
    .replace(/^\d+ [A-Z_]+: /, '')
    .replace(/\s*\(\d{4}-\d\d-\d\dT[\d:.]+Z\)/g, '')
    .replace(/\s*Resolution note:\s*$/, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\.$/, '');
  return s === '' ? 'no answer' : s;
}
