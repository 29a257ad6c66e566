/**
 * Bad peers never hang the native transport (issue 11, item 7): a test server that resets
 * streams, sends GOAWAY, stalls, closes the socket mid-call, sends frames larger than allowed
 * or garbage. Each case asserts the `StoreError` code and `retryable`, and that no call is
 * left pending on the connection.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { encodeDataFrame, encodeFrame, encodeGoaway, encodeHeaderBlock, encodeHeaderFrames, encodePing, encodeRstStream, encodeSettingsFrame, ErrorCode, FrameType, H2Error } from '../../../h2/index.ts';
import { GrpcCode, StoreError } from '../../types.ts';
import { openH2Channel, openH2ChannelWith, type H2Channel } from './h2-channel.ts';
import { startTestPeer, type PeerConn, type PeerScript, type TestPeer } from './test-peer.ts';

const T = { timeout: 20_000 };
const msg = Buffer.from('request');
let peer: TestPeer | undefined;
let channel: H2Channel | undefined;

afterEach(async () => {
  await channel?.close();
  await peer?.close();
  channel = peer = undefined;
});

async function setup(script: PeerScript): Promise<{ peer: TestPeer; ch: H2Channel }> {
  peer = await startTestPeer(script);
  channel = (await openH2Channel({ hosts: [peer.address], dialTimeoutMs: 3000 })) as H2Channel;
  return { peer, ch: channel };
}

/** The StoreError a promise rejects with. */
async function rejection(p: Promise<unknown>): Promise<StoreError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof StoreError, `expected a StoreError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the call to fail');
}

function assertIdle(ch: H2Channel): void {
  assert.equal(ch.connection?.pendingCalls ?? 0, 0, 'no call left pending');
}

/** Waits until `cond()` holds (the peer sees frames asynchronously). */
async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 5));
}

const echo = (conn: PeerConn, req: { streamId: number; messages: Buffer[] }) => conn.respond(req.streamId, [Buffer.concat([Buffer.from('echo:'), ...req.messages])]);

describe('native transport against bad peers', { concurrency: 1 }, () => {
  it('a well-behaved peer: the response arrives, the request carried gRPC headers', T, async () => {
    const { peer, ch } = await setup({ onRequest: echo });
    ch.setMetadata('token', 'tok');
    const res = await ch.unary('/svc/Echo', msg, { timeoutMs: 5000 });
    assert.equal(res.toString(), 'echo:request');
    const headers = Object.fromEntries(peer.conns[0]!.requests.get(1)!.headers);
    assert.deepEqual(
      { m: headers[':method'], s: headers[':scheme'], p: headers[':path'], ct: headers['content-type'], te: headers.te, to: headers['grpc-timeout'], tok: headers.token },
      { m: 'POST', s: 'http', p: '/svc/Echo', ct: 'application/grpc', te: 'trailers', to: '5000m', tok: 'tok' },
    );
    assertIdle(ch);
  });

  it('request headers above the peer SETTINGS_MAX_FRAME_SIZE go out as HEADERS + CONTINUATION', T, async () => {
    const { peer, ch } = await setup({ onRequest: echo });
    const big = 'x'.repeat(40_000);
    ch.setMetadata('x-big', big);
    assert.equal((await ch.unary('/svc/Big', msg)).toString(), 'echo:request');
    assert.equal(Object.fromEntries(peer.conns[0]!.requests.get(1)!.headers)['x-big'], big);
    assertIdle(ch);
  });

  it('RST_STREAM: REFUSED_STREAM is retryable Unavailable, CANCEL is Cancelled, others Internal', T, async () => {
    const codes = [ErrorCode.REFUSED_STREAM, ErrorCode.CANCEL, ErrorCode.INTERNAL_ERROR];
    const { ch } = await setup({ onRequest: (c, r) => c.send(encodeRstStream(r.streamId, codes[(r.streamId - 1) / 2]!)) });
    const errs = [await rejection(ch.unary('/svc/A', msg)), await rejection(ch.unary('/svc/A', msg)), await rejection(ch.unary('/svc/A', msg))];
    assert.deepEqual(errs.map((e) => [e.code, e.retryable]), [[GrpcCode.Unavailable, true], [GrpcCode.Cancelled, false], [GrpcCode.Internal, false]]);
    assertIdle(ch);
  });

  it('GOAWAY: streams above last-stream-id fail retryable, the others finish, new calls fail fast', T, async () => {
    const { peer, ch } = await setup({});
    const calls = [ch.unary('/svc/A', msg), ch.unary('/svc/A', msg), ch.unary('/svc/A', msg)];
    await until(() => (peer.conns[0]?.requests.size ?? 0) === 3);
    const conn = peer.conns[0]!;
    conn.send(encodeGoaway(1, ErrorCode.NO_ERROR, 'shutting down'));
    const [e3, e5] = [await rejection(calls[1]!), await rejection(calls[2]!)];
    assert.deepEqual([e3.code, e3.retryable, e5.code, e5.retryable], [GrpcCode.Unavailable, true, GrpcCode.Unavailable, true]);
    const late = await rejection(ch.unary('/svc/A', msg));
    assert.deepEqual([late.code, late.retryable], [GrpcCode.Unavailable, true]);
    conn.respond(1, [Buffer.from('one')]);
    assert.equal((await calls[0]!).toString(), 'one');
    assertIdle(ch);
  });

  it('a stalled peer: the deadline fires client-side and the stream is reset', T, async () => {
    const { peer, ch } = await setup({});
    const e = await rejection(ch.unary('/svc/Stall', msg, { timeoutMs: 100 }));
    assert.deepEqual([e.code, e.retryable], [GrpcCode.DeadlineExceeded, false]);
    await until(() => peer.conns[0]!.log.includes(`rst:1:${ErrorCode.CANCEL}`));
    assertIdle(ch);
  });

  it('socket closed mid-call: calls in flight fail Unavailable (not retryable), queued ones retryable', T, async () => {
    const { peer, ch } = await setup({ settings: { maxConcurrentStreams: 1 } });
    const sent = ch.unary('/svc/A', msg);
    const queued = ch.unary('/svc/A', msg);
    await until(() => (peer.conns[0]?.requests.size ?? 0) === 1);
    peer.conns[0]!.socket.destroy();
    const [a, b] = [await rejection(sent), await rejection(queued)];
    assert.deepEqual([a.code, a.retryable, b.code, b.retryable], [GrpcCode.Unavailable, false, GrpcCode.Unavailable, true]);
    assertIdle(ch);
  });

  it('after the connection broke, the next call dials a fresh connection', T, async () => {
    const { peer, ch } = await setup({ onRequest: echo });
    assert.equal((await ch.unary('/svc/A', msg)).toString(), 'echo:request');
    peer.conns[0]!.socket.destroy();
    await until(() => ch.connection?.state === 'closed');
    assert.equal((await ch.unary('/svc/A', msg)).toString(), 'echo:request');
    assert.equal(peer.conns.length, 2);
    assertIdle(ch);
  });

  it('a frame larger than SETTINGS_MAX_FRAME_SIZE: GOAWAY FRAME_SIZE_ERROR, the call fails', T, async () => {
    const { peer, ch } = await setup({
      onRequest: (c, r) => {
        c.send(encodeHeaderFrames(r.streamId, encodeHeaderBlock([[':status', '200'], ['content-type', 'application/grpc']])));
        c.send(encodeDataFrame(r.streamId, Buffer.alloc(20_000), false));
      },
    });
    const e = await rejection(ch.unary('/svc/A', msg));
    assert.deepEqual([e.code, e.retryable], [GrpcCode.Unavailable, false]);
    assert.ok(e.cause instanceof H2Error && e.cause.code === ErrorCode.FRAME_SIZE_ERROR, String(e.cause));
    await until(() => peer.conns[0]!.log.includes(`goaway:0:${ErrorCode.FRAME_SIZE_ERROR}`));
    assertIdle(ch);
  });

  it('garbage: before SETTINGS the connect fails retryable; mid-call the call fails', T, async () => {
    const junk = Buffer.from('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    peer = await startTestPeer({ noSettings: true });
    const pending = openH2Channel({ hosts: [peer.address], dialTimeoutMs: 3000 });
    await until(() => peer!.conns.length === 1);
    peer.conns[0]!.send(junk);
    const e = await rejection(pending);
    assert.deepEqual([e.code, e.retryable], [GrpcCode.Unavailable, true]);
    await peer.close();

    const { ch } = await setup({ onRequest: (c) => c.send(Buffer.concat([Buffer.from([0, 0, 4, 0xfe, 0, 0, 0, 0, 1, 1, 2, 3, 4, 0, 0, 0, 4, 0, 0, 0, 0, 1]), Buffer.alloc(20, 0xff)])) });
    const mid = await rejection(ch.unary('/svc/A', msg, { timeoutMs: 10_000 }));
    assert.equal(mid.code, GrpcCode.Unavailable);
    assert.ok(mid.cause instanceof H2Error && mid.cause.code === ErrorCode.PROTOCOL_ERROR, String(mid.cause));
    assertIdle(ch);
  });

  it('a peer that never sends SETTINGS: the dial timeout fires, retryable', T, async () => {
    peer = await startTestPeer({ noSettings: true });
    const e = await rejection(openH2Channel({ hosts: [peer.address], dialTimeoutMs: 200 }));
    assert.deepEqual([e.code, e.retryable], [GrpcCode.Unavailable, true]);
    assert.match(e.message, /within 200 ms/);
  });

  it('keepalive: a peer that stops answering PINGs fails a stream that has no deadline', T, async () => {
    peer = await startTestPeer({
      onHeaders: (c, r) => c.send(encodeHeaderFrames(r.streamId, encodeHeaderBlock([[':status', '200'], ['content-type', 'application/grpc']]))),
    });
    channel = await openH2ChannelWith({ hosts: [peer.address] }, { keepaliveMs: 50, keepaliveTimeoutMs: 100 });
    const conn = () => peer!.conns[0]!;
    const ended = new Promise<Error | undefined>((resolve) => channel!.stream('/svc/Watch', { onMessage: () => undefined, onEnd: resolve }));
    // the peer answers PINGs while its socket reads; once a PING arrived it stops reading altogether
    await until(() => conn().log.some((l) => l.startsWith('ping:')));
    conn().socket.pause();
    const e = await ended;
    assert.ok(e instanceof StoreError && e.code === GrpcCode.Unavailable && /keepalive/.test(e.message), String(e));
    assertIdle(channel);
  });

  it('a refused TCP connection fails the connect, retryable', T, async () => {
    peer = await startTestPeer({});
    const address = peer.address;
    await peer.close();
    peer = undefined;
    const e = await rejection(openH2Channel({ hosts: [address] }));
    assert.deepEqual([e.code, e.retryable], [GrpcCode.Unavailable, true]);
  });

  it('trailers-only errors, grpc-message percent-decoded; HTTP 503 without grpc-status is Unavailable', T, async () => {
    const { ch } = await setup({
      onRequest: (c, r) => {
        const fields: [string, string][] = r.streamId === 1
          ? [[':status', '200'], ['content-type', 'application/grpc'], ['grpc-status', '5'], ['grpc-message', 'key%20not%20found%3A%20%E2%9C%93']]
          : [[':status', '503'], ['content-type', 'text/plain']];
        c.send(encodeHeaderFrames(r.streamId, encodeHeaderBlock(fields), { endStream: true }));
      },
    });
    const a = await rejection(ch.unary('/svc/A', msg));
    assert.deepEqual([a.code, a.message], [GrpcCode.NotFound, 'key not found: ✓']);
    const b = await rejection(ch.unary('/svc/A', msg));
    assert.equal(b.code, GrpcCode.Unavailable);
    assertIdle(ch);
  });

  it('a compressed message without grpc-encoding is refused as Internal', T, async () => {
    const { ch } = await setup({
      onRequest: (c, r) => {
        c.send(encodeHeaderFrames(r.streamId, encodeHeaderBlock([[':status', '200'], ['content-type', 'application/grpc']])));
        c.send(encodeDataFrame(r.streamId, Buffer.from([1, 0, 0, 0, 1, 0x41]), false));
        c.send(c.trailers(r.streamId, 0));
      },
    });
    const e = await rejection(ch.unary('/svc/A', msg));
    assert.equal(e.code, GrpcCode.Internal);
    assert.match(e.message, /compressed/);
    assertIdle(ch);
  });

  it('responses over CONTINUATION, padded DATA cut mid-message, and the HPACK dynamic table across responses', T, async () => {
    const { ch } = await setup({
      onRequest: (c, r) => {
        // first response: content-type added to the dynamic table (index 62); later ones refer to it
        const block = r.streamId === 1
          ? Buffer.concat([Buffer.from([0x88, 0x5f, 16]), Buffer.from('application/grpc'), encodeHeaderBlock([['x-filler', 'f'.repeat(40_000)]])])
          : Buffer.from([0x88, 0xbe]);
        const body = Buffer.from([0, 0, 0, 0, 6, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66]);
        c.send(Buffer.concat([
          encodeHeaderFrames(r.streamId, block),
          encodeDataFrame(r.streamId, body.subarray(0, 3), false, 20),
          encodeDataFrame(r.streamId, body.subarray(3), false, 0),
          c.trailers(r.streamId, 0),
        ]));
      },
    });
    for (let i = 0; i < 3; i++) assert.equal((await ch.unary('/svc/A', msg)).toString(), 'abcdef');
    assertIdle(ch);
  });

  it('PING is answered with the same octets; unknown frame types are ignored', T, async () => {
    const { peer, ch } = await setup({
      onRequest: (c, r) => {
        c.send(Buffer.concat([encodePing(Buffer.from('12345678')), encodeFrame(0xee, 0, r.streamId, Buffer.from('?'))]));
        echo(c, r);
      },
    });
    assert.equal((await ch.unary('/svc/A', msg)).toString(), 'echo:request');
    await until(() => peer.conns[0]!.log.includes('ping-ack:12345678'));
  });

  it('MAX_CONCURRENT_STREAMS: calls beyond it wait and all complete', T, async () => {
    let open = 0;
    let most = 0;
    const { ch } = await setup({
      settings: { maxConcurrentStreams: 2 },
      onRequest: (c, r) => {
        most = Math.max(most, ++open);
        setTimeout(() => {
          open--;
          echo(c, r);
        }, 5);
      },
    });
    const res = await Promise.all(Array.from({ length: 9 }, () => ch.unary('/svc/A', msg)));
    assert.equal(res.length, 9);
    assert.equal(most, 2);
    assertIdle(ch);
  });

  it('flow control: a 10-octet stream window splits the request and waits for WINDOW_UPDATE', T, async () => {
    const big = Buffer.alloc(1000, 0x7a);
    const { peer, ch } = await setup({
      settings: { initialWindowSize: 10 },
      onRequest: echo,
    });
    const conn = () => peer.conns[0]!;
    const done = ch.unary('/svc/A', big);
    // grant 10 octets at a time on the stream, as each DATA frame arrives
    let granted = 0;
    while (granted < big.length + 5) {
      const frames = conn().log.filter((l) => l.startsWith('data:1:')).length;
      if (frames * 10 > granted) {
        conn().send(encodeFrame(FrameType.WINDOW_UPDATE, 0, 1, Buffer.from([0, 0, 0, 10])));
        granted += 10;
      }
      await new Promise((r) => setTimeout(r, 1));
    }
    assert.equal((await done).length, 5 + big.length);
    const sizes = conn().log.filter((l) => l.startsWith('data:1:')).map((l) => Number(l.split(':')[2]));
    assert.ok(sizes.every((n) => n <= 10), `DATA frames within the window: ${sizes.join(',')}`);
    assertIdle(ch);
  });

  it('flow control: a SETTINGS that raises the initial window releases a blocked request', T, async () => {
    const big = Buffer.alloc(500, 0x7a);
    const { peer, ch } = await setup({ settings: { initialWindowSize: 10 }, onRequest: echo });
    const done = ch.unary('/svc/A', big);
    await until(() => peer.conns[0]!.log.some((l) => l.startsWith('data:1:')));
    peer.conns[0]!.send(encodeSettingsFrame({ initialWindowSize: 100_000 }));
    assert.equal((await done).length, 5 + big.length);
    assertIdle(ch);
  });

  it('AbortSignal cancels: Cancelled, RST_STREAM CANCEL sent; close() cancels what is in flight', T, async () => {
    const { peer, ch } = await setup({});
    const ac = new AbortController();
    const p = ch.unary('/svc/A', msg, { signal: ac.signal });
    await until(() => (peer.conns[0]?.requests.size ?? 0) === 1);
    ac.abort();
    assert.equal((await rejection(p)).code, GrpcCode.Cancelled);
    await until(() => peer.conns[0]!.log.includes(`rst:1:${ErrorCode.CANCEL}`));
    const inFlight = rejection(ch.unary('/svc/A', msg));
    await ch.close();
    assert.equal((await inFlight).code, GrpcCode.Cancelled);
    assert.equal((await rejection(ch.unary('/svc/A', msg))).code, GrpcCode.Cancelled);
  });

  it('stream ends are reported after stream()/cancel() return, never inside them', T, async () => {
    const { ch } = await setup({});
    const order: string[] = [];
    const ended = new Promise<Error | undefined>((resolve) => {
      const s = ch.stream('/svc/Watch', { onMessage: () => undefined, onEnd: (e) => (order.push('end'), resolve(e)) });
      s.cancel();
      order.push('cancel returned');
    });
    assert.equal((await ended as StoreError).code, GrpcCode.Cancelled);
    await ch.close();
    const closedEnd = new Promise<Error | undefined>((resolve) => {
      ch.stream('/svc/Watch', { onMessage: () => undefined, onEnd: (e) => (order.push('end after close'), resolve(e)) });
      order.push('stream returned');
    });
    assert.equal((await closedEnd as StoreError).code, GrpcCode.Cancelled);
    assert.deepEqual(order, ['cancel returned', 'end', 'stream returned', 'end after close']);
  });

  it('stream ids exhausted: new calls go to a fresh connection, the old one finishes', T, async () => {
    peer = await startTestPeer({ onRequest: echo });
    channel = await openH2ChannelWith({ hosts: [peer.address] }, { firstStreamId: 2_147_483_645 });
    const res = await Promise.all(Array.from({ length: 5 }, () => channel!.unary('/svc/A', msg)));
    assert.equal(res.length, 5);
    assert.ok(peer.conns.length >= 2, `connections: ${peer.conns.length}`);
    assertIdle(channel);
  });

  it('a bidirectional stream: messages both ways, half-close, trailers end it', T, async () => {
    const { ch } = await setup({
      onMessage: (c, r, m) => c.send(encodeDataFrame(r.streamId, Buffer.concat([Buffer.from([0, 0, 0, 0, m.length]), m]), false)),
      onHeaders: (c, r) => c.send(encodeHeaderFrames(r.streamId, encodeHeaderBlock([[':status', '200'], ['content-type', 'application/grpc']]))),
      onRequest: (c, r) => c.send(c.trailers(r.streamId, 0)),
    });
    const got: string[] = [];
    const ended = new Promise<Error | undefined>((resolve) => {
      const s = ch.stream('/svc/Bidi', { onMessage: (m) => got.push(m.toString()), onEnd: resolve });
      s.write(Buffer.from('a'));
      s.write(Buffer.from('b'));
      setTimeout(() => {
        s.write(Buffer.from('c'));
        s.end();
      }, 20);
    });
    assert.equal(await ended, undefined);
    assert.deepEqual(got, ['a', 'b', 'c']);
    assertIdle(ch);
  });
});
