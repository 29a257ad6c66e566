/**
 * The noop server's data (`noop-server.ts`): the latest value of each key in a Map, a sorted key
 * index for ranges, a revision counter and the compacted revision. No history, no durability, no
 * limits. Requests and answers are the real store's types (`engine/mvcc/types.ts`), so the KV
 * service's hand-written codec (`../codec/`) decodes and encodes them as it does for serve.
 *
 * The index is kept lazily: a new key goes into `unsorted` (a Set, O(1)) and is merged into
 * `sorted` only when a range or a range delete needs the order. Put-only load (the `put` shape of
 * `bench:serve`, 55k new keys) thus never pays an O(n) splice per insert; ranges pay one sort of
 * the keys added since the last one plus one linear merge.
 */
import { errCompacted, errFutureRev } from '../../../engine/mvcc/errors.ts';
import type {
  Compare,
  CompactionRequest,
  CompactionResponse,
  DeleteRangeRequest,
  DeleteRangeResponse,
  KeyValue,
  MvccEvent,
  PutRequest,
  PutResponse,
  RangeRequest,
  RangeResponse,
  RequestOp,
  ResponseHeader,
  ResponseOp,
  TxnRequest,
  TxnResponse,
} from '../../../engine/mvcc/types.ts';
import { throwDeferred } from '../codec/request-tags.ts';

const EMPTY: Buffer = Buffer.alloc(0);
const STALE = Buffer.from('stale:');

/** Faults to plant, so tests can show a check catching a server that misbehaves. */
export interface NoopFaults {
  /** Single-key Ranges of keys matching this answer a value with `stale:` in front. */
  readonly staleGet?: RegExp;
}

/** Told of every change while someone watches; `header` is shared by a change's events. */
export type ChangeListener = (header: ResponseHeader, event: MvccEvent) => void;

/** A range end of "\0": every key from `key` on. */
const toTheEnd = (end: Buffer): boolean => end.length === 1 && end[0] === 0;

/** A `Buffer` key as a Map key: latin1 strings compare as their bytes. */
const idOf = (key: Buffer): string => key.toString('latin1');

/** See the file comment. */
export class NoopStore {
  revision = 1;
  compacted = 0;
  /** Called for every change when set (the Watch service sets it while watches exist). */
  onChange: ChangeListener | undefined;
  private readonly kvs = new Map<string, KeyValue>();
  /** Indexed keys in byte order. */
  private sorted: string[] = [];
  /** Keys added since `sorted` was last brought up to date. */
  private readonly unsorted = new Set<string>();

  constructor(private readonly faults: NoopFaults = {}) {}

  header(): ResponseHeader {
    return { clusterId: 1, memberId: 1, revision: this.revision, raftTerm: 1 };
  }

  range(r: RangeRequest): RangeResponse {
    throwDeferred(r);
    const rev = r.revision ?? 0;
    if (rev > 0 && rev < this.compacted) throw errCompacted();
    if (rev > this.revision) throw errFutureRev();
    const end = r.rangeEnd ?? EMPTY;
    if (end.length === 0) {
      const id = idOf(r.key);
      let kv = this.kvs.get(id);
      if (kv !== undefined && this.faults.staleGet?.test(id)) kv = { ...kv, value: Buffer.concat([STALE, kv.value]) };
      return { header: this.header(), kvs: kv ? [kv] : [], count: kv ? 1 : 0, more: false };
    }
    const [from, to] = this.bounds(r.key, end);
    const count = to - from;
    const limit = r.limit && r.limit > 0 ? Math.min(r.limit, count) : count;
    const kvs: KeyValue[] = new Array<KeyValue>(limit);
    for (let i = 0; i < limit; i++) kvs[i] = this.kvs.get(this.sorted[from + i]!)!;
    return { header: this.header(), kvs, count, more: count > limit };
  }

  put(r: PutRequest): PutResponse {
    const rev = ++this.revision;
    const id = idOf(r.key);
    const prev = this.kvs.get(id);
    const kv: KeyValue = { key: r.key, value: r.value ?? EMPTY, createRevision: prev?.createRevision ?? rev, modRevision: rev, version: (prev?.version ?? 0) + 1, lease: 0 };
    if (prev === undefined) this.unsorted.add(id);
    this.kvs.set(id, kv);
    const header = this.header();
    this.onChange?.(header, { type: 'PUT', kv });
    return r.prevKv && prev !== undefined ? { header, prevKv: prev } : { header };
  }

