/**
 * The commit pipeline (group commit). Every write request is queued; one loop takes everything
 * queued as a batch, applies the requests one after another to a batch view (each sees the
 * ones before it), hands the batch to the engine once (`Backend.commit`: durable, then visible),
 * lets the store publish the new revision and notify watchers, and only then answers the
 * requests, in order. While the engine syncs, new requests queue up and form the next batch,
 * so one fsync is shared by as many writers as are waiting.
 *
 * Barriers: a request that reads a key range (a DeleteRange over a range, a Txn with range
 * compares or reads, a lease revoke) only joins a batch that has no key changes yet, so it can
 * read the engine directly instead of merging a large overlay; a compaction travels alone.
 *
 *   queue:  put a | put b | del [c,d) | put e | compact 5 | put f
 *   batch1: put a, put b             (del [c,d) is a barrier: the overlay is not empty)
 *   batch2: del [c,d), put e
 *   batch3: compact 5
 *   batch4: put f
 */
import type { Backend, CommitBatch } from '../backend/backend.ts';
import {
  applyCompact,
  applyDelete,
  applyLeaseGrant,
  applyLeaseRevoke,
  applyPut,
  applyTxn,
  type HeaderAt,
} from './apply.ts';
import { BatchView } from './batch-view.ts';
import { EtcdError } from './errors.ts';
import type { LeaseTable } from './lessor.ts';
import type { DeleteRangeRequest, PutRequest, TxnRequest } from './types.ts';

/**
 * Most requests in one batch: bounds the size of one log record and the wait of the first
 * request in a very long queue.
 */
export const MAX_BATCH_REQUESTS = 10_000;

/** Engines that take the latin1 key of each change along with the batch (the memory engine). */
interface KeyedCommit {
  commitKeyed(batch: CommitBatch, keys: readonly string[]): Promise<void>;
}

/** A queued write request. */
export type WriteRequest =
  | { kind: 'put'; req: PutRequest }
  | { kind: 'delete'; req: DeleteRangeRequest }
  | { kind: 'txn'; req: TxnRequest }
  | { kind: 'leaseGrant'; ttlSec: number; id: number }
  | { kind: 'leaseRevoke'; id: number }
  | { kind: 'compact'; revision: number };

interface Job {
  w: WriteRequest;
  /** Must start a batch that has no key changes yet. */
  barrier: boolean;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
  result: unknown;
  error: unknown;
  failed: boolean;
}

/** What the pipeline needs from the store. */
export interface PipelineHost {
  readonly backend: Backend;
  readonly leases: LeaseTable;
  readonly minLeaseTtlSec: number;
  readonly headerAt: HeaderAt;
  /** Committed revision. */
  revision(): number;
  compactRevision(): number;
  /** The batch is durable: publish it (revision, leases, watchers) before answers go out. */
  committed(view: BatchView, batch: CommitBatch): void;
}

/** Keys a batch will read one at a time: puts, single-key deletes, txn compares and ops. */
function pointReads(queue: Job[], from: number, to: number): Buffer[] {
  const keys: Buffer[] = [];
  const single = (r: { key: Buffer; rangeEnd?: Buffer }): void => {
    if (r.rangeEnd === undefined || r.rangeEnd.length === 0) keys.push(r.key);
  };
  for (let i = from; i < to; i++) {
    const w = queue[i].w;
    if (w.kind === 'put') keys.push(w.req.key);
    else if (w.kind === 'delete') single(w.req);
    else if (w.kind === 'txn') {
      for (const c of w.req.compare ?? []) single(c);
      for (const op of [...(w.req.success ?? []), ...(w.req.failure ?? [])]) {
        if (op.requestPut) keys.push(op.requestPut.key);
        else if (op.requestRange) single(op.requestRange);
        else if (op.requestDeleteRange) single(op.requestDeleteRange);
      }
    }
  }
  return keys;
}

/** The queue and the batch loop (see the file comment). */
export class CommitPipeline {
  /** Queued jobs from `head` on (a moving head: taking a batch does not copy the queue). */
  private queue: Job[] = [];
  private head = 0;
  private running = false;
  private broken: EtcdError | undefined;
  private idle: (() => void)[] = [];
  private readonly runLoop = (): void => {
    void this.run();
  };

