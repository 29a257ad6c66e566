/**
 * The commit pipeline (group commit). Every write request is queued; one loop takes everything
 * queued as a batch, applies the requests one after another to a batch view (each sees the
 * ones before it), hands the batch to the engine once (`Backend.commit`: durable, then visible),
 * lets the store publish the new revision and notify watchers, and only then answers the
 * requests, in order. While the engine syncs, new requests queue up and form the next batch,
 * so one fsync is shared by as many writers as are waiting.
 *
 * Overlap (opt-in: store option `commitOverlap: 'always'` on an engine with `concurrentCommits`,
 * the memory engine; see `CommitOverlap` for why it is off by default): the next batch is applied and
 * handed to the engine while the previous one is still being synced. It reads the keys the
 * batches below it wrote through their overlays (`BatchView` stacking), never the engine's
 * unsynced state, and batches are published and answered strictly in order, each only once it
 * is durable: a read (which asks the engine as of the published revision) never sees an
 * unacknowledged write. Only point batches stack (puts, single-key deletes, txns without range
 * reads); any other request waits until everything before it is durable. With nothing in
 * flight, half of the queue goes first, so closed-loop writers split into two groups that take
 * turns: one is applied while the other's fdatasync runs. A failed commit fails every staged
 * and queued request, and every later one.
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
  /** Overlap policy for engines with concurrent commits (see `CommitOverlap`); default `never`. */
  overlap?: CommitOverlap;
}

/**
 * Whether batches overlap on an engine with `concurrentCommits`: `always`, or `never` (one
 * commit at a time, as with any other engine). Off by default: with 64 closed-loop writers on
 * a 2-core machine it measured no faster than one commit at a time over preallocated segments
 * (two groups of 32 need twice the fdatasyncs, and CPU per put rose from ~10 to ~15 us), so it
 * stays an opt-in for machines where syncs are short next to the CPU work of a batch.
 */
export type CommitOverlap = 'always' | 'never';

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

/** Most batches handed to the engine and not yet durable at once (concurrent engines). */
export const MAX_BATCHES_IN_FLIGHT = 8;

/** A batch handed to the engine (or an empty one), waiting for its turn to be answered. */
interface Staged {
  v: BatchView;
  /** Undefined when the batch changed nothing (nothing to commit; answered in its turn). */
  batch: CommitBatch | undefined;
  jobs: Job[];
  /** Every request in it is a point request (see `isPoint`). */
  point: boolean;
  durable: boolean;
}


/**
 * A request that only reads and writes single keys and only reads the lease table: a put, a
 * single-key delete, a txn without range reads. Only such batches are stacked on a batch that
 * is not yet durable; anything else (ranges, leases granted or revoked, compaction) waits until
 * every earlier batch is durable and makes later batches wait for it.
 */
function isPoint(job: Job): boolean {
  const k = job.w.kind;
  return !job.barrier && (k === 'put' || k === 'delete' || k === 'txn');
}

/** The queue and the batch loop (see the file comment). */
export class CommitPipeline {
  /** Queued jobs from `head` on (a moving head: taking a batch does not copy the queue). */
  private queue: Job[] = [];
  private head = 0;
  private running = false;
  private broken: EtcdError | undefined;
  private idle: (() => void)[] = [];
  /** Batches handed to the engine, oldest first, answered strictly in this order. */
  private inflight: Staged[] = [];
  /** Non-point batches in `inflight`. */
  private inflightBarriers = 0;
  /** The loop waiting for the oldest staged batch to be answered. */
  private settledWaiter: (() => void) | undefined;

  private readonly runLoop = (): void => {
    void this.run();
  };

  /** The engine takes a batch before the previous one is durable (`Backend.concurrentCommits`). */
  private readonly concurrent: boolean;

