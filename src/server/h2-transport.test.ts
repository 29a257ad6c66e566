/**
 * serve's transports side by side: the raw one (`raw/`), the node:http2 one (`h2-transport.ts`)
 * and grpc-js's server. The same calls through a grpc-js client must end the same way on all
 * three (answers, status codes and messages for the transport's own errors, compressed
 * requests); where grpc-js 1.14 departs from the gRPC spec (`grpc-timeout` syntax and `0n`, a
 * compressed message without `grpc-encoding`, the method kind in unary errors) raw and h2 agree
 * with each other and with the spec. A watch stream whose client stops reading gets every event
 * exactly once and in order after it reads again (backpressure), on every transport.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { credentials, makeGenericClientConstructor, type ClientDuplexStream, type ServiceDefinition, type ServiceError } from '@grpc/grpc-js';
import type { MetaStore } from '../../engine/index.ts';
import { loadEtcdServices } from './proto.ts';
import { chooseTransport } from './server.ts';
import { serveOnEveryTransport, TRANSPORTS, type EveryTransport } from './testing/every-transport.ts';

type Callback = (err: ServiceError | null, res?: Record<string, unknown>) => void;
type UnaryClient = Record<string, (req: object, opts: object, cb: Callback) => void> & { close(): void };

/** What a unary call ended with: the status code and message, or `ok`. */
async function outcome(client: UnaryClient, method: string, req: object, deadlineMs = 10000): Promise<string> {
  return new Promise((resolve) => {
    client[method](req, { deadline: Date.now() + deadlineMs }, (err, res) => {
      resolve(err ? `${err.code} ${err.details}` : `ok ${res ? Object.keys(res).length : 0} fields`);
    });
  });
}

function clientFor(service: ServiceDefinition, address: string, options: object = {}): UnaryClient {
  const Ctor = makeGenericClientConstructor(service, 'C');
  return new Ctor(address, credentials.createInsecure(), options) as unknown as UnaryClient;
}

/** A service the server does not offer (etcd's Auth), sharing KV's message shapes. */
function unknownService(): ServiceDefinition {
  const range = loadEtcdServices().KV.Range;
  return { Authenticate: { ...range, path: '/etcdserverpb.Auth/Authenticate' } } as ServiceDefinition;
}

