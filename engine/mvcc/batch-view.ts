/**
 * What one batch of the commit pipeline sees and produces. The engine holds the state as of the
 * committed revision; the batch keeps an overlay of the keys its earlier requests wrote, so a
 * later request in the same batch reads their effect (etcd applies proposals one by one; we
 * apply them one by one too, but make them durable together).
 *
 * A txn writes into a `TxnScope` layered over the batch: its own changes are visible to its
 * later operations, and are merged into the batch only when the whole txn succeeded.
 *
 * Range reads: the overlay is a hash map, so reading a key range merges the engine's range with
 * the overlay entries that fall into it. Requests that read ranges are placed at the start of a
 * batch by the pipeline (a barrier), which keeps the overlay they must merge down to their own
 * writes.
 */
import type { Backend, Change, LeaseRecord } from '../backend/backend.ts';
import { keyString, spanHas, type KeySpan } from './key-range.ts';
import type { LeaseTable } from './lessor.ts';
import type { KeyValue } from './types.ts';

/** Engines that can answer a point read synchronously (the memory engine). */
export interface SyncPointReader {
  getSync(key: string, revision: number): KeyValue | undefined;
}

/** The engine as a synchronous point reader, if it is one. */
export function syncReader(backend: Backend): SyncPointReader | undefined {
  const candidate = backend as Partial<SyncPointReader>;
  return typeof candidate.getSync === 'function' ? (backend as unknown as SyncPointReader) : undefined;
}

/** Reads the newest value of a key inside a batch (overlay first, then the engine). */
export interface KeyReader {
  get(k: string, key: Buffer): KeyValue | undefined | Promise<KeyValue | undefined>;
}

/** The changes made by one batch, plus what the watch hub needs to notify. */
export class BatchView implements KeyReader {
  /** Revision after the requests applied so far in this batch. */
  rev: number;
  readonly overlay = new Map<string, KeyValue | null>();
  readonly leaseOverlay = new Map<number, LeaseRecord | null>();
  readonly changes: Change[] = [];
  /** latin1 key of each change. */
  readonly keys: string[] = [];
  /** Value of each change's key before the change. */
  readonly prevs: (KeyValue | undefined)[] = [];
  readonly leaseGrants: LeaseRecord[] = [];
  readonly leaseRevokes: number[] = [];
  compact: number | undefined;
  private readonly sync: SyncPointReader | undefined;
  /** The committed revision the engine answers at (moves up in `rebase`). */
  baseRev: number;
  /**
   * A batch handed to the engine but not yet durable, whose writes this one must see (the
   * pipeline's overlap of batches, see pipeline.ts); point reads go through its overlay, and
   * its own `below`, before reaching the engine.
   */
  private below: BatchView | undefined;

  constructor(
    readonly backend: Backend,
    /** The committed revision the engine answers at (with `below`: the one `below` reads at). */
    baseRev: number,
    readonly compactRev: number,
    readonly leases: LeaseTable,
    below?: BatchView,
  ) {
    this.baseRev = baseRev;
    this.below = below;
    this.rev = below === undefined ? baseRev : below.rev;
    this.sync = syncReader(backend);
  }

  /**
   * The batch below this one is now durable and applied to the engine at `engineRev`: read the
   * engine from there on instead of its overlay (which keeps the chain from growing).
   */
  rebase(engineRev: number): void {
    this.below = undefined;
    this.baseRev = engineRev;
  }

  /** True while a not-yet-durable batch lies below this one. */
  get stacked(): boolean {
    return this.below !== undefined;
  }

  /** True when nothing was written, granted, revoked or compacted. */
  get empty(): boolean {
    return (
      this.changes.length === 0 &&
      this.leaseGrants.length === 0 &&
      this.leaseRevokes.length === 0 &&
      this.compact === undefined
    );
  }

  get(k: string, key: Buffer): KeyValue | undefined | Promise<KeyValue | undefined> {
    const o = this.overlay.get(k);
    if (o !== undefined) return o ?? undefined;
    if (this.below !== undefined) return this.below.get(k, key);
    if (this.sync !== undefined) return this.sync.getSync(k, this.baseRev);
    return this.backend.get(key, this.baseRev);
  }

  /** Records one change (already numbered) and its key's previous value. */
  record(k: string, c: Change, prev: KeyValue | undefined): void {
    this.overlay.set(k, c.type === 'put' ? c.kv : null);
    this.changes.push(c);
    this.keys.push(k);
    this.prevs.push(prev);
  }

  /** Whether a lease exists as of this point in the batch. */
  leaseExists(id: number): boolean {
    const o = this.leaseOverlay.get(id);
    if (o !== undefined) return o !== null;
    return this.leases.has(id);
  }

  /**
   * Live keys in `span` as of this point in the batch (plus `extra`, a txn's own overlay), in
   * key order, with their latin1 keys.
   */
  async rangeAll(
    span: KeySpan,
    key: Buffer,
    rangeEnd: Buffer | undefined,
    extra?: Map<string, KeyValue | null>,
  ): Promise<{ k: string; kv: KeyValue }[]> {
    // The pipeline never stacks a batch that reads ranges (it waits for the engine instead).
    if (this.below !== undefined) throw new Error('batch view: a range read over a batch that is not yet durable');
    const base = await this.backend.range({ key, rangeEnd, revision: this.baseRev, limit: 0 });
    const merged = new Map<string, KeyValue | null>();
    for (const [k, v] of this.overlay) if (spanHas(span, k)) merged.set(k, v);
    if (extra !== undefined) for (const [k, v] of extra) if (spanHas(span, k)) merged.set(k, v);
    const out: { k: string; kv: KeyValue }[] = [];
    if (merged.size === 0) {
      for (const kv of base.kvs) out.push({ k: keyString(kv.key), kv });
      return out;
    }
    for (const kv of base.kvs) {
      const k = keyString(kv.key);
      if (!merged.has(k)) out.push({ k, kv });
    }
    for (const [k, v] of merged) if (v !== null) out.push({ k, kv: v });
    out.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
    return out;
  }
}

/** A txn's writes, layered over its batch until the txn has succeeded. */
export class TxnScope implements KeyReader {
  readonly overlay = new Map<string, KeyValue | null>();
  readonly changes: Change[] = [];
  readonly keys: string[] = [];
  readonly prevs: (KeyValue | undefined)[] = [];

  constructor(
    readonly batch: BatchView,
    /** The revision this txn writes at. */
    readonly main: number,
  ) {}

  /** The revision as seen inside the txn: its own revision once it has written. */
  get rev(): number {
    return this.changes.length > 0 ? this.main : this.main - 1;
  }

  get(k: string, key: Buffer): KeyValue | undefined | Promise<KeyValue | undefined> {
    const o = this.overlay.get(k);
    if (o !== undefined) return o ?? undefined;
    return this.batch.get(k, key);
  }

  record(k: string, c: Change, prev: KeyValue | undefined): void {
    this.overlay.set(k, c.type === 'put' ? c.kv : null);
    this.changes.push(c);
    this.keys.push(k);
    this.prevs.push(prev);
  }

  rangeAll(span: KeySpan, key: Buffer, rangeEnd: Buffer | undefined): Promise<{ k: string; kv: KeyValue }[]> {
    return this.batch.rangeAll(span, key, rangeEnd, this.overlay);
  }

  /** Moves the txn's changes into the batch. */
  commitInto(): void {
    const b = this.batch;
    for (let i = 0; i < this.changes.length; i++) b.record(this.keys[i], this.changes[i], this.prevs[i]);
    if (this.changes.length > 0) b.rev = this.main;
  }
}
