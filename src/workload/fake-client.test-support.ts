/**
 * A scripted stand-in for an etcd3 client, just wide enough for the workloads, so tests can make
 * the server lose, duplicate or reorder watch events, return stale values, or fail calls.
 */
import { EventEmitter } from 'node:events';
import type { Etcd3 } from 'etcd3';

/** How the fake misbehaves. Every hook is optional; the default is a correct store. */
export interface FakeBehaviour {
  /** Called for each Put before it is applied; throw (or reject) to fail it, never settle to stall it. */
  onPut?(key: string, n: number, value: string): void | Promise<void>;
  /** Value a Get returns instead of the stored one (undefined: the stored one). */
  staleGet?(key: string, stored: string | undefined): string | undefined;
  /** Deliveries of one Put event to watcher `w`: a list of revisions to emit (empty: lost). */
  deliver?(w: number, eventNo: number, revision: number): number[];
}

/** A fake client; all fakes made by one factory share the store and the watchers. */
export function fakeClientFactory(b: FakeBehaviour = {}): () => Etcd3 {
  const store = new Map<string, string>();
  const watchers: { prefix: string; em: EventEmitter; no: number }[] = [];
  let revision = 1;
  let puts = 0;
  const client = {
    put: (key: string) => ({
      value: (v: string) => ({
        exec: async () => {
          const eventNo = puts++;
          const hook = b.onPut?.(key, eventNo, v);
          if (hook) await hook;
          revision++;
          store.set(key, v);
          for (const w of watchers) {
            if (!key.startsWith(w.prefix)) continue;
            for (const rev of b.deliver ? b.deliver(w.no, eventNo, revision) : [revision]) {
              w.em.emit('put', { key: Buffer.from(key), mod_revision: String(rev) });
            }
          }
          return { header: { revision: String(revision) } };
        },
      }),
    }),
    get: (key: string) => ({
      string: async () => (b.staleGet ? b.staleGet(key, store.get(key)) : store.get(key)) ?? null,
    }),
    watch: () => ({
      prefix: (prefix: string) => ({
        create: async () => {
          const em = Object.assign(new EventEmitter(), { cancel: async () => undefined });
          watchers.push({ prefix, em, no: watchers.length });
          return em;
        },
      }),
    }),
    close: () => undefined,
  };
  return () => client as unknown as Etcd3;
}