describe('http2 transport', () => {
  let served: EveryTransport | undefined;
  let store: MetaStore;
  let servers: EveryTransport['servers'];

  before(async () => {
    served = await serveOnEveryTransport('h2-transport');
    ({ store, servers } = served);
  });
  after(async () => {
    await served?.stop();
  });

  /** Runs `fn` against every transport and returns the results: [grpc-js, h2, raw]. */
  async function all<T>(fn: (address: string) => Promise<T>): Promise<[T, T, T]> {
    return [await fn(servers.get('grpc-js')!.address), await fn(servers.get('h2')!.address), await fn(servers.get('raw')!.address)];
  }
  /** `all` asserting that every transport gave the same result; returns it. */
  async function alike<T>(what: string, fn: (address: string) => Promise<T>): Promise<T> {
    const [grpcJs, h2, raw] = await all(fn);
    assert.deepEqual(h2, grpcJs, `${what}: h2 vs grpc-js`);
    assert.deepEqual(raw, grpcJs, `${what}: raw vs grpc-js`);
    return raw;
  }

  it('ends unary calls as grpc-js does: answers, store errors, size limits, unknown methods', async () => {
    const s = loadEtcdServices();
    const cases: [ServiceDefinition, string, object][] = [
      [s.KV, 'Put', { key: Buffer.from('/t/a'), value: Buffer.from('1') }],
      [s.KV, 'Range', { key: Buffer.from('/t/a') }],
      // etcd's own errors, from the store and the request size check.
      [s.KV, 'Put', { key: Buffer.alloc(0), value: Buffer.from('1') }],
      [s.KV, 'Put', { key: Buffer.from('/t/big'), value: Buffer.alloc(2000) }],
      [s.KV, 'Range', { key: Buffer.from('/t/a'), sortOrder: 9 }],
      // Above the transport's limit (limit + 512 KiB): the transport refuses it.
      [s.KV, 'Put', { key: Buffer.from('/t/huge'), value: Buffer.alloc(600 * 1024) }],
      // A method of an offered service without a handler, and a service that is not offered.
      [s.Maintenance, 'MoveLeader', { targetID: 1 }],
      [unknownService(), 'Authenticate', { key: Buffer.from('x') }],
    ];
    for (const [service, method, req] of cases) {
      await alike(method, async (address) => {
        const c = clientFor(service, address);
        try {
          return await outcome(c, method, req);
        } finally {
          c.close();
        }
      });
    }
  });

  it('accepts gzip- and deflate-compressed requests', async () => {
    for (const algorithm of [1, 2]) {
      const got = await alike(`compression ${algorithm}`, async (address) => {
        const c = clientFor(loadEtcdServices().KV, address, { 'grpc.default_compression_algorithm': algorithm });
        try {
          const put = await outcome(c, 'Put', { key: Buffer.from(`/t/z${algorithm}`), value: Buffer.alloc(500, 1) });
          const big = await outcome(c, 'Put', { key: Buffer.from('/t/zbig'), value: Buffer.alloc(900 * 1024) });
          return `${put} / ${big}`;
        } finally {
          c.close();
        }
      });
      assert.match(got, /^ok .* \/ 8 /, `compression ${algorithm}: the small put succeeds, the oversized one is refused`);
    }
  });

  for (const transport of TRANSPORTS)
  it(`a watch whose client stops reading gets every event once, in order, when it reads again (${transport})`, async () => {
    const events = 3000;
    const value = Buffer.alloc(1024, 7);
    const Watch = makeGenericClientConstructor(loadEtcdServices().Watch, 'Watch');
    const client = new Watch(servers.get(transport)!.address, credentials.createInsecure()) as unknown as { Watch(): ClientDuplexStream<object, { created: boolean; events: { kv: { modRevision: number } }[] }>; close(): void };
    try {
      const stream = client.Watch();
      const revisions: number[] = [];
      let created!: () => void;
      const isCreated = new Promise<void>((r) => (created = r));
      stream.on('data', (res) => {
        if (res.created) created();
        for (const e of res.events) revisions.push(e.kv.modRevision);
      });
      stream.write({ createRequest: { key: Buffer.from('/bp/'), rangeEnd: Buffer.from('/bp0') } });
      await isCreated;
      const first = store.header().revision + 1;
      stream.pause();
      for (let i = 0; i < events; i += 100) {
        await Promise.all(Array.from({ length: 100 }, (_, j) => store.put({ key: Buffer.from(`/bp/${i + j}`), value })));
      }
      stream.resume();
      const deadline = Date.now() + 20000;
      while (revisions.length < events && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.equal(revisions.length, events, 'every event arrives, none twice');
      assert.deepEqual(revisions, Array.from({ length: events }, (_, i) => first + i), 'in revision order');
      // Half-closing ends the call with status OK.
      const ended = new Promise<number>((resolve) => stream.on('status', (st: { code: number }) => resolve(st.code)));
      stream.on('error', () => undefined);
      stream.end();
      assert.equal(await ended, 0);
    } finally {
      client.close();
    }
  });

  it('takes the transport from the option, then METABENCH_SERVE_TRANSPORT, and refuses others', () => {
    assert.equal(chooseTransport(undefined, undefined), 'raw');
    assert.equal(chooseTransport(undefined, 'grpc-js'), 'grpc-js');
    assert.equal(chooseTransport(undefined, 'h2'), 'h2');
    assert.equal(chooseTransport('h2', 'grpc-js'), 'h2');
    assert.throws(() => chooseTransport(undefined, 'grpc'), /METABENCH_SERVE_TRANSPORT must be raw, h2, grpc-js, got 'grpc'/);
  });
});
