/**
 * The one request check only the gRPC layer can make: etcd's `--max-request-bytes` limit on
 * the size of a write request as it arrived on the wire. Every other check (empty key,
 * ignore_value/ignore_lease, 128 ops per txn, duplicate keys in a txn) is the store's
 * (`engine/mvcc/validate.ts`), so in-process callers and gRPC clients get the same answers.
 */
import { errRequestTooLarge } from '../../engine/mvcc/errors.ts';

/** Limits enforced by the gRPC layer. */
export interface RequestLimits {
  /** Largest write request in bytes; default etcd's 1.5 MiB (`embed.DefaultMaxRequestBytes`). */
  maxRequestBytes: number;
}

/** Fails with etcd's `request is too large` when a write request of `bytes` exceeds the limit. */
export function checkRequestSize(bytes: number, limits: RequestLimits): void {
  if (bytes > limits.maxRequestBytes) throw errRequestTooLarge();
}
