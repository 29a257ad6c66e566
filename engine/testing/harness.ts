/**
 * Helpers for contract tests: a fresh store per test in its own temp directory, closed and
 * removed afterwards, and small builders that keep test bodies readable.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MetaStore, WatchHandle } from '../mvcc/kv.ts';
import type { KeyValue, WatchCreateRequest, WatchNotification } from '../mvcc/types.ts';
import type { StoreTuning, TestEngine } from './engines.ts';

/** A Buffer from a string (keys and values in tests). */
export const b = (s: string): Buffer => Buffer.from(s);

/** The readable form of a kv: key and value as strings, revisions as numbers. */
export function show(kv: KeyValue | undefined): { key: string; value: string; create: number; mod: number; version: number; lease: number } | undefined {
  if (kv === undefined) return undefined;
  return {
    key: kv.key.toString(),
    value: kv.value.toString(),
    create: kv.createRevision,
    mod: kv.modRevision,
    version: kv.version,
    lease: kv.lease,
  };
}

/** A temp data directory, removed by the returned function. */
export async function tempDir(label: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `metastore-${label}-`));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Runs `body` with a fresh store of `engine`; closes the store (if the body did not) and
 * removes its directory afterwards. `reopen` closes the current store and opens the same
 * directory again.
 */
export async function withStore(
  engine: TestEngine,
  body: (s: MetaStore, ctx: { dir: string; reopen: () => Promise<MetaStore> }) => Promise<void>,
  tuning?: StoreTuning,
): Promise<void> {
  const { dir, remove } = await tempDir(engine.name);
  let store = await engine.open(dir, tuning);
  try {
    await body(store, {
      dir,
      reopen: async () => {
        await store.close();
        store = await engine.open(dir, tuning);
        return store;
      },
    });
  } finally {
    await store.close();
    await remove();
  }
}

/** Collects a watch's notifications; `next(n)` waits until n events (in total) have arrived. */
export class WatchRecorder {
  readonly notifications: WatchNotification[] = [];
  handle!: WatchHandle;
  private waiters: { count: number; resolve: () => void }[] = [];
  /** What the listener returns (false = backed up). */
  accept = true;

  /** Starts the watch on `store`. */
  static start(store: MetaStore, req: WatchCreateRequest): WatchRecorder {
    const r = new WatchRecorder();
    r.handle = store.watch(req, (n) => r.onNotification(n));
    return r;
  }

  private onNotification(n: WatchNotification): boolean {
    this.notifications.push(n);
    const total = this.events.length;
    this.waiters = this.waiters.filter((w) => {
      if (total >= w.count || n.canceled) {
        w.resolve();
        return false;
      }
      return true;
    });
    return this.accept;
  }

  /** Every event so far as "PUT key=value@mod" / "DELETE key@mod" (bytes shown as latin1). */
  get events(): string[] {
    return this.notifications.flatMap((n) =>
      n.events.map((e) =>
        e.type === 'PUT'
          ? `PUT ${e.kv.key.toString('latin1')}=${e.kv.value.toString('latin1')}@${e.kv.modRevision}`
          : `DELETE ${e.kv.key.toString('latin1')}@${e.kv.modRevision}`,
      ),
    );
  }

  /** Waits until at least `count` events arrived (or the watch was cancelled); 5 s at most. */
  async waitFor(count: number, timeoutMs = 5000): Promise<void> {
    if (this.events.length >= count || this.notifications.some((n) => n.canceled)) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => this.waiters.push({ count, resolve })),
      new Promise<void>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`watch: waited ${timeoutMs} ms for ${count} events, got ${this.events.length}: ${this.events.join(', ')}`)), timeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
  }

  /** Waits until the watch is cancelled (or 5 s). */
  async waitCanceled(timeoutMs = 5000): Promise<WatchNotification> {
    const found = (): WatchNotification | undefined => this.notifications.find((n) => n.canceled);
    const deadline = Date.now() + timeoutMs;
    while (found() === undefined) {
      if (Date.now() > deadline) throw new Error(`watch: not cancelled within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 5));
    }
    return found()!;
  }
}
