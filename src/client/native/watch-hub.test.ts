/**
 * WatchHub against a scripted server (FakeChannel): creates go out one at a time and take the
 * ids of the `created` responses in order, events are routed by watch id, cancel, progress,
 * compaction and refusals become the right callbacks, and a broken stream fails every watch.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GrpcCode, StoreError, type Watch, type WatchEvent } from '../types.ts';
import { ProtoWriter } from './codec/index.ts';
import { pbDecode, pbEncode } from './codec/protobufjs.test-support.ts';
import { FakeChannel } from './fake-channel.test-support.ts';
import { WatchHub, WATCH_PATH } from './watch-hub.ts';

const tick = () => new Promise((r) => setImmediate(r));
const resp = (m: object): Buffer => pbEncode('WatchResponse', m);
const event = (key: string, rev: number, type = 0) => ({ type, kv: { key: Buffer.from(key), value: Buffer.from(`v${rev}`), modRevision: rev } });
/** What the client wrote, as protobufjs reads it. */
const sent = (ch: FakeChannel, i: number) => pbDecode('WatchRequest', ch.streams[0]!.written[i]!) as { requestUnion: string; createRequest?: { key: Buffer }; cancelRequest?: { watchId: number } };

function recorder() {
  const log: string[] = [];
  return {
    log,
    handlers: {
      onEvents: (evs: readonly WatchEvent[]) => log.push(...evs.map((e) => `${e.type} ${e.kv.key.toString()} ${e.kv.modRevision}`)),
      onError: (e: Error) => log.push(`error ${(e as StoreError).codeName}: ${e.message}`),
      onProgress: () => log.push('progress'),
    },
  };
}

