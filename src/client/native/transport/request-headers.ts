/**
 * The HPACK-encoded request header block of a gRPC call, encoded once per (method, timeout)
 * and reused for every later call: `:method POST`, `:scheme`, `:path`, `:authority`,
 * `content-type: application/grpc`, `te: trailers`, `user-agent`, `grpc-timeout` when a
 * deadline is given, and the channel's metadata (e.g. etcd's `token`). The encoder is
 * stateless (no dynamic table), so a cached block is valid on any connection.
 */
import { encodeHeaderBlock } from '../../../h2/index.ts';
import { encodeGrpcTimeout } from './grpc-status.ts';

/** Entries kept before the cache is emptied (workloads use a handful of methods and timeouts). */
const MAX_ENTRIES = 512;

/** `user-agent` of every call. */
export const USER_AGENT = 'metabench-native/0.1';

/** See the module comment. */
export class RequestHeaders {
  /** path → timeout (ms, or -1 for none) → block; two lookups and no key string per call. */
  private readonly cache = new Map<string, Map<number, Buffer>>();
  private entries = 0;
  private readonly metadata = new Map<string, string>();

  constructor(
    private readonly scheme: 'http' | 'https',
    private readonly authority: string,
  ) {}

  /** Sets (or with `undefined` removes) a metadata entry sent with every later call; names are lowercased. */
  setMetadata(name: string, value: string | undefined): void {
    const key = name.toLowerCase();
    if (value === undefined) this.metadata.delete(key);
    else this.metadata.set(key, value);
    this.cache.clear();
    this.entries = 0;
  }

  /** The header block for a call of `path` with `timeoutMs` (undefined: no deadline). */
  block(path: string, timeoutMs: number | undefined): Buffer {
    const t = timeoutMs ?? -1;
    let byTimeout = this.cache.get(path);
    const hit = byTimeout?.get(t);
    if (hit !== undefined) return hit;
    if (this.entries >= MAX_ENTRIES) {
      this.cache.clear();
      this.entries = 0;
      byTimeout = undefined;
    }
    if (byTimeout === undefined) {
      byTimeout = new Map();
      this.cache.set(path, byTimeout);
    }
    const b = this.encode(path, timeoutMs);
    byTimeout.set(t, b);
    this.entries++;
    return b;
  }

  private encode(path: string, timeoutMs: number | undefined): Buffer {
    const fields: [string, string][] = [
      [':method', 'POST'],
      [':scheme', this.scheme],
      [':path', path],
      [':authority', this.authority],
      ['content-type', 'application/grpc'],
      ['te', 'trailers'],
      ['user-agent', USER_AGENT],
    ];
    if (timeoutMs !== undefined) fields.push(['grpc-timeout', encodeGrpcTimeout(timeoutMs)]);
    for (const [name, value] of this.metadata) fields.push([name, value]);
    return encodeHeaderBlock(fields);
  }
}
