/**
 * The native transport end to end: unary Put/Range and a Watch stream against a real
 * `metabench serve --engine memory` and against the real etcd (skipped when `etcd` is not
 * installed), and unary calls over TLS with ALPN h2 (and a client certificate) against a
 * node:http2 server, whose HPACK encoder uses the dynamic table.
 */
import assert from 'node:assert/strict';
import { createSecureServer, type Http2SecureServer } from 'node:http2';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AddressInfo } from 'node:net';
import { etcdAvailable, spawnEtcd, spawnServe, type ServerChild } from '../../../server/processes.ts';
import { tempDir } from '../../../server/test-support.ts';
import { haveOpenssl, makeTestCerts } from '../../../testing/tls-certs.ts';
import type { GrpcChannel } from '../channel.ts';
import { GrpcCode, StoreError } from '../../types.ts';
import { openH2Channel } from './h2-channel.ts';
import { b64, decodeEtcd, encodeEtcd } from './test-etcd-messages.ts';

const PUT = '/etcdserverpb.KV/Put';
const RANGE = '/etcdserverpb.KV/Range';
const WATCH = '/etcdserverpb.Watch/Watch';

/** The KV and watch checks both servers must pass. */
function kvSuite(name: string, start: (dir: string) => Promise<ServerChild>, skip: () => Promise<boolean>) {
  describe(name, { timeout: 120_000 }, () => {
    let server: ServerChild | undefined;
    let dir: Awaited<ReturnType<typeof tempDir>>;
    let ch: GrpcChannel;
    let skipped = false;

    before(async () => {
      skipped = await skip();
      if (skipped) return;
      dir = await tempDir('h2-e2e');
      server = await start(join(dir.path, 'data'));
      ch = await openH2Channel({ hosts: [server.address] });
    });
    after(async () => {
      await ch?.close();
      await server?.stop();
      await dir?.remove();
    });

    it('Put then Range returns the value; 200 Puts in flight on one connection all succeed', async (t) => {
      if (skipped) return t.skip('etcd is not installed');
      const put = decodeEtcd('PutResponse', await ch.unary(PUT, encodeEtcd('PutRequest', { key: Buffer.from('/e2e/a'), value: Buffer.from('v1') }), { timeoutMs: 10_000 }));
      const rev = (put.header as { revision: number }).revision;
      assert.ok(rev > 0);
      const res = await Promise.all(Array.from({ length: 200 }, (_, i) => ch.unary(PUT, encodeEtcd('PutRequest', { key: Buffer.from(`/e2e/k${i}`), value: Buffer.from(`v${i}`) }))));
      assert.equal(res.length, 200);
      const range = decodeEtcd('RangeResponse', await ch.unary(RANGE, encodeEtcd('RangeRequest', { key: Buffer.from('/e2e/k'), rangeEnd: Buffer.from('/e2e/l') })));
      assert.equal(range.count, 200);
      const one = decodeEtcd('RangeResponse', await ch.unary(RANGE, encodeEtcd('RangeRequest', { key: Buffer.from('/e2e/a') })));
      assert.equal(b64((one.kvs as { value: string }[])[0]!.value), 'v1');
    });

    it('an etcd error arrives as its gRPC code and message', async (t) => {
      if (skipped) return t.skip('etcd is not installed');
      let err: unknown;
      try {
        await ch.unary(PUT, encodeEtcd('PutRequest', { key: Buffer.alloc(0), value: Buffer.from('x') }));
      } catch (e) {
        err = e;
      }
      assert.ok(err instanceof StoreError, String(err));
      assert.equal(err.code, GrpcCode.InvalidArgument);
      assert.match(err.message, /key is not provided/);
    });

    it('a Watch stream: created, then each Put as an event, then cancel ends it with Cancelled', async (t) => {
      if (skipped) return t.skip('etcd is not installed');
      const responses: Record<string, unknown>[] = [];
      let created!: () => void;
      const isCreated = new Promise<void>((r) => (created = r));
      let gotThree!: () => void;
      const three = new Promise<void>((r) => (gotThree = r));
      let events = 0;
      let ended!: (e: Error | undefined) => void;
      const end = new Promise<Error | undefined>((r) => (ended = r));
      const s = ch.stream(WATCH, {
        onMessage: (m) => {
          const r = decodeEtcd('WatchResponse', m);
          responses.push(r);
          if (r.created) created();
          events += ((r.events as unknown[]) ?? []).length;
          if (events >= 3) gotThree();
        },
        onEnd: (e) => ended(e),
      });
      s.write(encodeEtcd('WatchRequest', { createRequest: { key: Buffer.from('/w/'), rangeEnd: Buffer.from('/w0') } }));
      await isCreated;
      for (const v of ['1', '2', '3']) await ch.unary(PUT, encodeEtcd('PutRequest', { key: Buffer.from(`/w/${v}`), value: Buffer.from(v) }));
      await three;
      const values = responses.flatMap((r) => ((r.events as { kv: { value: string } }[]) ?? []).map((e) => b64(e.kv.value)));
      assert.deepEqual(values, ['1', '2', '3']);
      s.cancel();
      const e = await end;
      assert.ok(e instanceof StoreError && e.code === GrpcCode.Cancelled, String(e));
    });
  });
}

