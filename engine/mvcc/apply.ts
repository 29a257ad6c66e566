/**
 * What each write request does, computed inside a batch (see batch-view.ts): the revisions it
 * takes, the changes it makes and the answer it will get once the batch is durable. Mirrors
 * etcd's applierV3backend (Put, DeleteRange, Txn, Compaction, LeaseGrant, LeaseRevoke) for one
 * member. A request that fails leaves no trace in the batch.
 */
import type { Change } from '../backend/backend.ts';
import { TxnScope, type BatchView } from './batch-view.ts';
import { ByteArena } from './byte-arena.ts';
import {
  errCompacted,
  errFutureRev,
  errKeyNotFound,
  errLeaseExists,
  errLeaseNotFound,
  errLeaseTtlTooLarge,
} from './errors.ts';
import { keyString, toSpan } from './key-range.ts';
import { MAX_LEASE_TTL_SEC } from './lessor.ts';
import { engineLimit, shapeRange } from './range.ts';
import type {
  Compare,
  DeleteRangeRequest,
  DeleteRangeResponse,
  KeyValue,
  LeaseGrantResponse,
  PutRequest,
  PutResponse,
  RangeRequest,
  RangeResponse,
  RequestOp,
  ResponseHeader,
  ResponseOp,
  TxnRequest,
  TxnResponse,
} from './types.ts';

const EMPTY = Buffer.alloc(0);

/** Builds a response header at a revision. */
export type HeaderAt = (revision: number) => ResponseHeader;

/** Where kept keys and values are copied (see byte-arena.ts). */
const kept = new ByteArena();

/** A copy of a caller's bytes: requests may reuse their buffers after the call returns. */
function own(b: Buffer | undefined): Buffer {
  return kept.copy(b);
}

/** Checks a put against the current value; returns the kv it writes. */
function putValue(v: BatchView, req: PutRequest, prev: KeyValue | undefined, main: number, key: Buffer): KeyValue {
  if ((req.ignoreValue || req.ignoreLease) && prev === undefined) throw errKeyNotFound();
  const lease = req.ignoreLease ? prev!.lease : (req.lease ?? 0);
  if (!req.ignoreLease && lease !== 0 && !v.leaseExists(lease)) throw errLeaseNotFound();
  return {
    key: prev !== undefined ? prev.key : key,
    createRevision: prev !== undefined ? prev.createRevision : main,
    modRevision: main,
    version: prev !== undefined ? prev.version + 1 : 1,
    value: req.ignoreValue ? prev!.value : own(req.value),
    lease,
  };
}

/**
 * A top-level Put. Synchronous when the engine answers point reads synchronously (the memory
 * engine): the hot path then costs no promise and no microtask per request.
 */
export function applyPut(v: BatchView, req: PutRequest, headerAt: HeaderAt): PutResponse | Promise<PutResponse> {
  const k = keyString(req.key);
  const prev = v.get(k, req.key);
  if (prev instanceof Promise) return prev.then((p) => finishPut(v, req, k, p, headerAt));
  return finishPut(v, req, k, prev, headerAt);
}

function finishPut(v: BatchView, req: PutRequest, k: string, prev: KeyValue | undefined, headerAt: HeaderAt): PutResponse {
  const main = v.rev + 1;
  const kv = putValue(v, req, prev, main, prev === undefined ? own(req.key) : prev.key);
  v.record(k, { type: 'put', main, sub: 0, kv }, prev);
  v.rev = main;
  return req.prevKv && prev !== undefined ? { header: headerAt(main), prevKv: prev } : { header: headerAt(main) };
}

/** A top-level DeleteRange. */
export async function applyDelete(v: BatchView, req: DeleteRangeRequest, headerAt: HeaderAt): Promise<DeleteRangeResponse> {
  const scope = new TxnScope(v, v.rev + 1);
  const res = await deleteIn(scope, req, headerAt);
  scope.commitInto();
  res.header = headerAt(v.rev);
  return res;
}

