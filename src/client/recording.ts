/**
 * A `StoreClient` that records every call it passes on (method, key, value, options) as one line
 * of text, in the order the calls were made, then forwards it unchanged. The cross-client test
 * uses it to show that both clients are given the same operation stream; it is also a handy way
 * to see what a scenario sends.
 */
import type { Bytes, CallOptions, StoreClient, TxnOp, TxnRequest } from './types.ts';

/** Turns one call into its recorded line (default: JSON of the method and its arguments). */
export type CallFormat = (method: string, args: readonly unknown[]) => string;

const text = (b: Bytes): string => (typeof b === 'string' ? b : Buffer.from(b).toString());

/** Bytes as text, other values as they are; call options (deadlines, signals) are not part of the stream. */
function plain(v: unknown): unknown {
  if (typeof v === 'string' || v instanceof Uint8Array) return text(v);
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, plain(x)]));
  return v;
}

/** The default line: `method ["arg", …]` with bytes as text. */
export const formatCall: CallFormat = (method, args) => `${method} ${JSON.stringify(args.map(plain))}`;

/** Wraps `inner`: each call appends its line to `log`, then runs on `inner`. */
export function recordingClient(inner: StoreClient, log: string[], format: CallFormat = formatCall): StoreClient {
  const rec = (method: string, ...args: unknown[]): void => void log.push(format(method, args));
  return {
    kind: inner.kind,
    range: (key, opts, call?: CallOptions) => (rec('range', key, opts), inner.range(key, opts, call)),
    put: (key, value, opts, call) => (rec('put', key, value, opts), inner.put(key, value, opts, call)),
    delete: (key, opts, call) => (rec('delete', key, opts), inner.delete(key, opts, call)),
    txn: (req: TxnRequest, call) => (rec('txn', req.compare, req.success as TxnOp[], req.failure), inner.txn(req, call)),
    compact: (revision, physical, call) => (rec('compact', revision, physical), inner.compact(revision, physical, call)),
    watch: (key, opts, handlers, call) => (rec('watch', key, opts), inner.watch(key, opts, handlers, call)),
    leaseGrant: (ttl, call) => (rec('leaseGrant', ttl), inner.leaseGrant(ttl, call)),
    leaseRevoke: (id, call) => (rec('leaseRevoke', id), inner.leaseRevoke(id, call)),
    leaseKeepAliveOnce: (id, call) => (rec('leaseKeepAliveOnce', id), inner.leaseKeepAliveOnce(id, call)),
    leaseTimeToLive: (id, keys, call) => (rec('leaseTimeToLive', id, keys), inner.leaseTimeToLive(id, keys, call)),
    status: (call) => (rec('status'), inner.status(call)),
    defragment: (call) => (rec('defragment'), inner.defragment(call)),
    close: () => inner.close(),
  };
}
