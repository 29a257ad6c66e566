/**
 * Watchers and their delivery, after etcd's watchableStore: a watcher is either *synced* (it
 * has seen everything up to the committed revision and gets each new batch pushed as it
 * commits) or *unsynced* (behind: it is caught up from the engine's history in chunks, and
 * joins the synced ones when it reaches the committed revision).
 *
 * Exactly-once, in order: every watcher carries `nextRev`, the first revision it has not been
 * given. Pushes skip events below it; catch-up reads history from it and never past the
 * revision that was committed (and pushed to synced watchers) when the read began. A watcher
 * moves between the two modes only synchronously, so no batch is both pushed and replayed.
 *
 * Backpressure: a listener that returns false has accepted that notification but wants no more
 * for now; the watcher becomes unsynced and `resume()` catches it up later. Writers never wait.
 */
import type { Change } from '../backend/backend.ts';
import { ErrorMessages } from './errors.ts';
import { spanHas, toSpan, type KeySpan } from './key-range.ts';
import type { WatchHandle, WatchListener } from './kv.ts';
import type { KeyValue, MvccEvent, ResponseHeader, WatchCreateRequest, WatchNotification } from './types.ts';

const EMPTY = Buffer.alloc(0);
/** Changes read from history per catch-up step. */
const CATCH_UP_CHUNK = 1000;

/** What the hub needs from the store. */
export interface WatchSource {
  /** Committed (visible) revision. */
  revision(): number;
  compactRevision(): number;
  header(): ResponseHeader;
  history(fromRevision: number, key: Buffer, rangeEnd: Buffer | undefined, limit: number): Promise<Change[]>;
  get(key: Buffer, revision: number): Promise<KeyValue | undefined>;
  log(level: 'info' | 'warn' | 'error', message: string): void;
}

type WatcherState = 'synced' | 'catching' | 'unsynced' | 'canceled';

class Watcher implements WatchHandle {
  state: WatcherState = 'synced';
  nextRev = 0;
  readonly span: KeySpan;
  readonly noPut: boolean;
  readonly noDelete: boolean;

  constructor(
    readonly id: number,
    readonly req: WatchCreateRequest,
    readonly listener: WatchListener,
    private readonly hub: WatchHub,
  ) {
    this.span = toSpan(req.key, req.rangeEnd);
    this.noPut = req.filters?.includes('NOPUT') ?? false;
    this.noDelete = req.filters?.includes('NODELETE') ?? false;
  }

  /** Read through a getter so that type narrowing across awaits does not hide a cancel. */
  get canceled(): boolean {
    return this.state === 'canceled';
  }

  cancel(): void {
    this.hub.remove(this);
  }

  resume(): void {
    if (this.state === 'unsynced') void this.hub.catchUp(this);
  }
}

/** Builds the event a watcher sees for one change. */
export function toEvent(c: Change, prevKv: KeyValue | undefined): MvccEvent {
  if (c.type === 'put') return prevKv === undefined ? { type: 'PUT', kv: c.kv } : { type: 'PUT', kv: c.kv, prevKv };
  const kv: KeyValue = { key: c.key, createRevision: 0, modRevision: c.main, version: 0, value: EMPTY, lease: 0 };
  return prevKv === undefined ? { type: 'DELETE', kv } : { type: 'DELETE', kv, prevKv };
}

/** All watchers of one store. */
export class WatchHub {
  private readonly byKey = new Map<string, Set<Watcher>>();
  private readonly ranged = new Set<Watcher>();
  private nextId = 1;
  private total = 0;

  constructor(private readonly src: WatchSource) {}

  /** Number of live watchers. */
  get size(): number {
    return this.total;
  }

  watch(req: WatchCreateRequest, listener: WatchListener): WatchHandle {
    const w = new Watcher(this.nextId++, req, listener, this);
    const start = req.startRevision ?? 0;
    const compactRev = this.src.compactRevision();
    if (start > 0 && start < compactRev) {
      w.state = 'canceled';
      const n: WatchNotification = {
        header: this.src.header(),
        events: [],
        compactRevision: compactRev,
        canceled: true,
        cancelReason: ErrorMessages.compacted,
      };
      queueMicrotask(() => this.deliver(w, n));
      return w;
    }
    this.register(w);
    const rev = this.src.revision();
    if (start === 0 || start > rev) {
      w.nextRev = start === 0 ? rev + 1 : start;
      w.state = 'synced';
    } else {
      w.nextRev = start;
      void this.catchUp(w);
    }
    return w;
  }

  private register(w: Watcher): void {
    this.total++;
    if (w.span.end === undefined) {
      let set = this.byKey.get(w.span.start);
      if (set === undefined) {
        set = new Set();
        this.byKey.set(w.span.start, set);
      }
      set.add(w);
    } else {
      this.ranged.add(w);
    }
  }

  /** Unregisters a watcher; nothing is delivered to it afterwards. */
  remove(w: Watcher): void {
    if (w.state === 'canceled') return;
    w.state = 'canceled';
    this.total--;
    if (w.span.end === undefined) {
      const set = this.byKey.get(w.span.start);
      set?.delete(w);
      if (set?.size === 0) this.byKey.delete(w.span.start);
    } else {
      this.ranged.delete(w);
    }
  }

