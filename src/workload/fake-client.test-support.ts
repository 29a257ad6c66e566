/**
 * A scripted stand-in for a `StoreClient`, just wide enough for the workloads, so tests can make
 * the server lose, duplicate or reorder watch events, return stale values, or fail calls.
 */
import { GrpcCode, StoreError, type Bytes, type StoreClient, type WatchHandlers } from '../client/types.ts';

/** How the fake misbehaves. Every hook is optional; the default is a correct store. */
export interface FakeBehaviour {
  /** Called for each Put before it is applied; throw (or reject) to fail it, never settle to stall it. */
  onPut?(key: string, n: number, value: string): void | Promise<void>;
  /** Value a Get returns instead of the stored one (undefined: the stored one). */
  staleGet?(key: string, stored: string | undefined): string | undefined;
  /** Deliveries of one Put event to watcher `w`: a list of revisions to emit (empty: lost). */
  deliver?(w: number, eventNo: number, revision: number): number[];
}

const str = (b: Bytes): string => (typeof b === 'string' ? b : Buffer.from(b).toString());
const kv = (key: string, value: string, rev: number) => ({ key: Buffer.from(key), value: Buffer.from(value), createRevision: rev, modRevision: rev, version: 1, lease: 0 });
const unsupported = (what: string) => () => Promise.reject(new StoreError(GrpcCode.Unimplemented, `fake client: ${what}`));

/** A fake client; all fakes made by one factory share the store and the watchers. */
export function fakeClientFactory(b: FakeBehaviour = {}): () => Promise<StoreClient> {
  const store = new Map<string, string>();
  const watchers: { prefix: string; handlers: WatchHandlers; no: number }[] = [];
  let revision = 1;
  let puts = 0;
  const client: StoreClient = {
    kind: 'etcd3',
    put: async (key, value) => {
      const k = str(key);
      const eventNo = puts++;
      const hook = b.onPut?.(k, eventNo, str(value));
      if (hook) await hook;
      revision++;
      store.set(k, str(value));
      for (const w of watchers) {
        if (!k.startsWith(w.prefix)) continue;
        for (const rev of b.deliver ? b.deliver(w.no, eventNo, revision) : [revision]) {
          w.handlers.onEvents([{ type: 'put', kv: kv(k, str(value), rev) }], { revision: rev });
        }
      }
      return { header: { revision } };
    },
    range: async (key) => {
      const k = str(key);
      const v = b.staleGet ? b.staleGet(k, store.get(k)) : store.get(k);
      return { header: { revision }, kvs: v === undefined ? [] : [kv(k, v, revision)], more: false, count: v === undefined ? 0 : 1 };
    },
    watch: async (key, _opts, handlers) => {
      watchers.push({ prefix: str(key), handlers, no: watchers.length });
      return { id: watchers.length, cancel: async () => undefined };
    },
    delete: unsupported('delete'),
    txn: unsupported('txn'),
    compact: unsupported('compact'),
    leaseGrant: unsupported('leaseGrant'),
    leaseRevoke: unsupported('leaseRevoke'),
    leaseKeepAliveOnce: unsupported('leaseKeepAliveOnce'),
    leaseTimeToLive: unsupported('leaseTimeToLive'),
    status: unsupported('status'),
    defragment: unsupported('defragment'),
    close: async () => undefined,
  };
  return () => Promise.resolve(client);
}
