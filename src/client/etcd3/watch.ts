/**
 * Watches through the etcd3 package: one watch stream per `Etcd3` client carrying all its
 * watchers (etcd3 multiplexes them, and resumes them from their last revision when the stream
 * breaks), each watch's responses handed to the interface's handlers.
 */
import type { Etcd3, IWatchResponse, Watcher } from 'etcd3';
import type { Bytes, Watch, WatchEvent, WatchHandlers, WatchOptions } from '../types.ts';
import { buf, header, keyValue } from './convert.ts';
import { toStoreError } from './errors.ts';

/** Creates a watch on `client`; resolves once etcd confirmed it. */
export async function createWatch(client: Etcd3, key: Bytes, opts: WatchOptions, handlers: WatchHandlers): Promise<Watch> {
  let b = client.watch();
  b = opts.end !== undefined ? b.inRange({ start: buf(key), end: buf(opts.end) }) : b.key(buf(key));
  if (opts.startRevision) b = b.startRevision(String(opts.startRevision));
  if (opts.prevKv) b = b.withPreviousKV();
  for (const f of opts.filters ?? []) b = b.ignore(f === 'noput' ? 'put' : 'delete');
  // etcd3's builder has no progress_notify setter; the request it sends is this object.
  if (opts.progressNotify) (b as unknown as { request: Record<string, unknown> }).request.progress_notify = true;
  let watcher: Watcher;
  try {
    watcher = await b.create();
  } catch (err) {
    throw toStoreError(err);
  }
  watcher.on('data', (res: IWatchResponse) => {
    const raw = (res as IWatchResponse & { events?: { type: string; kv: Parameters<typeof keyValue>[0]; prev_kv?: Parameters<typeof keyValue>[0] | null }[] }).events ?? [];
    if (raw.length === 0) {
      handlers.onProgress?.(header(res.header));
      return;
    }
    const events: WatchEvent[] = raw.map((e) => {
      const ev: WatchEvent = { type: e.type.toLowerCase() === 'delete' ? 'delete' : 'put', kv: keyValue(e.kv) };
      return e.prev_kv ? { ...ev, prevKv: keyValue(e.prev_kv) } : ev;
    });
    handlers.onEvents(events, header(res.header));
  });
  watcher.on('error', (err: Error) => handlers.onError?.(toStoreError(err)));
  return {
    id: Number(watcher.id ?? -1),
    cancel: async () => {
      try {
        await watcher.cancel();
      } catch (err) {
        throw toStoreError(err);
      }
    },
  };
}