  deleteRange(r: DeleteRangeRequest): DeleteRangeResponse {
    const end = r.rangeEnd ?? EMPTY;
    const gone: KeyValue[] = [];
    if (end.length === 0) {
      const id = idOf(r.key);
      const kv = this.kvs.get(id);
      if (kv !== undefined) {
        gone.push(kv);
        this.kvs.delete(id);
        if (!this.unsorted.delete(id)) this.sorted.splice(this.lowerBound(id), 1);
      }
    } else {
      const [from, to] = this.bounds(r.key, end);
      for (let i = from; i < to; i++) {
        const id = this.sorted[i]!;
        gone.push(this.kvs.get(id)!);
        this.kvs.delete(id);
      }
      this.sorted.splice(from, to - from);
    }
    if (gone.length > 0) this.revision++;
    const header = this.header();
    if (this.onChange !== undefined) {
      for (const kv of gone) this.onChange(header, { type: 'DELETE', kv: { key: kv.key, value: EMPTY, createRevision: 0, modRevision: this.revision, version: 0, lease: 0 } });
    }
    return { header, deleted: gone.length, prevKvs: r.prevKv ? gone : [] };
  }

  txn(r: TxnRequest): TxnResponse {
    throwDeferred(r);
    const ok = (r.compare ?? []).every((c) => this.holds(c));
    const ops = (ok ? r.success : r.failure) ?? [];
    const responses: ResponseOp[] = new Array<ResponseOp>(ops.length);
    for (let i = 0; i < ops.length; i++) responses[i] = this.apply(ops[i]!);
    return { header: this.header(), succeeded: ok, responses };
  }

  /** Records `r.revision` as compacted; etcd's errors for a future or already compacted one. */
  compact(r: CompactionRequest): CompactionResponse {
    if (r.revision > this.revision) throw errFutureRev();
    if (r.revision <= this.compacted) throw errCompacted();
    this.compacted = r.revision;
    return { header: this.header() };
  }

  private apply(op: RequestOp): ResponseOp {
    if (op.requestPut) return { responsePut: this.put(op.requestPut) };
    if (op.requestRange) return { responseRange: this.range(op.requestRange) };
    if (op.requestDeleteRange) return { responseDeleteRange: this.deleteRange(op.requestDeleteRange) };
    // Decoding refused an op with no request (throwDeferred above), so this is a nested txn.
    return { responseTxn: this.txn(op.requestTxn ?? {}) };
  }

  /** A compare on the key's latest state (a missing key: version and revisions 0, no value). */
  private holds(c: Compare): boolean {
    const kv = this.kvs.get(idOf(c.key));
    let d: number;
    switch (c.target) {
      case 'VERSION': d = (kv?.version ?? 0) - (c.version ?? 0); break;
      case 'CREATE': d = (kv?.createRevision ?? 0) - (c.createRevision ?? 0); break;
      case 'MOD': d = (kv?.modRevision ?? 0) - (c.modRevision ?? 0); break;
      case 'LEASE': d = (kv?.lease ?? 0) - (c.lease ?? 0); break;
      case 'VALUE':
        if (kv === undefined) return false;
        d = Buffer.compare(kv.value, c.value ?? EMPTY);
        break;
    }
    switch (c.result) {
      case 'EQUAL': return d === 0;
      case 'GREATER': return d > 0;
      case 'LESS': return d < 0;
      case 'NOT_EQUAL': return d !== 0;
    }
  }

  /** First index in `sorted` whose key is ≥ `id`. */
  private lowerBound(id: string): number {
    const s = this.sorted;
    let lo = 0;
    let hi = s.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (s[mid]! < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index bounds [from, to) in `sorted` of the keys in [key, end), `sorted` brought up to date first. */
  private bounds(key: Buffer, end: Buffer): [number, number] {
    this.index();
    const from = this.lowerBound(idOf(key));
    const to = toTheEnd(end) ? this.sorted.length : this.lowerBound(idOf(end));
    return [from, Math.max(from, to)];
  }

  /** Merges the keys added since the last call into `sorted`. */
  private index(): void {
    if (this.unsorted.size === 0) return;
    const added = [...this.unsorted].sort();
    this.unsorted.clear();
    const old = this.sorted;
    const merged = new Array<string>(old.length + added.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < old.length && j < added.length) merged[k++] = old[i]! < added[j]! ? old[i++]! : added[j++]!;
    while (i < old.length) merged[k++] = old[i++]!;
    while (j < added.length) merged[k++] = added[j++]!;
    this.sorted = merged;
  }
}
