/**
 * The native client's entry point: `openNativeClient(opts)` connects (through `openChannel`,
 * by default the raw-socket HTTP/2 transport of `transport/`; `openNodeHttp2Channel` over
 * `node:http2` is the slower, simpler alternative), authenticates when `opts.auth` is set, and
 * returns a {@link StoreClient}.
 */
import { GrpcCode, StoreError, type ConnectOptions, type StoreClient } from '../types.ts';
import type { GrpcChannel, OpenChannel } from './channel.ts';
import { NativeClient } from './client.ts';
import { openH2Channel } from './transport/index.ts';

export { NativeClient, Method } from './client.ts';
export { openNodeHttp2Channel } from './node-http2-channel.ts';
export { openH2Channel } from './transport/index.ts';
export { COMPACTED_MESSAGE } from './watch-hub.ts';
export { LEASE_NOT_FOUND } from './keep-alive.ts';

/**
 * Opens a native client over a channel from `openChannel` (default {@link openH2Channel})
 * to `opts.hosts[0]`, or to the next host when one cannot be reached (a retryable failure).
 * With `opts.auth`, authenticates once before resolving; a failed authentication closes the
 * channel and rejects with etcd's StoreError.
 */
export async function openNativeClient(opts: ConnectOptions, openChannel: OpenChannel = openH2Channel): Promise<StoreClient> {
  const channel = await connectAny(opts, openChannel);
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

/** The channel to the first host that answers; a non-retryable failure stops the search. */
async function connectAny(opts: ConnectOptions, openChannel: OpenChannel): Promise<GrpcChannel> {
  if (opts.hosts.length === 0) throw new StoreError(GrpcCode.InvalidArgument, 'no host to connect to (hosts is empty)');
  let last: unknown;
  for (let i = 0; i < opts.hosts.length; i++) {
    try {
      return await openChannel(i === 0 ? opts : { ...opts, hosts: opts.hosts.slice(i) });
    } catch (err) {
      last = err;
      if (!(err instanceof StoreError && err.retryable)) throw err;
    }
  }
  throw last;
}