  private readonly keyed: KeyedCommit | undefined;

  constructor(private readonly host: PipelineHost) {
    const candidate = host.backend as Partial<KeyedCommit>;
    this.keyed = typeof candidate.commitKeyed === 'function' ? (host.backend as unknown as KeyedCommit) : undefined;
  }

  /** Queues a write; resolves with its response once the batch holding it is durable. */
  submit<T>(w: WriteRequest, barrier: boolean): Promise<T> {
    if (this.broken !== undefined) return Promise.reject(this.broken);
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ w, barrier, resolve: resolve as (v: unknown) => void, reject, result: undefined, error: undefined, failed: false });
      if (!this.running) {
        this.running = true;
        // setImmediate rather than a microtask: requests that arrive in the same I/O phase
        // (one socket read carrying many gRPC calls) join the first batch.
        setImmediate(this.runLoop);
      }
    });
  }

  /** Resolves once every queued request has been answered. */
  drain(): Promise<void> {
    if (!this.running && this.queue.length === this.head) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Applies one request to the batch; synchronous where the request and engine allow. */
  private exec(v: BatchView, w: WriteRequest): unknown {
    const h = this.host;
    switch (w.kind) {
      case 'put':
        return applyPut(v, w.req, h.headerAt);
      case 'delete':
        return applyDelete(v, w.req, h.headerAt);
      case 'txn':
        return applyTxn(v, w.req, h.headerAt);
      case 'leaseGrant':
        return applyLeaseGrant(v, w.ttlSec, w.id, h.minLeaseTtlSec, h.headerAt);
      case 'leaseRevoke':
        return applyLeaseRevoke(v, w.id, h.headerAt);
      case 'compact':
        return applyCompact(v, w.revision, h.headerAt);
    }
  }

  private async run(): Promise<void> {
    const h = this.host;
    try {
      while (this.queue.length > this.head) {
        const queue = this.queue;
        const first = this.head;
        // Requests that arrive while this batch is applied wait for the next one.
        const end = Math.min(queue.length, first + MAX_BATCH_REQUESTS);
        const v = new BatchView(h.backend, h.revision(), h.compactRevision(), h.leases);
        if (h.backend.prefetch !== undefined) await h.backend.prefetch(pointReads(queue, first, end), v.baseRev);
        let n = first;
        for (; n < end; n++) {
          const job = queue[n];
          if (n > first && (job.w.kind === 'compact' || v.compact !== undefined || (job.barrier && v.changes.length > 0))) break;
          try {
            const r = this.exec(v, job.w);
            job.result = r instanceof Promise ? await r : r;
          } catch (err) {
            job.failed = true;
            job.error = err;
          }
        }
        const done = queue.slice(first, n);
        this.head = n;
        if (this.head === queue.length) {
          this.queue = [];
          this.head = 0;
        } else if (this.head > 4096 && this.head * 2 > queue.length) {
          this.queue = queue.slice(this.head);
          this.head = 0;
        }
        if (!v.empty) {
          const batch: CommitBatch = {
            revision: v.rev,
            changes: v.changes,
            leaseGrants: v.leaseGrants,
            leaseRevokes: v.leaseRevokes,
            requests: done.length,
          };
          if (v.compact !== undefined) batch.compact = v.compact;
          try {
            if (this.keyed !== undefined) await this.keyed.commitKeyed(batch, v.keys);
            else await h.backend.commit(batch);
          } catch (err) {
            this.fail(err, done);
            return;
          }
          h.committed(v, batch);
        }
        for (const job of done) {
          if (job.failed) job.reject(job.error);
          else job.resolve(job.result);
        }
      }
    } finally {
      this.running = false;
      const idle = this.idle;
      this.idle = [];
      for (const resolve of idle) resolve();
    }
  }

  /**
   * The engine could not make a batch durable: its state is unknown from here on, so every
   * pending and future write fails (as etcd stops when its WAL cannot be written).
   */
  private fail(cause: unknown, done: Job[]): void {
    this.broken = new EtcdError('INTERNAL', `etcdserver: commit failed: ${(cause as Error).message}`, { cause });
    const pending = done.concat(this.queue.slice(this.head));
    this.queue = [];
    this.head = 0;
    for (const job of pending) job.reject(this.broken);
  }
}