kvSuite('native transport against metabench serve --engine memory', (dataDir) => spawnServe({ engine: 'memory', dataDir }), async () => false);
kvSuite('native transport against etcd', (dataDir) => spawnEtcd(dataDir), async () => !(await etcdAvailable().catch(() => false)));

describe('native transport over TLS (ALPN h2) against node:http2', { timeout: 60_000 }, () => {
  let server: Http2SecureServer | undefined;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let address = '';
  let certs: Awaited<ReturnType<typeof makeTestCerts>> | undefined;

  before(async () => {
    if (!haveOpenssl()) return;
    dir = await tempDir('h2-tls');
    certs = await makeTestCerts(dir.path);
    server = createSecureServer({ key: readFileSync(certs.serverKey), cert: readFileSync(certs.serverCert), ca: readFileSync(certs.ca), requestCert: true, rejectUnauthorized: true });
    server.on('stream', (stream, headers) => {
      const parts: Buffer[] = [];
      stream.on('data', (c: Buffer) => parts.push(c));
      stream.on('end', () => {
        const body = Buffer.concat(parts).subarray(5);
        const reply = Buffer.concat([Buffer.from('tls:'), body, Buffer.from(`:${String(headers[':path'])}`)]);
        const framed = Buffer.alloc(5 + reply.length);
        framed.writeUInt32BE(reply.length, 1);
        reply.copy(framed, 5);
        stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'x-same-every-time': 'a'.repeat(100) }, { waitForTrailers: true });
        stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
        stream.end(framed);
      });
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    if (server) await new Promise<void>((r) => server!.close(() => r()));
    await dir?.remove();
  });

  it('unary calls with a client certificate; HPACK dynamic-table responses decode alike', async (t) => {
    if (!certs) return t.skip('openssl is not installed');
    const ch = await openH2Channel({ hosts: [address], tls: { ca: readFileSync(certs.ca), cert: readFileSync(certs.clientCert), key: readFileSync(certs.clientKey) } });
    try {
      for (let i = 0; i < 5; i++) assert.equal((await ch.unary('/svc/Tls', Buffer.from(`m${i}`))).toString(), `tls:m${i}:/svc/Tls`);
    } finally {
      await ch.close();
    }
  });

  it('an untrusted server certificate fails the connect (Unavailable)', async (t) => {
    if (!certs) return t.skip('openssl is not installed');
    await assert.rejects(openH2Channel({ hosts: [address], tls: {} }), (e: StoreError) => e.code === GrpcCode.Unavailable && /certificate/i.test(e.message));
  });
});
