/**
 * The Watch stream protocol, in process (real memory store, real gRPC server, raw gRPC client):
 * response order, watch IDs, cancel, duplicate IDs, progress requests and progress notify, a
 * start revision below the compaction, and filters.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { join } from 'node:path';
import { credentials, makeGenericClientConstructor, type ClientDuplexStream } from '@grpc/grpc-js';
import { openStore, type MetaStore } from '../../engine/index.ts';
import { loadEtcdServices, protoType } from './proto.ts';
import { startEtcdServer, type RunningEtcdServer } from './server.ts';
import { encodeEventsResponse } from './watch-service.ts';
import { tempDir } from './test-support.ts';

interface Res {
  watchId: number;
  created: boolean;
  canceled: boolean;
  compactRevision: number;
  cancelReason: string;
  header: { revision: number };
  events: { type: number; kv: { key: Buffer; value: Buffer } }[];
}

/** A raw watch stream that queues responses for `next()`. */
class RawWatch {
  private readonly queue: Res[] = [];
  private waiter: ((r: Res) => void) | undefined;
  readonly stream: ClientDuplexStream<object, Res>;
  constructor(private readonly client: { Watch(): ClientDuplexStream<object, Res> }) {
    this.stream = client.Watch();
    this.stream.on('data', (r: Res) => {
      if (this.waiter) {
        const w = this.waiter;
        this.waiter = undefined;
        w(r);
      } else this.queue.push(r);
    });
    this.stream.on('error', () => undefined);
  }
  next(): Promise<Res> {
    const r = this.queue.shift();
    if (r) return Promise.resolve(r);
    return new Promise((resolve) => (this.waiter = resolve));
  }
  create(key: string, extra: object = {}): void {
    this.stream.write({ createRequest: { key: Buffer.from(key), ...extra } });
  }
  pending(): number {
    return this.queue.length;
  }
}

const summary = (r: Res) => ({
  watchId: r.watchId,
  created: r.created,
  canceled: r.canceled,
  compactRevision: r.compactRevision,
  events: r.events.map((e) => `${e.type === 0 ? 'PUT' : 'DELETE'} ${e.kv.key.toString()}=${e.kv.value.toString()}`),
});

