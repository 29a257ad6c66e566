/**
 * The native client against an etcd with authentication enabled (skipped without `etcd`): it
 * authenticates once, sends the token with unary calls and on the watch stream, and etcd's
 * refusals (wrong password, no token) arrive as StoreErrors with etcd's messages.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { join } from 'node:path';
import { etcdAvailable, spawnEtcd, type ServerChild } from '../../server/processes.ts';
import { ctlOk, tempDir } from '../../server/test-support.ts';
import { GrpcCode, StoreError, type StoreClient } from '../types.ts';
import { openNativeClient } from './index.ts';

const HAVE_ETCD = await etcdAvailable();

describe('native client against etcd with auth enabled', { skip: !HAVE_ETCD }, () => {
  let server: ServerChild;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let client: StoreClient;

  before(async () => {
    dir = await tempDir('native-auth');
    server = await spawnEtcd(join(dir.path, 'data'));
    await ctlOk(server.address, 'user', 'add', 'root:secret', '--interactive=false');
    await ctlOk(server.address, 'auth', 'enable');
    client = await openNativeClient({ hosts: [server.address], auth: { user: 'root', password: 'secret' } });
  });
  after(async () => {
    await client?.close();
    await server?.stop();
    await dir?.remove();
  });

  it('unary calls and a watch carry the token', async () => {
    const got: string[] = [];
    await client.watch('/auth/k', {}, { onEvents: (evs) => got.push(...evs.map((e) => e.kv.value.toString())) });
    await client.put('/auth/k', 'v');
    assert.equal((await client.range('/auth/k')).kvs[0]!.value.toString(), 'v');
    const deadline = Date.now() + 10000;
    while (got.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(got, ['v']);
  });

  it('a wrong password is refused when the client opens', async () => {
    await assert.rejects(openNativeClient({ hosts: [server.address], auth: { user: 'root', password: 'wrong' } }), (e: unknown) => e instanceof StoreError && e.code === GrpcCode.InvalidArgument && e.message === 'etcdserver: authentication failed, invalid user ID or password');
  });

  it('a client without credentials is refused', async () => {
    const anon = await openNativeClient({ hosts: [server.address] });
    try {
      await assert.rejects(anon.put('/auth/x', 'v'), (e: unknown) => e instanceof StoreError && e.code === GrpcCode.InvalidArgument && e.message === 'etcdserver: user name is empty');
    } finally {
      await anon.close();
    }
  });
});