  constructor(private readonly host: PipelineHost) {
    this.concurrent = host.backend.concurrentCommits === true && host.overlap === 'always';
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
    if (!this.running && this.queue.length === this.head && this.inflight.length === 0) return Promise.resolve();
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

  /**
   * Whether the next batch must wait for staged ones: always with an engine that takes one
   * commit at a time; with a concurrent one, when the next request is not a point request, a
   * non-point batch is in flight, or enough batches already are.
   */
  private mustWait(): boolean {
    if (this.inflight.length === 0) return false;
    if (!this.concurrent || this.inflightBarriers > 0 || this.inflight.length >= MAX_BATCHES_IN_FLIGHT) return true;
    return !isPoint(this.queue[this.head]);
  }

  private async run(): Promise<void> {
    const h = this.host;
    try {
      while (this.queue.length > this.head && this.broken === undefined) {
        if (this.mustWait()) {
          await new Promise<void>((resolve) => (this.settledWaiter = resolve));
          continue;
        }
        const queue = this.queue;
        const first = this.head;
        // Requests that arrive while this batch is applied wait for the next one. With nothing
        // in flight, an overlapping engine gets half of the queue first: its sync then starts
        // while the other half is applied (writers waiting in closed loops split into two
        // groups that take turns, each applied while the other's sync runs).
        const waiting = queue.length - first;
        const take = this.concurrent && this.inflight.length === 0 && waiting > 1 ? Math.ceil(waiting / 2) : waiting;
        const end = Math.min(queue.length, first + take, first + MAX_BATCH_REQUESTS);
        const below = this.inflight.at(-1)?.v;
        const v = new BatchView(h.backend, below === undefined ? h.revision() : below.baseRev, h.compactRevision(), h.leases, below);
        if (h.backend.prefetch !== undefined) await h.backend.prefetch(pointReads(queue, first, end), v.baseRev);
        let n = first;
        let point = true;
        for (; n < end; n++) {
          const job = queue[n];
          if (n > first && (job.w.kind === 'compact' || v.compact !== undefined || (job.barrier && v.changes.length > 0))) break;
          // Over a batch that is not yet durable, only point requests (see isPoint).
          if (v.stacked && !isPoint(job)) break;
          if (!isPoint(job)) point = false;
          try {
            const r = this.exec(v, job.w);
            job.result = r instanceof Promise ? await r : r;
          } catch (err) {
            job.failed = true;
            job.error = err;
          }
        }
        const jobs = queue.slice(first, n);
        this.head = n;
        if (this.head === queue.length) {
          this.queue = [];
          this.head = 0;
        } else if (this.head > 4096 && this.head * 2 > queue.length) {
          this.queue = queue.slice(this.head);
          this.head = 0;
        }
        this.stage(v, jobs, point);
      }
    } finally {
      this.running = false;
      this.wakeIdle();
    }
  }

  /** Hands a batch to the engine (if it changed anything) and queues it to be answered. */
  private stage(v: BatchView, jobs: Job[], point: boolean): void {
    const s: Staged = { v, batch: undefined, jobs, point, durable: true };
    this.inflight.push(s);
    if (!point) this.inflightBarriers++;
    if (!v.empty) {
      const batch: CommitBatch = {
        revision: v.rev,
        changes: v.changes,
        leaseGrants: v.leaseGrants,
        leaseRevokes: v.leaseRevokes,
        requests: jobs.length,
      };
      if (v.compact !== undefined) batch.compact = v.compact;
      s.batch = batch;
      s.durable = false;
      let p: Promise<void>;
      try {
        const backend = this.host.backend;
        p = backend.commitKeyed !== undefined ? backend.commitKeyed(batch, v.keys) : backend.commit(batch);
      } catch (err) {
        p = Promise.reject(err);
      }
      p.then(
        () => {
          s.durable = true;
          this.settle();
        },
        (err: unknown) => this.fail(err),
      );
    } else {
      this.settle();
    }
  }

  /**
   * Publishes and answers staged batches from the oldest on, as far as they are durable: a
   * batch's revision becomes visible, and its requests are answered, only after every earlier
   * batch's.
   */
  private settle(): void {
    if (this.broken !== undefined) return;
    while (this.inflight.length > 0 && this.inflight[0].durable) {
      const s = this.inflight.shift()!;
      if (!s.point) this.inflightBarriers--;
      if (s.batch !== undefined) this.host.committed(s.v, s.batch);
      // The engine now has everything up to this batch: the next one reads it there.
      this.inflight[0]?.v.rebase(s.batch?.revision ?? s.v.baseRev);
      for (const job of s.jobs) {
        if (job.failed) job.reject(job.error);
        else job.resolve(job.result);
      }
    }
    const waiter = this.settledWaiter;
    this.settledWaiter = undefined;
    waiter?.();
    this.wakeIdle();
  }

  private wakeIdle(): void {
    if (this.running || this.inflight.length > 0 || this.queue.length > this.head) return;
    const idle = this.idle;
    this.idle = [];
    for (const resolve of idle) resolve();
  }

  /**
   * The engine could not make a batch durable: its state is unknown from here on, so every
   * staged, pending and future write fails (as etcd stops when its WAL cannot be written).
   */
  private fail(cause: unknown): void {
    if (this.broken !== undefined) return;
    this.broken = new EtcdError('INTERNAL', `etcdserver: commit failed: ${(cause as Error).message}`, { cause });
    const pending = this.inflight.flatMap((s) => s.jobs).concat(this.queue.slice(this.head));
    this.inflight = [];
    this.inflightBarriers = 0;
    this.queue = [];
    this.head = 0;
    for (const job of pending) job.reject(this.broken);
    const waiter = this.settledWaiter;
    this.settledWaiter = undefined;
    waiter?.();
    this.wakeIdle();
  }
}
