/**
 * The `etcd3` npm client (the one the benchmarks drive) against `metabench serve`, per engine:
 * KV, txn, watch, lease, and etcd's limits and error messages. Plus a raw gRPC watch stream
 * whose reader stalls, to check that backpressure loses and duplicates nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { join } from 'node:path';
import { credentials, makeGenericClientConstructor, status, type ClientDuplexStream, type ServiceError } from '@grpc/grpc-js';
import { Etcd3, type IKeyValue } from 'etcd3';
import { loadEtcdServices } from './proto.ts';
import { spawnServe, type ServerChild } from './processes.ts';
import { ENGINES, tempDir } from './test-support.ts';

const MiB = 1024 * 1024;

interface RawWatchResponse {
  watchId: number;
  created: boolean;
  canceled: boolean;
  header: { revision: number };
  events: { type: number; kv: { key: Buffer; value: Buffer; modRevision: number } }[];
}

// One suite per engine, each with its own server: run them side by side.
describe('etcd3 client', { concurrency: true }, () => {
  for (const engine of ENGINES) {
    describe(`etcd3 client against metabench serve --engine ${engine}`, { concurrency: 1 }, () => {
      let server: ServerChild;
      let dir: Awaited<ReturnType<typeof tempDir>>;
      let client: Etcd3;

      before(async () => {
        dir = await tempDir(`etcd3-${engine}`);
        server = await spawnServe({ engine, dataDir: join(dir.path, 'data') });
        client = new Etcd3({ hosts: `http://${server.address}` });
      });
      after(async () => {
        client?.close();
        const status = await server?.stop();
        await dir?.remove();
        assert.deepEqual(status, { exitCode: 0, signal: undefined }, server?.stderr());
      });

      it('put, get, prefix get, delete', async () => {
        await client.put('/k/a').value('1');
        await client.put('/k/b').value('2');
        assert.equal(await client.get('/k/a').string(), '1');
        assert.deepEqual(await client.getAll().prefix('/k/').strings(), { '/k/a': '1', '/k/b': '2' });
        assert.equal(await client.getAll().prefix('/k/').count(), 2);
        await client.delete().key('/k/a');
        assert.equal(await client.get('/k/a').string(), null);
      });

      it('txn: If(Version = 0) Then Put Else Get', async () => {
        const txn = () => client.if('/txn/k', 'Version', '==', 0).then(client.put('/txn/k').value('first')).else(client.get('/txn/k')).commit();
        const first = await txn();
        assert.equal(first.succeeded, true);
        const second = await txn();
        assert.equal(second.succeeded, false);
        const kvs = second.responses[0].response_range?.kvs as IKeyValue[];
        assert.equal(kvs[0].value.toString(), 'first');
      });

      it('watch delivers puts and deletes in order, with prev kv', async () => {
        const watcher = await client.watch().prefix('/watch/').withPreviousKV().create();
        const seen: string[] = [];
        const done = new Promise<void>((resolve) => {
          watcher.on('put', (kv, prev) => {
            seen.push(`put ${kv.key.toString()}=${kv.value.toString()} prev=${prev?.value.toString() ?? '-'}`);
            if (seen.length === 4) resolve();
          });
          watcher.on('delete', (kv, prev) => {
            seen.push(`delete ${kv.key.toString()} prev=${prev?.value.toString() ?? '-'}`);
            if (seen.length === 4) resolve();
          });
        });
        await client.put('/watch/a').value('1');
        await client.put('/watch/a').value('2');
        await client.delete().key('/watch/a');
        await client.put('/watch/b').value('3');
        await done;
        await watcher.cancel();
        assert.deepEqual(seen, ['put /watch/a=1 prev=-', 'put /watch/a=2 prev=1', 'delete /watch/a prev=2', 'put /watch/b=3 prev=-']);
      });

      it('lease: grant, attach, keep-alive once, revoke deletes the key', async () => {
        const lease = client.lease(30, { autoKeepAlive: false });
        const id = await lease.grant();
        await lease.put('/lease/k').value('v');
        const ka = await lease.keepaliveOnce();
        assert.equal(String(ka.TTL), '30');
        const ttl = await client.lease(30, { autoKeepAlive: false }).grant();
        assert.notEqual(ttl, id);
        assert.equal(await client.get('/lease/k').string(), 'v');
        await lease.revoke();
        assert.equal(await client.get('/lease/k').string(), null);
      });

      it('limits and errors as etcd: request size, txn ops, empty key', async () => {
        await client.put('/limits/ok').value(Buffer.alloc(MiB, 1));
        await assert.rejects(client.put('/limits/big').value(Buffer.alloc(1.6 * MiB, 1)).exec(), /etcdserver: request is too large/);
        const ops = Array.from({ length: 129 }, (_, i) => client.put(`/limits/op${i}`).value('x'));
        await assert.rejects(client.if('/limits/ok', 'Version', '>', 0).then(...ops).commit(), /etcdserver: too many operations in txn request/);
        await client.if('/limits/ok', 'Version', '>', 0).then(...ops.slice(0, 128)).commit();
        assert.equal(await client.getAll().prefix('/limits/op').count(), 128);
        await assert.rejects(client.put('').value('x').exec(), /etcdserver: key is not provided/);
        await assert.rejects(
          client.if('/limits/ok', 'Version', '>', 0).then(client.put('/limits/dup').value('1'), client.put('/limits/dup').value('2')).commit(),
          /etcdserver: duplicate key given in txn request/,
        );
        // Above limit + gRPC overhead the transport itself refuses the message. (Raw gRPC: the
        // etcd3 client retries RESOURCE_EXHAUSTED and then opens its circuit breaker.)
        const KV = makeGenericClientConstructor(loadEtcdServices().KV, 'KV');
        const kv = new KV(server.address, credentials.createInsecure()) as unknown as {
          Put(req: object, cb: (err: ServiceError | null) => void): void;
          close(): void;
        };
        const err = await new Promise<ServiceError | null>((resolve) => kv.Put({ key: Buffer.from('/limits/huge'), value: Buffer.alloc(2.5 * MiB, 1) }, resolve));
        kv.close();
        assert.equal(err?.code, status.RESOURCE_EXHAUSTED);
        assert.match(err?.details ?? '', /larger than max/);
      });

      it('a watch stream whose reader stalls gets every event exactly once, in order', { timeout: 120000 }, async () => {
        const services = loadEtcdServices();
        const Watch = makeGenericClientConstructor(services.Watch, 'Watch');
        // Its own connection: a stalled stream also stalls HTTP/2's connection window, which
        // would block the etcd3 client's puts if grpc-js shared the connection between clients.
        const raw = new Watch(server.address, credentials.createInsecure(), { 'grpc.use_local_subchannel_pool': 1 }) as unknown as {
          Watch(): ClientDuplexStream<object, RawWatchResponse>;
          close(): void;
        };
        const stream = raw.Watch();
        const events: string[] = [];
        let created!: () => void;
        const isCreated = new Promise<void>((r) => (created = r));
        const count = 300;
        let allSeen!: () => void;
        const seenAll = new Promise<void>((r) => (allSeen = r));
        stream.on('data', (res: RawWatchResponse) => {
          if (res.created) created();
          for (const e of res.events) events.push(`${e.kv.key.toString()}@${e.kv.modRevision}`);
          if (events.length >= count) allSeen();
        });
        stream.on('error', () => undefined);
        stream.write({ createRequest: { key: Buffer.from('/bp/'), rangeEnd: Buffer.from('/bp0') } });
        await isCreated;
        // Stop reading. One put at a time, so each event is its own response: after a few dozen
        // responses HTTP/2 flow control and the stream buffers are full and the server must pause.
        stream.pause();
        const value = Buffer.alloc(16 * 1024, 7);
        const revs: string[] = [];
        for (let i = 0; i < count; i++) {
          const key = `/bp/${String(i).padStart(4, '0')}`;
          const r = await client.put(key).value(value).exec();
          revs.push(`${key}@${r.header.revision}`);
        }
        stream.resume();
        await seenAll;
        stream.end();
        raw.close();
        assert.equal(events.length, count);
        assert.deepEqual(events, revs);
      });
    });
  }
});
