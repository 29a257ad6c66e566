/**
 * NativeClient and its keep-alive stream against a scripted server (FakeChannel): method paths
 * and request bytes, auth (token as metadata, re-authentication on an expired token), lease
 * ids below 2^53 with a retry on collision, keep-alive routing, and failures as StoreErrors.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GrpcCode, StoreError } from '../types.ts';
import { NativeClient, Method } from './client.ts';
import { pbDecode, pbEncode } from './codec/protobufjs.test-support.ts';
import { FakeChannel } from './fake-channel.test-support.ts';
import { KEEP_ALIVE_PATH } from './keep-alive.ts';

const tick = () => new Promise((r) => setImmediate(r));

describe('NativeClient (scripted server)', () => {
  it('calls the etcd method paths with the encoded requests and decodes the replies', async () => {
    const ch = new FakeChannel();
    ch.unaryReply = (path) => Promise.resolve(path === Method.Put ? pbEncode('PutResponse', { header: { revision: 42 } }) : Buffer.alloc(0));
    const c = new NativeClient(ch);
    const r = await c.put('/k', 'v', { prevKv: true });
    assert.equal(r.header.revision, 42);
    assert.equal(ch.unaryCalls[0]!.path, '/etcdserverpb.KV/Put');
    assert.deepEqual(pbDecode('PutRequest', ch.unaryCalls[0]!.message).prevKv, true);
    await c.compact(7, true);
    assert.equal(ch.unaryCalls[1]!.path, '/etcdserverpb.KV/Compact');
    assert.deepEqual(pbDecode('CompactionRequest', ch.unaryCalls[1]!.message), { revision: 7, physical: true });
    await c.close();
    await c.close();
    assert.equal(ch.closed, true);
  });

  it('a malformed reply is an Internal StoreError; a bad request is InvalidArgument and leaves the writer clean', async () => {
    const ch = new FakeChannel();
    ch.unaryReply = () => Promise.resolve(Buffer.from([0x0a, 0x05]));
    const c = new NativeClient(ch);
    await assert.rejects(c.range('/k'), (e: unknown) => e instanceof StoreError && e.code === GrpcCode.Internal && /malformed response/.test(e.message));
    await assert.rejects(c.put('/k', 'v', { lease: 2 ** 60 }), (e: unknown) => e instanceof StoreError && e.code === GrpcCode.InvalidArgument);
    ch.unaryReply = () => Promise.resolve(Buffer.alloc(0));
    await c.put('/k2', 'v2');
    assert.deepEqual(pbDecode('PutRequest', ch.unaryCalls.at(-1)!.message), { key: Buffer.from('/k2'), value: Buffer.from('v2'), lease: 0, prevKv: false, ignoreValue: false, ignoreLease: false });
  });

  it('auth: the token rides as metadata; an expired token re-authenticates and retries once', async () => {
    const ch = new FakeChannel();
    let tokens = 0;
    let expired = true;
    ch.unaryReply = (path) => {
      if (path === Method.Authenticate) return Promise.resolve(pbEncode('AuthenticateResponse', { token: `t${++tokens}` }));
      if (expired && ch.metadata.get('token') === 't1') return Promise.reject(new StoreError(GrpcCode.Unauthenticated, 'etcdserver: invalid auth token'));
      return Promise.resolve(pbEncode('RangeResponse', { count: 1 }));
    };
    const c = new NativeClient(ch, { user: 'root', password: 'pw' });
    await c.authenticate();
    assert.equal(ch.metadata.get('token'), 't1');
    assert.deepEqual(pbDecode('AuthenticateRequest', ch.unaryCalls[0]!.message), { name: 'root', password: 'pw' });
    assert.equal((await c.range('/k')).count, 1);
    assert.equal(ch.metadata.get('token'), 't2');
    expired = false;
    ch.unaryReply = () => Promise.reject(new StoreError(GrpcCode.PermissionDenied, 'etcdserver: permission denied'));
    await assert.rejects(c.range('/k'), { message: 'etcdserver: permission denied' });
  });

  it('lease grant picks an id below 2^53 and retries on "lease already exists"', async () => {
    const ch = new FakeChannel();
    let calls = 0;
    ch.unaryReply = (_path, msg) => {
      const req = pbDecode('LeaseGrantRequest', msg) as { ID: number; TTL: number };
      if (++calls === 1) return Promise.reject(new StoreError(GrpcCode.FailedPrecondition, 'etcdserver: lease already exists'));
      return Promise.resolve(pbEncode('LeaseGrantResponse', { ID: req.ID, TTL: req.TTL }));
    };
    const c = new NativeClient(ch);
    const g = await c.leaseGrant(30);
    assert.equal(calls, 2);
    assert.ok(Number.isSafeInteger(g.id) && g.id > 0);
    assert.equal(g.ttlSec, 30);
  });

  it('keep-alive once: one stream, answers routed by lease id in order, TTL 0 is NotFound, a broken stream fails the waiters', async () => {
    const ch = new FakeChannel();
    const c = new NativeClient(ch);
    const a1 = c.leaseKeepAliveOnce(1);
    const b = c.leaseKeepAliveOnce(2);
    const a2 = c.leaseKeepAliveOnce(1);
    assert.equal(ch.streams.length, 1);
    const s = ch.streams[0]!;
    assert.equal(s.path, KEEP_ALIVE_PATH);
    assert.deepEqual(s.written.map((m) => (pbDecode('LeaseKeepAliveRequest', m) as { ID: number }).ID), [1, 2, 1]);
    s.reply(pbEncode('LeaseKeepAliveResponse', { ID: 2, TTL: 0 }));
    s.reply(pbEncode('LeaseKeepAliveResponse', { ID: 1, TTL: 10 }));
    s.reply(pbEncode('LeaseKeepAliveResponse', { ID: 1, TTL: 9 }));
    assert.deepEqual(await Promise.all([a1, a2]), [10, 9]);
    await assert.rejects(b, (e: unknown) => e instanceof StoreError && e.code === GrpcCode.NotFound && e.message === 'etcdserver: requested lease not found');

    const lost = c.leaseKeepAliveOnce(3);
    s.finish(new StoreError(GrpcCode.Unavailable, 'connection lost'));
    await assert.rejects(lost, { message: 'connection lost' });
    const again = c.leaseKeepAliveOnce(3);
    assert.equal(ch.streams.length, 2);
    ch.streams[1]!.reply(pbEncode('LeaseKeepAliveResponse', { ID: 3, TTL: 5 }));
    assert.equal(await again, 5);

    const ac = new AbortController();
    const given = c.leaseKeepAliveOnce(4, { signal: ac.signal });
    const next = c.leaseKeepAliveOnce(4);
    ac.abort();
    await assert.rejects(given, (e: unknown) => e instanceof StoreError && e.code === GrpcCode.Cancelled);
    ch.streams[1]!.reply(pbEncode('LeaseKeepAliveResponse', { ID: 4, TTL: 8 }));
    ch.streams[1]!.reply(pbEncode('LeaseKeepAliveResponse', { ID: 4, TTL: 7 }));
    assert.equal(await next, 7, 'the answer to the abandoned call is not taken by the next one');
    await c.close();
    await tick();
  });
});