describe('WatchHub', () => {
  it('sends creates one at a time; each takes the id of the next created response', async () => {
    const ch = new FakeChannel();
    const hub = new WatchHub(ch, new ProtoWriter());
    const a = recorder();
    const b = recorder();
    const pa = hub.watch('/a', {}, a.handlers);
    const pb = hub.watch('/b', {}, b.handlers);
    assert.equal(ch.streams.length, 1);
    assert.equal(ch.streams[0]!.path, WATCH_PATH);
    assert.equal(ch.streams[0]!.written.length, 1, 'the second create waits for the first one');
    assert.equal(sent(ch, 0).createRequest!.key.toString(), '/a');
    ch.streams[0]!.reply(resp({ watchId: 0, created: true }));
    assert.equal(ch.streams[0]!.written.length, 2);
    assert.equal(sent(ch, 1).createRequest!.key.toString(), '/b');
    ch.streams[0]!.reply(resp({ watchId: 7, created: true }));
    const [wa, wb] = await Promise.all([pa, pb]);
    assert.deepEqual([wa.id, wb.id], [0, 7]);

    ch.streams[0]!.reply(resp({ watchId: 7, events: [event('/b', 3)] }));
    ch.streams[0]!.reply(resp({ watchId: 0, events: [event('/a', 4), event('/a', 5, 1)] }));
    ch.streams[0]!.reply(resp({ watchId: 99, events: [event('/x', 6)] }));
    ch.streams[0]!.reply(resp({ watchId: 0 }));
    ch.streams[0]!.reply(resp({ watchId: -1 }));
    assert.deepEqual(a.log, ['put /a 4', 'delete /a 5', 'progress', 'progress']);
    assert.deepEqual(b.log, ['put /b 3', 'progress']);
  });

  it('cancel: sends the cancel, drops later events, resolves on the confirmation', async () => {
    const ch = new FakeChannel();
    const hub = new WatchHub(ch, new ProtoWriter());
    const a = recorder();
    const p = hub.watch('/a', {}, a.handlers);
    ch.streams[0]!.reply(resp({ watchId: 3, created: true }));
    const w: Watch = await p;
    let done = false;
    const c = w.cancel().then(() => (done = true));
    assert.deepEqual(sent(ch, 1).cancelRequest, { watchId: 3 });
    ch.streams[0]!.reply(resp({ watchId: 3, events: [event('/a', 9)] }));
    await tick();
    assert.equal(done, false);
    ch.streams[0]!.reply(resp({ watchId: 3, canceled: true }));
    await c;
    assert.deepEqual(a.log, []);
    await w.cancel(); // already gone: resolves at once
  });

  it('compacted and refused watches, and a server-side cancel', async () => {
    const ch = new FakeChannel();
    const hub = new WatchHub(ch, new ProtoWriter());
    const a = recorder();
    const b = recorder();
    const pa = hub.watch('/a', { startRevision: 1 }, a.handlers);
    ch.streams[0]!.reply(resp({ watchId: 1, created: true }));
    await pa;
    ch.streams[0]!.reply(resp({ watchId: 1, canceled: true, compactRevision: 5 }));
    assert.deepEqual(a.log, ['error OutOfRange: mvcc: required revision has been compacted (compact revision 5)']);

    const refused = hub.watch('/secret', {}, b.handlers);
    ch.streams[0]!.reply(resp({ watchId: -1, created: true, canceled: true, cancelReason: 'etcdserver: permission denied' }));
    await assert.rejects(refused, (e: unknown) => e instanceof StoreError && e.code === GrpcCode.PermissionDenied && e.message === 'etcdserver: permission denied');

    const pb = hub.watch('/b', {}, b.handlers);
    ch.streams[0]!.reply(resp({ watchId: 2, created: true }));
    await pb;
    ch.streams[0]!.reply(resp({ watchId: 2, canceled: true, cancelReason: 'gone' }));
    assert.deepEqual(b.log, ['error Cancelled: watch 2 cancelled by the server: gone']);
  });

  it('a stream that breaks fails every watch and pending create; the next watch opens a new stream', async () => {
    const ch = new FakeChannel();
    const hub = new WatchHub(ch, new ProtoWriter());
    const a = recorder();
    const pa = hub.watch('/a', {}, a.handlers);
    ch.streams[0]!.reply(resp({ watchId: 0, created: true }));
    await pa;
    const pending = hub.watch('/b', {}, recorder().handlers);
    ch.streams[0]!.finish(new StoreError(GrpcCode.Unavailable, 'connection lost'));
    await assert.rejects(pending, { message: 'connection lost' });
    assert.deepEqual(a.log, ['error Unavailable: connection lost']);

    const again = hub.watch('/c', {}, recorder().handlers);
    assert.equal(ch.streams.length, 2);
    ch.streams[1]!.reply(resp({ watchId: 0, created: true }));
    assert.equal((await again).id, 0);

    ch.streams[1]!.finish();
    const c = recorder();
    const pc = hub.watch('/d', {}, c.handlers);
    ch.streams[2]!.reply(resp({ watchId: 0, created: true }));
    await pc;
    ch.streams[2]!.reply(Buffer.from([0x12, 0x09]));
    await tick();
    assert.match(c.log[0]!, /^error Internal: watch: malformed response: protobuf: length 9 past the end/);
  });

  it('a create given up after it was sent is cancelled once the server creates it', async () => {
    const ch = new FakeChannel();
    const hub = new WatchHub(ch, new ProtoWriter());
    const ac = new AbortController();
    const a = recorder();
    const pa = hub.watch('/a', {}, a.handlers, { signal: ac.signal });
    const pb = hub.watch('/b', {}, recorder().handlers);
    ac.abort();
    await assert.rejects(pa, (e: unknown) => e instanceof StoreError && e.code === GrpcCode.Cancelled);
    ch.streams[0]!.reply(resp({ watchId: 4, created: true }));
    assert.equal(sent(ch, 1).createRequest!.key.toString(), '/b');
    assert.deepEqual(sent(ch, 2).cancelRequest, { watchId: 4 });
    ch.streams[0]!.reply(resp({ watchId: 5, created: true }));
    assert.equal((await pb).id, 5);
    ch.streams[0]!.reply(resp({ watchId: 4, events: [event('/a', 2)] }));
    assert.deepEqual(a.log, []);
    await assert.rejects(hub.watch('/c', {}, a.handlers, { signal: AbortSignal.abort() }), (e: unknown) => e instanceof StoreError && e.code === GrpcCode.Cancelled);
    assert.equal(ch.streams[0]!.written.length, 3, 'an aborted signal sends nothing');
  });

  it('close ends the stream; watches hear Cancelled and new ones are refused', async () => {
    const ch = new FakeChannel();
    const hub = new WatchHub(ch, new ProtoWriter());
    const a = recorder();
    const pa = hub.watch('/a', {}, a.handlers);
    ch.streams[0]!.reply(resp({ watchId: 0, created: true }));
    await pa;
    hub.close();
    await tick();
    assert.equal(ch.streams[0]!.cancelled, true);
    assert.deepEqual(a.log, ['error Cancelled: watch: client closed']);
    await assert.rejects(hub.watch('/b', {}, a.handlers), { message: 'watch: client closed' });
  });
});