describe('Watch stream protocol', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let store: MetaStore;
  let server: RunningEtcdServer;
  let client: { Watch(): ClientDuplexStream<object, Res>; close(): void };
  const put = (k: string, v: string) => store.put({ key: Buffer.from(k), value: Buffer.from(v) });

  before(async () => {
    dir = await tempDir('watch-proto');
    store = await openStore({ engine: 'memory', dataDir: join(dir.path, 'data'), sync: 'none' });
    server = await startEtcdServer({ store, listen: { host: '127.0.0.1', port: 0 }, progressNotifyIntervalMs: 200, log: () => undefined });
    const Watch = makeGenericClientConstructor(loadEtcdServices().Watch, 'Watch');
    client = new Watch(server.address, credentials.createInsecure()) as unknown as typeof client;
  });
  after(async () => {
    client?.close();
    await server?.stop(1000);
    await store?.close();
    await dir?.remove();
  });

  it('numbers watches from 0, sends created first, then events; cancel answers canceled', async () => {
    const w = new RawWatch(client);
    w.create('/a');
    w.create('/b', { filters: [1] }); // NODELETE
    assert.deepEqual(summary(await w.next()), { watchId: 0, created: true, canceled: false, compactRevision: 0, events: [] });
    assert.deepEqual(summary(await w.next()), { watchId: 1, created: true, canceled: false, compactRevision: 0, events: [] });
    await put('/a', '1');
    await put('/b', '2');
    await store.deleteRange({ key: Buffer.from('/b') });
    await put('/b', '3');
    assert.deepEqual(summary(await w.next()).events, ['PUT /a=1']);
    assert.deepEqual(summary(await w.next()).events, ['PUT /b=2']);
    // The delete is filtered out.
    assert.deepEqual(summary(await w.next()).events, ['PUT /b=3']);
    w.stream.write({ cancelRequest: { watchId: 0 } });
    assert.deepEqual(summary(await w.next()), { watchId: 0, created: false, canceled: true, compactRevision: 0, events: [] });
    await put('/a', 'after-cancel');
    await put('/b', '4');
    assert.deepEqual(summary(await w.next()).events, ['PUT /b=4']);
    w.stream.end();
  });

  it('refuses a client-chosen watch ID already in use on the stream', async () => {
    const w = new RawWatch(client);
    w.create('/x', { watchId: 7 });
    assert.equal((await w.next()).watchId, 7);
    w.create('/y', { watchId: 7 });
    const dup = await w.next();
    assert.deepEqual([dup.watchId, dup.created, dup.canceled], [-1, true, true]);
    assert.match(dup.cancelReason, /duplicate watch ID/);
    w.create('/z');
    assert.equal((await w.next()).watchId, 0);
    w.stream.end();
  });

  it('answers a progress request with watch ID -1 at the current revision', async () => {
    const w = new RawWatch(client);
    w.create('/p');
    await w.next();
    const { header } = await put('/other', 'x');
    w.stream.write({ progressRequest: {} });
    const progress = await w.next();
    assert.equal(progress.watchId, -1);
    assert.equal(progress.header.revision, header.revision);
    assert.deepEqual(progress.events, []);
    w.stream.end();
  });

  it('sends progress notifications to an idle watch that asked for them', async () => {
    const w = new RawWatch(client);
    w.create('/idle', { progressNotify: true });
    await w.next();
    const tick = await w.next();
    assert.deepEqual([tick.watchId, tick.created, tick.canceled, tick.events.length], [0, false, false, 0]);
    w.stream.end();
  });

  // Last: compaction makes older revisions unreadable for the tests above.
  it('a start revision below the compaction gets created, then canceled with compactRevision', async () => {
    const first = (await put('/c', '1')).header.revision;
    const second = (await put('/c', '2')).header.revision;
    await store.compact({ revision: second });
    const w = new RawWatch(client);
    w.create('/c', { startRevision: first });
    assert.equal((await w.next()).created, true);
    const compacted = await w.next();
    assert.deepEqual([compacted.watchId, compacted.canceled, compacted.compactRevision], [0, true, second]);
    // From the compacted revision itself history is still there.
    w.create('/c', { startRevision: second });
    assert.equal((await w.next()).created, true);
    assert.deepEqual(summary(await w.next()).events, ['PUT /c=2']);
    w.stream.end();
  });
});

describe('watch response encoding', () => {
  it('gives the bytes of encoding the whole response, for every watcher an event goes to', () => {
    const type = protoType('etcdserverpb.WatchResponse');
    const header = { clusterId: 11, memberId: 22, revision: 2 ** 40, raftTerm: 1 };
    const kv = { key: Buffer.from('/k'), createRevision: 3, modRevision: 9, version: 2, value: Buffer.from('v'), lease: 7 };
    const events = [
      { type: 'PUT' as const, kv },
      { type: 'PUT' as const, kv: { ...kv, key: Buffer.from('/p') }, prevKv: { ...kv, modRevision: 4, version: 1 } },
      { type: 'DELETE' as const, kv: { ...kv, value: Buffer.alloc(0), createRevision: 0, version: 0 } },
    ];
    const wire = [{ type: 0, kv: events[0].kv }, { type: 0, kv: events[1].kv, prevKv: events[1].prevKv }, { type: 1, kv: events[2].kv }];
    for (const watchId of [0, 5, 0]) {
      const whole = Buffer.from(type.encode({ header, watchId, events: wire }).finish());
      assert.deepEqual(encodeEventsResponse(header, watchId, events), whole, `watch ${watchId}`);
    }
    // A replayed put (a new event object around the same KeyValue) and the same KeyValue as a
    // delete's previous value encode as themselves, not as a cached neighbour.
    const replay = [{ type: 'PUT' as const, kv }, { type: 'DELETE' as const, kv: events[2].kv, prevKv: kv }];
    const replayWire = [{ type: 0, kv }, { type: 1, kv: events[2].kv, prevKv: kv }];
    assert.deepEqual(encodeEventsResponse(header, 1, replay), Buffer.from(type.encode({ header, watchId: 1, events: replayWire }).finish()));
  });
});
