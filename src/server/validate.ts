/**
 * The checks etcd makes at its gRPC edge before a request reaches the store (etcd's
 * `etcdserver/api/v3rpc/key.go` and the `--max-request-bytes` check), with etcd's messages.
 *
 * Worked example of the duplicate-key rule in a txn branch (etcd's `checkIntervals`):
 *   [put a, put a]                         -> duplicate key
 *   [delete [a, c), put b]                 -> duplicate key (b is inside the deleted range)
 *   [txn{then: put a, else: put a}]        -> fine (only one branch runs)
 *   [put a, txn{then: put a}]              -> duplicate key
 */
import {
  EtcdError,
  ErrorMessages,
  errDuplicateKey,
  errEmptyKey,
  errLeaseProvided,
  errTooManyOps,
  errValueProvided,
} from '../../engine/mvcc/errors.ts';
import type { DeleteRangeRequest, PutRequest, RangeRequest, RequestOp, TxnRequest } from '../../engine/mvcc/types.ts';

/** Limits enforced by the server. Defaults are etcd's (`embed.DefaultMaxTxnOps` etc.). */
export interface RequestLimits {
  /** Most operations in one txn branch (and compares), default 128. */
  maxTxnOps: number;
  /** Largest write request in bytes, default 1.5 MiB. */
  maxRequestBytes: number;
}

/** etcd's request too large error. */
export const errRequestTooLarge = (): EtcdError => new EtcdError('INVALID_ARGUMENT', ErrorMessages.requestTooLarge);

/** Fails with etcd's error when a write request of `bytes` bytes exceeds the limit. */
export function checkRequestSize(bytes: number, limits: RequestLimits): void {
  if (bytes > limits.maxRequestBytes) throw errRequestTooLarge();
}

/** etcd's checks on a Range. */
export function checkRange(r: RangeRequest): void {
  if (r.key.length === 0) throw errEmptyKey();
}

/** etcd's checks on a Put. */
export function checkPut(r: PutRequest): void {
  if (r.key.length === 0) throw errEmptyKey();
  if (r.ignoreValue && r.value !== undefined && r.value.length !== 0) throw errValueProvided();
  if (r.ignoreLease && r.lease !== undefined && r.lease !== 0) throw errLeaseProvided();
}

/** etcd's checks on a DeleteRange. */
export function checkDelete(r: DeleteRangeRequest): void {
  if (r.key.length === 0) throw errEmptyKey();
}

/** etcd's checks on a Txn: op counts, keys, nested ops, and no key written twice. */
export function checkTxn(r: TxnRequest, limits: RequestLimits): void {
  checkTxnOps(r, limits);
  checkWrites(r.success ?? []);
  checkWrites(r.failure ?? []);
}

function checkTxnOps(r: TxnRequest, limits: RequestLimits): void {
  const compare = r.compare ?? [];
  const success = r.success ?? [];
  const failure = r.failure ?? [];
  if (compare.length > limits.maxTxnOps || success.length > limits.maxTxnOps || failure.length > limits.maxTxnOps) {
    throw errTooManyOps();
  }
  for (const c of compare) if (c.key.length === 0) throw errEmptyKey();
  for (const op of [...success, ...failure]) {
    if (op.requestRange) checkRange(op.requestRange);
    else if (op.requestPut) checkPut(op.requestPut);
    else if (op.requestDeleteRange) checkDelete(op.requestDeleteRange);
    else if (op.requestTxn) checkTxnOps(op.requestTxn, limits);
  }
}

// Keys as latin1 strings: one char per byte, so string order is byte order.
type Key = string;
/** A deleted interval [start, end); end undefined = the single key start; null = no upper end. */
interface Interval {
  start: Key;
  end: Key | undefined | null;
}

const keyOf = (b: Buffer): Key => b.toString('latin1');

function deleted(dels: readonly Interval[], k: Key): boolean {
  return dels.some((d) =>
    d.end === undefined ? d.start === k : k >= d.start && (d.end === null || k < d.end),
  );
}

function checkWrites(ops: readonly RequestOp[]): { puts: Set<Key>; dels: Interval[] } {
  const dels: Interval[] = [];
  for (const op of ops) {
    const d = op.requestDeleteRange;
    if (!d) continue;
    const end = d.rangeEnd && d.rangeEnd.length > 0 ? d.rangeEnd : undefined;
    dels.push({
      start: keyOf(d.key),
      end: end === undefined ? undefined : end.length === 1 && end[0] === 0 ? null : keyOf(end),
    });
  }
  const puts = new Set<Key>();
  for (const op of ops) {
    if (!op.requestTxn) continue;
    const then = checkWrites(op.requestTxn.success ?? []);
    const otherwise = checkWrites(op.requestTxn.failure ?? []);
    for (const k of then.puts) {
      if (puts.has(k) || deleted(dels, k)) throw errDuplicateKey();
      puts.add(k);
    }
    for (const k of otherwise.puts) {
      // The same key in both branches of one nested txn is fine: only one of them runs.
      if ((puts.has(k) && !then.puts.has(k)) || deleted(dels, k)) throw errDuplicateKey();
      puts.add(k);
    }
    dels.push(...then.dels, ...otherwise.dels);
  }
  for (const op of ops) {
    if (!op.requestPut) continue;
    const k = keyOf(op.requestPut.key);
    if (puts.has(k) || deleted(dels, k)) throw errDuplicateKey();
    puts.add(k);
  }
  return { puts, dels };
}