  /** Calls the listener; false = backed up. A throwing listener is cancelled and logged. */
  private deliver(w: Watcher, n: WatchNotification): boolean {
    try {
      return w.listener(n) !== false;
    } catch (err) {
      this.src.log('error', `watch ${w.id} listener threw, cancelling the watch: ${(err as Error).message}`);
      this.remove(w);
      return false;
    }
  }

  /**
   * Pushes a committed batch to the synced watchers. `keys[i]` is the latin1 key of
   * `changes[i]` and `prevs[i]` its value before the change.
   */
  notify(revision: number, changes: Change[], keys: string[], prevs: (KeyValue | undefined)[]): void {
    if (this.total === 0 || changes.length === 0) return;
    const pending = new Map<Watcher, MvccEvent[]>();
    const plain: (MvccEvent | undefined)[] = new Array(changes.length);
    const full: (MvccEvent | undefined)[] = new Array(changes.length);
    const offer = (w: Watcher, i: number): void => {
      const c = changes[i];
      if (w.state !== 'synced' || c.main < w.nextRev) return;
      if (c.type === 'put' ? w.noPut : w.noDelete) {
        if (!pending.has(w)) pending.set(w, []);
        return;
      }
      let ev: MvccEvent;
      if (w.req.prevKv) ev = full[i] ??= toEvent(c, prevs[i]);
      else ev = plain[i] ??= toEvent(c, undefined);
      const list = pending.get(w);
      if (list === undefined) pending.set(w, [ev]);
      else list.push(ev);
    };
    for (let i = 0; i < changes.length; i++) {
      const set = this.byKey.get(keys[i]);
      if (set !== undefined) for (const w of set) offer(w, i);
      if (this.ranged.size !== 0) for (const w of this.ranged) if (spanHas(w.span, keys[i])) offer(w, i);
    }
    if (pending.size === 0) return;
    const header = this.src.header();
    for (const [w, events] of pending) {
      if (w.state !== 'synced') continue;
      w.nextRev = revision + 1;
      if (events.length === 0) continue;
      if (!this.deliver(w, { header, events }) && w.state === 'synced') w.state = 'unsynced';
    }
  }

  /** Replays history to a watcher until it reaches the committed revision (or backs up). */
  async catchUp(w: Watcher): Promise<void> {
    if (w.state !== 'unsynced' && w.state !== 'synced') return;
    w.state = 'catching';
    try {
      let limit = CATCH_UP_CHUNK;
      for (;;) {
        if (w.state !== 'catching') return;
        if (this.compacted(w)) return;
        const rev = this.src.revision();
        if (w.nextRev > rev) {
          w.state = 'synced';
          return;
        }
        const fetched = await this.src.history(w.nextRev, w.req.key, w.req.rangeEnd, limit);
        if (w.state !== 'catching' || this.compacted(w)) return;
        let changes = fetched.filter((c) => c.main <= rev);
        let upTo = rev;
        if (fetched.length === limit && changes.length === fetched.length) {
          // The chunk may end inside a revision: hold that revision back for the next read.
          const lastMain = changes[changes.length - 1].main;
          if (changes[0].main === lastMain) {
            limit *= 2;
            continue;
          }
          changes = changes.filter((c) => c.main < lastMain);
          upTo = lastMain - 1;
        }
        limit = CATCH_UP_CHUNK;
        const events: MvccEvent[] = [];
        for (const c of changes) {
          if (c.type === 'put' ? w.noPut : w.noDelete) continue;
          let prev: KeyValue | undefined;
          if (w.req.prevKv) prev = await this.src.get(c.type === 'put' ? c.kv.key : c.key, c.main - 1);
          events.push(toEvent(c, prev));
        }
        if (w.state !== 'catching') return;
        w.nextRev = upTo + 1;
        if (events.length > 0 && !this.deliver(w, { header: this.src.header(), events })) {
          if (w.state === 'catching') w.state = 'unsynced';
          return;
        }
      }
    } catch (err) {
      // Cancelled meanwhile (or the store is closing): the failed read concerns nobody.
      if (w.canceled) return;
      this.src.log('error', `watch ${w.id} catch-up failed, cancelling the watch: ${(err as Error).message}`);
      const n: WatchNotification = { header: this.src.header(), events: [], canceled: true, cancelReason: (err as Error).message };
      this.remove(w);
      this.deliver(w, n);
    }
  }

  /** Tells a watcher that fell below the compacted revision, and drops it. */
  private compacted(w: Watcher): boolean {
    const compactRev = this.src.compactRevision();
    if (w.nextRev >= compactRev) return false;
    this.remove(w);
    this.deliver(w, {
      header: this.src.header(),
      events: [],
      compactRevision: compactRev,
      canceled: true,
      cancelReason: ErrorMessages.compacted,
    });
    return true;
  }

  /** Sends an empty progress notification to synced watchers that asked for them. */
  progress(): void {
    const header = this.src.header();
    const all = [...this.ranged];
    for (const set of this.byKey.values()) all.push(...set);
    for (const w of all) if (w.state === 'synced' && w.req.progressNotify) this.deliver(w, { header, events: [] });
  }

  /** Cancels every watcher, telling each that the store stopped. */
  closeAll(): void {
    const all = [...this.ranged];
    for (const set of this.byKey.values()) all.push(...set);
    const header = this.src.header();
    for (const w of all) {
      this.remove(w);
      this.deliver(w, { header, events: [], canceled: true, cancelReason: ErrorMessages.stopped });
    }
  }
}
