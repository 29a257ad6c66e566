/**
 * The native client end to end over the node:http2 channel: the contract of
 * `client-contract.ts` against `metabench serve --engine memory` and against the real etcd
 * (skipped when `etcd` is not installed), plus what happens when the server goes away.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { join } from 'node:path';
import { etcdAvailable, spawnEtcd, spawnServe, type ServerChild } from '../../server/processes.ts';
import { tempDir } from '../../server/test-support.ts';
import { GrpcCode, StoreError, type StoreClient } from '../types.ts';
import { clientContract } from './client-contract.ts';
import { openNativeClient } from './index.ts';

const HAVE_ETCD = await etcdAvailable();

function suite(name: string, start: (dataDir: string) => Promise<ServerChild>, skip = false): void {
  describe(`native client against ${name}`, { concurrency: 1, skip }, () => {
    let server: ServerChild;
    let dir: Awaited<ReturnType<typeof tempDir>>;
    let client: StoreClient;
    before(async () => {
      dir = await tempDir('native-client');
      server = await start(join(dir.path, 'data'));
      client = await openNativeClient({ hosts: [server.address] });
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
  suite('metabench serve --engine memory', (dataDir) => spawnServe({ engine: 'memory', dataDir }));
  suite('etcd', (dataDir) => spawnEtcd(dataDir), !HAVE_ETCD);

  it('a server that goes away: watches get onError, calls fail Unavailable, close still works', async () => {
    const dir = await tempDir('native-client-gone');
    const server = await spawnServe({ engine: 'memory', dataDir: join(dir.path, 'data') });
    const client = await openNativeClient({ hosts: [server.address] });
    try {
      const errors: Error[] = [];
      await client.watch('/gone/', {}, { onEvents: () => undefined, onError: (e) => errors.push(e) });
      await client.watch('/gone/b', {}, { onEvents: () => undefined, onError: (e) => errors.push(e) });
      await server.kill();
      await assert.rejects(client.put('/gone/a', 'v', {}, { timeoutMs: 5000 }), (e: unknown) => e instanceof StoreError && (e.code === GrpcCode.Unavailable || e.code === GrpcCode.Cancelled));
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(errors.length, 2);
      assert.ok(errors.every((e) => e instanceof StoreError && e.code === GrpcCode.Unavailable), errors.map((e) => e.message).join('; '));
    } finally {
      await client.close();
      await server.stop();
      await dir.remove();
    }
  });

  it('connecting to a port nobody listens on fails Unavailable and retryable', async () => {
    await assert.rejects(openNativeClient({ hosts: ['127.0.0.1:1'], dialTimeoutMs: 2000 }), (e: unknown) => e instanceof StoreError && e.code === GrpcCode.Unavailable && e.retryable);
  });
});