async function deleteIn(s: TxnScope, req: DeleteRangeRequest, headerAt: HeaderAt): Promise<DeleteRangeResponse> {
  const span = toSpan(req.key, req.rangeEnd);
  const victims: { k: string; kv: KeyValue }[] = [];
  if (span.end === undefined) {
    const kv = await s.get(span.start, req.key);
    if (kv !== undefined) victims.push({ k: span.start, kv });
  } else {
    victims.push(...(await s.rangeAll(span, req.key, req.rangeEnd)));
  }
  for (const { k, kv } of victims) {
    s.record(k, { type: 'delete', main: s.main, sub: s.changes.length, key: kv.key }, kv);
  }
  return {
    header: headerAt(s.rev),
    deleted: victims.length,
    prevKvs: req.prevKv ? victims.map((x) => x.kv) : [],
  };
}

async function putIn(s: TxnScope, req: PutRequest, headerAt: HeaderAt): Promise<PutResponse> {
  const k = keyString(req.key);
  const prev = await s.get(k, req.key);
  const kv = putValue(s.batch, req, prev, s.main, prev === undefined ? own(req.key) : prev.key);
  // A key put twice in one txn (possible across nested txns) keeps its first creation.
  s.record(k, { type: 'put', main: s.main, sub: s.changes.length, kv }, prev);
  return req.prevKv && prev !== undefined ? { header: headerAt(s.main), prevKv: prev } : { header: headerAt(s.main) };
}

async function rangeIn(s: TxnScope, req: RangeRequest, headerAt: HeaderAt): Promise<RangeResponse> {
  const v = s.batch;
  const header = headerAt(s.rev);
  if (req.revision && req.revision > 0) {
    // Historical read (the pipeline put this txn first in its batch: the engine is current).
    const r = await v.backend.range({ key: req.key, rangeEnd: req.rangeEnd, revision: req.revision, limit: engineLimit(req), countOnly: req.countOnly });
    return shapeRange(req, r.kvs, r.count, header);
  }
  const span = toSpan(req.key, req.rangeEnd);
  if (span.end === undefined) {
    const kv = await s.get(span.start, req.key);
    return shapeRange(req, kv === undefined ? [] : [kv], kv === undefined ? 0 : 1, header);
  }
  const all = await s.rangeAll(span, req.key, req.rangeEnd);
  return shapeRange(req, all.map((x) => x.kv), all.length, header);
}

/** etcd's compareKV: the kv (or the zero kv for a missing key) against the compare. */
function compareKv(c: Compare, kv: KeyValue | undefined): boolean {
  let r: number;
  switch (c.target ?? 'VERSION') {
    case 'VALUE':
      r = Buffer.compare(kv?.value ?? EMPTY, c.value ?? EMPTY);
      break;
    case 'VERSION':
      r = (kv?.version ?? 0) - (c.version ?? 0);
      break;
    case 'CREATE':
      r = (kv?.createRevision ?? 0) - (c.createRevision ?? 0);
      break;
    case 'MOD':
      r = (kv?.modRevision ?? 0) - (c.modRevision ?? 0);
      break;
    case 'LEASE':
      r = (kv?.lease ?? 0) - (c.lease ?? 0);
      break;
  }
  switch (c.result ?? 'EQUAL') {
    case 'EQUAL':
      return r === 0;
    case 'NOT_EQUAL':
      return r !== 0;
    case 'GREATER':
      return r > 0;
    case 'LESS':
      return r < 0;
  }
}

async function compareHolds(s: TxnScope, c: Compare): Promise<boolean> {
  const span = toSpan(c.key ?? EMPTY, c.rangeEnd);
  let kvs: KeyValue[];
  if (span.end === undefined) {
    const kv = c.key === undefined || c.key.length === 0 ? undefined : await s.get(span.start, c.key);
    kvs = kv === undefined ? [] : [kv];
  } else {
    kvs = (await s.rangeAll(span, c.key, c.rangeEnd)).map((x) => x.kv);
  }
  // A missing key compares as etcd's zero KeyValue, except on its value.
  if (kvs.length === 0) return (c.target ?? 'VERSION') === 'VALUE' ? false : compareKv(c, undefined);
  for (const kv of kvs) if (!compareKv(c, kv)) return false;
  return true;
}

