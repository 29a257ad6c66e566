/**
 * The native client end to end: the contract of `client-contract.test-support.ts` over each
 * transport in `CHANNELS`, against `metabench serve --engine memory` and against the real etcd
 * (skipped when `etcd` is not installed), plus what happens when the server goes away.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { join } from 'node:path';
import { etcdAvailable, spawnEtcd, spawnServe, type ServerChild } from '../../server/processes.ts';
import { tempDir } from '../../server/test-support.ts';
import { GrpcCode, StoreError, type StoreClient } from '../types.ts';
import { clientContract } from './client-contract.test-support.ts';
import type { OpenChannel } from './channel.ts';
import { openNativeClient } from './index.ts';
import { openNodeHttp2Channel } from './node-http2-channel.ts';
import { openH2Channel } from './transport/index.ts';

/** The transports the etcd layer is tested over: the raw-socket default and node:http2. */
const CHANNELS: readonly (readonly [string, OpenChannel])[] = [
  ['raw h2', openH2Channel],
  ['node:http2', openNodeHttp2Channel],
];

const HAVE_ETCD = await etcdAvailable();

function suite(name: string, start: (dataDir: string) => Promise<ServerChild>, open: readonly [string, OpenChannel], skip = false): void {
  describe(`native client over ${open[0]} against ${name}`, { concurrency: 1, skip }, () => {
    let server: ServerChild;
    let dir: Awaited<ReturnType<typeof tempDir>>;
    let client: StoreClient;
    before(async () => {
      dir = await tempDir('native-client');
      server = await start(join(dir.path, 'data'));
      client = await openNativeClient({ hosts: [server.address] }, open[1]);
    });
    after(async () => {
      await client?.close();
      await server?.stop();
      await dir?.remove();
    });
    clientContract({ client: () => client });
  });
}

describe('native client', { concurrency: true }, () => {
  for (const channel of CHANNELS) {
    suite('metabench serve --engine memory', (dataDir) => spawnServe({ engine: 'memory', dataDir }), channel);
    suite('etcd', (dataDir) => spawnEtcd(dataDir), channel, !HAVE_ETCD);
  }

  it('a server that goes away: watches get onError, calls fail Unavailable; once it is back the client reconnects', async () => {
    const dir = await tempDir('native-client-gone');
    const server = await spawnServe({ engine: 'memory', dataDir: join(dir.path, 'data') });
    const client = await openNativeClient({ hosts: [server.address] });
    let restarted: ServerChild | undefined;
    try {
      const errors: Error[] = [];
      await client.watch('/gone/', {}, { onEvents: () => undefined, onError: (e) => errors.push(e) });
      await client.watch('/gone/b', {}, { onEvents: () => undefined, onError: (e) => errors.push(e) });
      await server.kill();
      await assert.rejects(client.put('/gone/a', 'v', {}, { timeoutMs: 5000 }), (e: unknown) => e instanceof StoreError && (e.code === GrpcCode.Unavailable || e.code === GrpcCode.Cancelled));
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(errors.length, 2);
      assert.ok(errors.every((e) => e instanceof StoreError && e.code === GrpcCode.Unavailable), errors.map((e) => e.message).join('; '));

      // The same client reconnects once the server is back on its address.
      restarted = await spawnServe({ engine: 'memory', dataDir: join(dir.path, 'data'), listen: server.address });
      assert.ok((await client.put('/gone/b', 'v')).header.revision > 0);
      const seen: string[] = [];
      await client.watch('/gone/c', {}, { onEvents: (evs) => seen.push(...evs.map((e) => e.kv.value.toString())) });
      await client.put('/gone/c', 'back');
      for (let i = 0; i < 1000 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(seen, ['back']);
    } finally {
      await client.close();
      await server.stop();
      await restarted?.stop();
      await dir.remove();
    }
  });

  it('connecting to a port nobody listens on fails Unavailable and retryable', async () => {
    await assert.rejects(openNativeClient({ hosts: ['127.0.0.1:1'], dialTimeoutMs: 2000 }), (e: unknown) => e instanceof StoreError && e.code === GrpcCode.Unavailable && e.retryable);
  });
});
