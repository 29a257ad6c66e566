/**
 * The native client's entry point: `openNativeClient(opts)` connects (through `openChannel`,
 * by default the `node:http2` channel; the raw-socket transport plugs in here), authenticates
 * when `opts.auth` is set, and returns a {@link StoreClient}.
 */
import type { ConnectOptions, StoreClient } from '../types.ts';
import type { OpenChannel } from './channel.ts';
import { NativeClient } from './client.ts';
import { openNodeHttp2Channel } from './node-http2-channel.ts';

export { NativeClient, Method } from './client.ts';
export { openNodeHttp2Channel } from './node-http2-channel.ts';
export { COMPACTED_MESSAGE } from './watch-hub.ts';
export { LEASE_NOT_FOUND } from './keep-alive.ts';

/**
 * Opens a native client of `opts.hosts[0]` over a channel from `openChannel` (default
 * {@link openNodeHttp2Channel}). With `opts.auth`, authenticates once before resolving; a failed
 * authentication closes the channel and rejects with etcd's StoreError.
 */
export async function openNativeClient(opts: ConnectOptions, openChannel: OpenChannel = openNodeHttp2Channel): Promise<StoreClient> {
  const channel = await openChannel(opts);
  const client = new NativeClient(channel, opts.auth);
  if (opts.auth) {
    try {
      await client.authenticate({ timeoutMs: opts.dialTimeoutMs ?? 5000 });
    } catch (err) {
      await client.close();
      throw err;
    }
  }
  return client;
}
