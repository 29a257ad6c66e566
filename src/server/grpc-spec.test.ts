/**
 * What serve's own transports (raw and node:http2) do where grpc-js 1.14's server departs from
 * the gRPC over HTTP/2 spec, with requests written by hand through node:http2's client:
 * `grpc-timeout` syntax and already-expired deadlines, a compressed message without
 * `grpc-encoding`, a message over the size limit refused before it is all sent, the method kind
 * in unary errors, and handler errors reported in the log with the method's name.
 */
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ServiceDefinition } from '@grpc/grpc-js';
import { openStore, type MetaStore } from '../../engine/index.ts';
import { H2GrpcServer } from './h2-transport.ts';
import { loadEtcdServices } from './proto.ts';
import { RawGrpcServer } from './raw/raw-server.ts';
import { startEtcdServer, type RunningEtcdServer } from './server.ts';
import { tempDir } from './test-support.ts';

/** How a hand-written call ended: `grpc-status` and `grpc-message`, and whether the body was all sent. */
interface Ending {
  status: string;
  message: string;
}

/** One request on its own session; `body` is sent as is, `end` false leaves the stream open. */
function call(address: string, path: string, extra: http2.OutgoingHttpHeaders, body: Buffer, end = true): Promise<Ending> {
  const session = http2.connect(`http://${address}`);
  session.on('error', () => undefined);
  return new Promise<Ending>((resolve, reject) => {
    const req = session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers', ...extra });
    let status: string | undefined;
    let message = '';
    // The status ends the call for us, whether or not the stream closes (ours may still be open).
    const take = (h: http2.IncomingHttpHeaders): void => {
      if (h['grpc-status'] !== undefined) {
        status = String(h['grpc-status']);
        message = decodeURIComponent(String(h['grpc-message'] ?? ''));
        resolve({ status, message });
      }
    };
    req.on('response', take);
    req.on('trailers', take);
    req.on('data', () => undefined);
    req.on('error', reject);
    req.on('close', () => (status === undefined ? reject(new Error(`no grpc-status (rst ${req.rstCode})`)) : resolve({ status, message })));
    if (end) req.end(body);
    else req.write(body);
  }).finally(() => session.destroy());
}

function framed(body: Buffer, flag = 0): Buffer {
  const head = Buffer.alloc(5);
  head[0] = flag;
  head.writeUInt32BE(body.length, 1);
  return Buffer.concat([head, body]);
}

const RANGE = '/etcdserverpb.KV/Range';

describe('gRPC spec points on serve\'s own transports', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let store: MetaStore;
  const servers = new Map<string, RunningEtcdServer>();
  const range = (): Buffer => loadEtcdServices().KV.Range.requestSerialize({ key: Buffer.from('/spec') });

  before(async () => {
    dir = await tempDir('grpc-spec');
    store = await openStore({ engine: 'memory', dataDir: join(dir.path, 'data'), sync: 'none' });
    for (const transport of ['raw', 'h2'] as const) {
      servers.set(transport, await startEtcdServer({ store, listen: { host: '127.0.0.1', port: 0 }, limits: { maxRequestBytes: 1000 }, log: () => undefined, transport }));
    }
  });
  after(async () => {
    for (const s of servers.values()) await s.stop(1000);
    await store?.close();
    await dir?.remove();
  });

  for (const transport of ['raw', 'h2']) {
    const addr = (): string => servers.get(transport)!.address;

    it(`${transport}: grpc-timeout per the spec: expired deadlines fail, bad syntax is INTERNAL, long ones run`, async () => {
      const cases: [string, string][] = [
        ['0n', '4 Deadline exceeded'],
        ['1n', '4 Deadline exceeded'],
        ['999u', '4 Deadline exceeded'],
        ['5 S', '13 Invalid grpc-timeout value "5 S"'],
        ['x5S', '13 Invalid grpc-timeout value "x5S"'],
        ['123456789S', '13 Invalid grpc-timeout value "123456789S"'],
        ['5s', '13 Invalid grpc-timeout value "5s"'],
        ['99999999H', '0 OK'],
        ['10S', '0 OK'],
      ];
      for (const [timeout, want] of cases) {
        const e = await call(addr(), RANGE, { 'grpc-timeout': timeout }, framed(range()));
        assert.equal(`${e.status} ${e.message}`, want, `grpc-timeout ${timeout}`);
      }
    });

    it(`${transport}: a compressed message without grpc-encoding is refused`, async () => {
      const e = await call(addr(), RANGE, {}, framed(range(), 1));
      assert.deepEqual(e, { status: '13', message: 'grpc: compressed flag set with identity or empty encoding' });
    });

    it(`${transport}: a message over the limit is refused from its length prefix, before it is all sent`, async () => {
      // Declares 100 MB, sends 1 KiB of it and keeps the stream open.
      const head = Buffer.alloc(5);
      head.writeUInt32BE(100_000_000, 1);
      const e = await call(addr(), RANGE, {}, Buffer.concat([head, Buffer.alloc(1024)]), false);
      assert.equal(e.status, '8');
      assert.match(e.message, /^Received message larger than max \(100000000 vs \d+\)$/);
    });

    it(`${transport}: unary errors name a unary method`, async () => {
      const two = await call(addr(), RANGE, {}, Buffer.concat([framed(range()), framed(range())]));
      assert.deepEqual(two, { status: '12', message: `Received a second request message for unary method ${RANGE}` });
      const none = await call(addr(), RANGE, {}, Buffer.alloc(0));
      assert.deepEqual(none, { status: '12', message: `Received no request message for unary method ${RANGE}` });
    });
  }

  it('a handler that throws is answered UNKNOWN with its message and logged with the method, on both transports', async () => {
    const kv = loadEtcdServices().KV;
    const service = { Range: kv.Range } as unknown as ServiceDefinition;
    const impl = {
      Range: () => {
        throw new Error('boom in handler');
      },
    };
    for (const make of [(log: (m: string) => void) => new RawGrpcServer({ maxReceiveMessageLength: 1000, log }), (log: (m: string) => void) => new H2GrpcServer({ maxReceiveMessageLength: 1000, log })]) {
      const logged: string[] = [];
      const server = make((m) => logged.push(m));
      server.addService(service, impl);
      const port = await server.bind('127.0.0.1', 0);
      try {
        const e = await call(`127.0.0.1:${port}`, RANGE, {}, framed(range()));
        assert.deepEqual(e, { status: '2', message: 'handler failed: boom in handler' });
        assert.equal(logged.length, 1);
        assert.match(logged[0], /^\/etcdserverpb\.KV\/Range: handler error: Error: boom in handler/);
      } finally {
        server.forceShutdown();
      }
    }
  });
});