/** Rejects historical reads in a txn the way etcd's checkRequestRange does. */
function checkRanges(ops: RequestOp[], currentRev: number, compactRev: number): void {
  for (const op of ops) {
    const r = op.requestRange?.revision;
    if (r !== undefined && r > 0) {
      if (r > currentRev) throw errFutureRev();
      if (r < compactRev) throw errCompacted();
    }
  }
}

async function txnIn(s: TxnScope, req: TxnRequest, headerAt: HeaderAt): Promise<TxnResponse> {
  let succeeded = true;
  for (const c of req.compare ?? []) {
    if (!(await compareHolds(s, c))) {
      succeeded = false;
      break;
    }
  }
  const ops = (succeeded ? req.success : req.failure) ?? [];
  checkRanges(ops, s.batch.rev, s.batch.compactRev);
  const responses: ResponseOp[] = [];
  for (const op of ops) {
    if (op.requestRange) responses.push({ responseRange: await rangeIn(s, op.requestRange, headerAt) });
    else if (op.requestPut) responses.push({ responsePut: await putIn(s, op.requestPut, headerAt) });
    else if (op.requestDeleteRange) responses.push({ responseDeleteRange: await deleteIn(s, op.requestDeleteRange, headerAt) });
    else if (op.requestTxn) responses.push({ responseTxn: await txnIn(s, op.requestTxn, headerAt) });
  }
  return { header: headerAt(s.rev), succeeded, responses };
}

/** A top-level Txn (also used, on a view with no writes, for read-only txns). */
export async function applyTxn(v: BatchView, req: TxnRequest, headerAt: HeaderAt): Promise<TxnResponse> {
  const scope = new TxnScope(v, v.rev + 1);
  const res = await txnIn(scope, req, headerAt);
  scope.commitInto();
  res.header = headerAt(v.rev);
  return res;
}

/** LeaseGrant: `minTtlSec` raises short TTLs as etcd does. */
export function applyLeaseGrant(
  v: BatchView,
  ttlSec: number,
  id: number,
  minTtlSec: number,
  headerAt: HeaderAt,
): LeaseGrantResponse {
  if (ttlSec > MAX_LEASE_TTL_SEC) throw errLeaseTtlTooLarge();
  const ttl = Math.max(ttlSec, minTtlSec);
  const leaseId = id !== 0 ? id : v.leases.pickId((x) => v.leaseOverlay.has(x));
  if (v.leaseExists(leaseId)) throw errLeaseExists();
  const rec = { id: leaseId, ttlSec: ttl };
  v.leaseGrants.push(rec);
  v.leaseOverlay.set(leaseId, rec);
  return { header: headerAt(v.rev), id: leaseId, ttl };
}

/** LeaseRevoke: deletes the attached keys in one revision. */
export async function applyLeaseRevoke(v: BatchView, id: number, headerAt: HeaderAt): Promise<{ header: ResponseHeader }> {
  if (!v.leaseExists(id)) throw errLeaseNotFound();
  const keys = (await v.backend.leaseKeys(id)).map((key) => ({ key, k: keyString(key) }));
  keys.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  const scope = new TxnScope(v, v.rev + 1);
  for (const { key, k } of keys) {
    const kv = await scope.get(k, key);
    if (kv === undefined || kv.lease !== id) continue;
    const c: Change = { type: 'delete', main: scope.main, sub: scope.changes.length, key: kv.key };
    scope.record(k, c, kv);
  }
  scope.commitInto();
  v.leaseRevokes.push(id);
  v.leaseOverlay.set(id, null);
  return { header: headerAt(v.rev) };
}

/** Compaction: checks the revision and marks the batch. */
export function applyCompact(v: BatchView, revision: number, headerAt: HeaderAt): { header: ResponseHeader } {
  const compactedTo = v.compact ?? v.compactRev;
  if (revision <= compactedTo) throw errCompacted();
  if (revision > v.rev) throw errFutureRev();
  v.compact = revision;
  return { header: headerAt(v.rev) };
}
