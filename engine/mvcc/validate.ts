/**
 * Request checks made before a request is queued, mirroring etcd's v3rpc checks
 * (`checkRangeRequest`, `checkPutRequest`, `checkTxnRequest`, `checkIntervals`): empty keys,
 * ignore_value/ignore_lease with a value/lease given, at most 128 operations per branch and no
 * key written twice in one branch (a put twice, or a put inside a delete range).
 */
import {
  errDuplicateKey,
  errEmptyKey,
  errLeaseProvided,
  errTooManyOps,
  errValueProvided,
  Limits,
} from './errors.ts';
import { isMultiKey, keyString, spanHas, toSpan, type KeySpan } from './key-range.ts';
import type { DeleteRangeRequest, PutRequest, RangeRequest, RequestOp, TxnRequest } from './types.ts';

/** What the pipeline needs to know about a valid txn. */
export interface TxnShape {
  /** No put or delete anywhere: the txn can be answered without the pipeline. */
  readOnly: boolean;
  /** Reads or deletes a key range: must see the engine with no pending writes of its batch. */
  rangeRead: boolean;
}

/** Range: the key must not be empty. */
export function checkRange(req: RangeRequest): void {
  if (req.key === undefined || req.key.length === 0) throw errEmptyKey();
}

/** Put: non-empty key; no value with ignoreValue; no lease with ignoreLease. */
export function checkPut(req: PutRequest): void {
  if (req.key === undefined || req.key.length === 0) throw errEmptyKey();
  if (req.ignoreValue && req.value !== undefined && req.value.length !== 0) throw errValueProvided();
  if (req.ignoreLease && req.lease) throw errLeaseProvided();
}

/** DeleteRange: the key must not be empty. */
export function checkDelete(req: DeleteRangeRequest): void {
  if (req.key === undefined || req.key.length === 0) throw errEmptyKey();
}

/** Validates a txn (recursively) and describes its shape. */
export function checkTxn(req: TxnRequest, max: number = Limits.maxTxnOps): TxnShape {
  const shape: TxnShape = { readOnly: true, rangeRead: false };
  walk(req, max, shape);
  checkIntervals(req.success ?? []);
  checkIntervals(req.failure ?? []);
  return shape;
}

function walk(req: TxnRequest, max: number, shape: TxnShape): void {
  const compare = req.compare ?? [];
  const success = req.success ?? [];
  const failure = req.failure ?? [];
  if (compare.length > max || success.length > max || failure.length > max) throw errTooManyOps();
  for (const c of compare) if (isMultiKey(c.rangeEnd)) shape.rangeRead = true;
  for (const op of success) walkOp(op, max, shape);
  for (const op of failure) walkOp(op, max, shape);
}

function walkOp(op: RequestOp, max: number, shape: TxnShape): void {
  if (op.requestRange) {
    checkRange(op.requestRange);
    // A historical read must see the engine with no pending writes ahead of it in its batch.
    if (isMultiKey(op.requestRange.rangeEnd) || (op.requestRange.revision ?? 0) > 0) shape.rangeRead = true;
  } else if (op.requestPut) {
    checkPut(op.requestPut);
    shape.readOnly = false;
  } else if (op.requestDeleteRange) {
    checkDelete(op.requestDeleteRange);
    shape.readOnly = false;
    if (isMultiKey(op.requestDeleteRange.rangeEnd)) shape.rangeRead = true;
  } else if (op.requestTxn) {
    walk(op.requestTxn, max, shape);
  }
}

interface Intervals {
  puts: Set<string>;
  dels: KeySpan[];
}

function intersects(dels: KeySpan[], key: string): boolean {
  for (const d of dels) if (spanHas(d, key)) return true;
  return false;
}

/**
 * etcd's checkIntervals: within one branch, no key may be put twice and no put may fall inside
 * a delete range, counting nested txns (whose then/else branches may share a put key, since
 * only one of them runs).
 */
function checkIntervals(reqs: RequestOp[]): Intervals {
  const dels: KeySpan[] = [];
  for (const op of reqs) {
    const d = op.requestDeleteRange;
    if (d) dels.push(toSpan(d.key, d.rangeEnd));
  }
  const puts = new Set<string>();
  for (const op of reqs) {
    const t = op.requestTxn;
    if (!t) continue;
    const then = checkIntervals(t.success ?? []);
    const otherwise = checkIntervals(t.failure ?? []);
    for (const k of then.puts) {
      if (puts.has(k) || intersects(dels, k)) throw errDuplicateKey();
      puts.add(k);
    }
    for (const k of otherwise.puts) {
      if (puts.has(k) && !then.puts.has(k)) throw errDuplicateKey();
      if (intersects(dels, k)) throw errDuplicateKey();
      puts.add(k);
    }
    dels.push(...then.dels, ...otherwise.dels);
  }
  for (const op of reqs) {
    const p = op.requestPut;
    if (!p) continue;
    const k = keyString(p.key);
    if (puts.has(k) || intersects(dels, k)) throw errDuplicateKey();
    puts.add(k);
  }
  return { puts, dels };
}
