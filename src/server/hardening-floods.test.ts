/**
 * serve answers whatever connects to its port (issue 12's list), part two: floods (rapid reset,
 * frames that carry nothing, answers a peer never reads, window abuse), the stream limit, idle
 * and slowloris timeouts, and a watcher that never reads. Same frame as `hardening.test.ts`:
 * one serve per transport, and after each case another client still gets answers and serve's
 * RSS stayed bounded (`testing/hardening-harness.ts`).
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { loadEtcdServices } from './proto.ts';
import { describeHardening } from './testing/hardening-harness.ts';
import { Flag, FrameType, RawPeer, frame, grpcMessage, grpcRequestHeaders, headerBlock, rstStream, settings, windowUpdate } from './testing/raw-peer.ts';

const rangeBody = (key: string): Buffer => loadEtcdServices().KV.Range.requestSerialize({ key: Buffer.from(key) });
const PUT_PATH = '/etcdserverpb.KV/Put';
const RANGE_PATH = '/etcdserverpb.KV/Range';
/** ENHANCE_YOUR_CALM: the answer to a peer that spends its budget (GOAWAY code). */
const ENHANCE_YOUR_CALM = 11;

describeHardening('serve under flooding clients', (h) => {
  it('rapid reset (CVE-2023-44487): 20,000 HEADERS then RST_STREAM', async () => {
    await h.survives(async () => {
      const peer = await RawPeer.handshake(h.server().address);
      const block = grpcRequestHeaders(PUT_PATH);
      await peer.flood(20_000, (i) => Buffer.concat([frame(FrameType.HEADERS, Flag.END_HEADERS, 2 * i + 1, block), rstStream(2 * i + 1)]));
      peer.destroy();
    });
  });

  it('PING, SETTINGS and empty-frame floods from a peer that never reads', async () => {
    await h.survives(async () => {
      const floods: [string, (i: number) => Buffer][] = [
        ['PING', () => frame(FrameType.PING, 0, 0, Buffer.alloc(8))],
        ['SETTINGS', () => settings([[4, 65_535]])],
        ['empty DATA', () => frame(FrameType.DATA, 0, 1, Buffer.alloc(0))],
        ['empty CONTINUATION', () => frame(FrameType.CONTINUATION, 0, 1)],
      ];
      for (const [what, make] of floods) {
        const peer = await RawPeer.handshake(h.server().address);
        peer.pause();
        if (what !== 'PING' && what !== 'SETTINGS') await peer.write(frame(FrameType.HEADERS, what === 'empty DATA' ? Flag.END_HEADERS : 0, 1, grpcRequestHeaders(PUT_PATH)));
        await peer.flood(200_000, make, 10_000);
        peer.destroy();
        await h.stillAnswers();
      }
    });
  });

  it('frames that carry nothing or answer nothing (CVE-2019-9518) cost the peer its connection', async () => {
    await h.survives(async () => {
      const open = frame(FrameType.HEADERS, Flag.END_HEADERS, 1, grpcRequestHeaders(PUT_PATH));
      const floods: [string, Buffer, (i: number) => Buffer][] = [
        ['empty DATA', open, () => frame(FrameType.DATA, 0, 1)],
        ['padding-only DATA', open, () => frame(FrameType.DATA, Flag.PADDED, 1, Buffer.from([4, 0, 0, 0, 0]))],
        ['empty CONTINUATION', frame(FrameType.HEADERS, 0, 1, grpcRequestHeaders(PUT_PATH)), () => frame(FrameType.CONTINUATION, 0, 1)],
        ['SETTINGS ACK', Buffer.alloc(0), () => frame(FrameType.SETTINGS, Flag.ACK, 0)],
        ['PING ACK', Buffer.alloc(0), () => frame(FrameType.PING, Flag.ACK, 0, Buffer.alloc(8))],
        ['RST_STREAM on a closed stream', Buffer.concat([open, rstStream(1)]), () => rstStream(1)],
        ['unknown frame type', Buffer.alloc(0), () => frame(0xfa, 0, 0)],
      ];
      for (const [what, first, make] of floods) {
        const peer = await RawPeer.handshake(h.server().address);
        if (first.length > 0) await peer.write(first);
        await peer.flood(20_000, make, 10_000);
        if (h.strict) {
          assert.equal(await peer.waitClosed(), true, `${what}: the connection is closed`);
          assert.equal(peer.goawayCode(), ENHANCE_YOUR_CALM, `${what}: GOAWAY ENHANCE_YOUR_CALM`);
        }
        peer.destroy();
        await h.stillAnswers();
      }
    });
  });

  it('PRIORITY flood: 100,000 PRIORITY frames on one connection', async () => {
    await h.survives(async () => {
      const peer = await RawPeer.handshake(h.server().address);
      await peer.flood(100_000, (i) => frame(FrameType.PRIORITY, 0, 2 * (i % 1000) + 1, Buffer.from([0, 0, 0, 0, 16])), 10_000);
      peer.destroy();
    });
  });

  // Asserted on every transport: each answers such requests from one budget per connection
  // (raw: `raw/connection.ts`; h2 and grpc-js: `session-guard.ts`, and node's invalid-frame
  // limit for the malformed one), so the peer is cut off, not answered 300,000 times.
  it('requests that never become calls, from a peer that never reads (CVE-2019-9514): bounded', async () => {
    await h.survives(async () => {
      const requests: [string, Buffer][] = [
        ['unknown method', grpcRequestHeaders('/no.Such/Method')],
        ['not gRPC', headerBlock([[':method', 'POST'], [':scheme', 'http'], [':path', RANGE_PATH], [':authority', 'x'], ['content-type', 'text/plain']])],
        ['no :method', headerBlock([[':scheme', 'http'], [':path', RANGE_PATH], [':authority', 'x']])],
      ];
      for (const [what, block] of requests) {
        const peer = await RawPeer.handshake(h.server().address);
        peer.pause();
        await peer.flood(300_000, (i) => frame(FrameType.HEADERS, Flag.END_HEADERS | Flag.END_STREAM, 2 * i + 1, block), 10_000);
        // A paused socket never sees the close: read what waits, then the end.
        peer.socket.resume();
        assert.equal(await peer.waitClosed(), true, `${what}: the connection is closed`);
        // The flood still arriving as serve closes can reset the socket before GOAWAY is read.
        assert.equal(peer.goawayCode() ?? ENHANCE_YOUR_CALM, ENHANCE_YOUR_CALM, `${what}: GOAWAY ENHANCE_YOUR_CALM if any`);
        peer.destroy();
        await h.stillAnswers();
      }
    });
  });

  it('data dribble (CVE-2019-9511): a zero window opened one byte at a time by a peer that never reads', async () => {
    const value = Buffer.alloc(64 * 1024, 7);
    await new Promise<void>((resolve, reject) => h.client().Put({ key: Buffer.from('/dribble'), value }, {}, (err) => (err ? reject(err) : resolve())));
    await h.survives(async () => {
      const peer = await RawPeer.handshake(h.server().address, [[4, 0]]);
      await peer.write(Buffer.concat([frame(FrameType.HEADERS, Flag.END_HEADERS, 1, grpcRequestHeaders(RANGE_PATH)), frame(FrameType.DATA, Flag.END_STREAM, 1, grpcMessage(rangeBody('/dribble')))]));
      peer.pause();
      await peer.flood(200_000, () => windowUpdate(1, 1), 10_000);
      peer.destroy();
    });
  });

  it('window-update abuse: a zero increment and a window over 2^31-1 are errors', async () => {
    await h.survives(async () => {
      const overflow = await RawPeer.handshake(h.server().address);
      await overflow.write(Buffer.concat([windowUpdate(0, 0x7fffffff), windowUpdate(0, 0x7fffffff)]));
      await h.expectClosed(overflow, 'connection window over 2^31-1');
      if (h.strict) assert.equal(overflow.goawayCode() ?? 3, 3, 'FLOW_CONTROL_ERROR if any');

      const zero = await RawPeer.handshake(h.server().address);
      await zero.write(windowUpdate(0, 0));
      await h.expectClosed(zero, 'zero increment on the connection');
    });
  });

  it('zero windows: a peer that grants no window and asks for large answers does not grow serve unboundedly', async () => {
    const value = Buffer.alloc(64 * 1024, 9);
    await new Promise<void>((resolve, reject) => h.client().Put({ key: Buffer.from('/big'), value }, {}, (err) => (err ? reject(err) : resolve())));
    await h.survives(async () => {
      const peer = await RawPeer.handshake(h.server().address, [[4, 0]]);
      peer.pause();
      const req = Buffer.concat([grpcRequestHeaders(RANGE_PATH)]);
      const body = grpcMessage(rangeBody('/big'));
      await peer.flood(5000, (i) => Buffer.concat([frame(FrameType.HEADERS, Flag.END_HEADERS, 2 * i + 1, req), frame(FrameType.DATA, Flag.END_STREAM, 2 * i + 1, body)]), 10_000);
      peer.destroy();
    });
  });

  it('MAX_CONCURRENT_STREAMS is enforced: 20,000 open streams on one session are refused past the limit', async () => {
    await h.survives(async () => {
      const peer = await RawPeer.handshake(h.server().address);
      const block = grpcRequestHeaders(PUT_PATH);
      await peer.flood(20_000, (i) => frame(FrameType.HEADERS, Flag.END_HEADERS, 2 * i + 1, block));
      const refused = await peer.waitFor((f) => (f.type === FrameType.RST_STREAM && f.payload.readUInt32BE(0) === 7) || f.type === FrameType.GOAWAY);
      if (h.strict) assert.ok(refused !== undefined || peer.closed, 'streams past the limit refused (REFUSED_STREAM) or the session closed');
      peer.destroy();
    });
  });

  it('idle connections and slowloris connections time out', async () => {
    await h.survives(async () => {
      const idle = await RawPeer.handshake(h.server().address);
      await h.expectClosed(idle, 'idle connection', true);
      const slow = await RawPeer.handshake(h.server().address);
      const req = frame(FrameType.HEADERS, Flag.END_HEADERS, 1, grpcRequestHeaders(RANGE_PATH));
      // One byte of a HEADERS frame every 100 ms: never a whole request.
      let i = 0;
      const timer = setInterval(() => void slow.write(req.subarray(i, ++i)), 100);
      try {
        await h.expectClosed(slow, 'slowloris', true);
        assert.ok(i < req.length, 'closed before the request was complete');
      } finally {
        clearInterval(timer);
      }
    });
  });

  it('a watcher that never reads gets backpressure, not unbounded buffers', async () => {
    await h.survives(async () => {
      const peer = await RawPeer.handshake(h.server().address);
      const create = loadEtcdServices().Watch.Watch.requestSerialize({ createRequest: { key: Buffer.from('/w/'), rangeEnd: Buffer.from('/w0') } });
      await peer.write(Buffer.concat([frame(FrameType.HEADERS, Flag.END_HEADERS, 1, grpcRequestHeaders('/etcdserverpb.Watch/Watch')), frame(FrameType.DATA, 0, 1, grpcMessage(create))]));
      await peer.waitFor((f) => f.type === FrameType.HEADERS && f.streamId === 1);
      peer.pause();
      const value = Buffer.alloc(64 * 1024, 3);
      // 2,000 x 64 KiB = 125 MiB of events for a peer that reads none of them; compacting as
      // we go keeps the store's own history small, so what could grow is the watch's buffers.
      for (let i = 0; i < 2000; i += 50) {
        const revs = await Promise.all(
          Array.from(
            { length: 50 },
            (_, j) => new Promise<number>((resolve, reject) => h.client().Put({ key: Buffer.from(`/w/${(i + j) % 50}`), value }, {}, (err, res) => (err ? reject(err) : resolve(Number(res?.header?.revision))))),
          ),
        );
        await new Promise<void>((resolve, reject) => h.client().Compact({ revision: Math.max(...revs) }, (err) => (err ? reject(err) : resolve())));
      }
      peer.destroy();
    });
  });
});
