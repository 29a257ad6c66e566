/**
 * The node:http2 channel against an in-process HTTP/2 server that plays gRPC by hand: headers
 * sent, status from trailers and from trailers-only responses, percent-encoded messages, HTTP
 * errors, RST_STREAM, deadline, abort, messages cut across DATA frames, gzip-compressed messages
 * (with and without grpc-encoding), a stream that ends inside a message, and close.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import http2, { type Http2Server, type IncomingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { GrpcCode, StoreError } from '../types.ts';
import type { GrpcChannel } from './channel.ts';
import { gzipSync } from 'node:zlib';
import { grpcFrame } from './grpc-message.ts';
import { grpcFrame as testFrame } from './transport/test-peer.ts';
import { openNodeHttp2Channel } from './node-http2-channel.ts';

const OK = { ':status': 200, 'content-type': 'application/grpc' };

/** What each test path does on the server. */
const ROUTES: Record<string, (s: ServerHttp2Stream, h: IncomingHttpHeaders) => void> = {
  '/t/Echo': (s, h) => {
    const chunks: Buffer[] = [];
    s.on('data', (c: Buffer) => chunks.push(c));
    s.on('end', () => {
      s.respond(OK, { waitForTrailers: true });
      s.on('wantTrailers', () => s.sendTrailers({ 'grpc-status': '0' }));
      const body = Buffer.concat(chunks).subarray(5);
      s.end(grpcFrame(Buffer.from(JSON.stringify({ body: body.toString(), timeout: h['grpc-timeout'], token: h.token, te: h.te, type: h['content-type'] }))));
    });
  },
  '/t/TrailersOnly': (s) => s.respond({ ...OK, 'grpc-status': '3', 'grpc-message': encodeURIComponent('etcdserver: key is not provided') }, { endStream: true }),
  '/t/ErrorAfterData': (s) => {
    s.respond(OK, { waitForTrailers: true });
    s.on('wantTrailers', () => s.sendTrailers({ 'grpc-status': '11', 'grpc-message': 'mvcc: required revision has been compacted' }));
    s.end(grpcFrame(Buffer.from('x')));
  },
  '/t/Gzip': (s) => {
    s.respond({ ...OK, 'grpc-encoding': 'gzip' }, { waitForTrailers: true });
    s.on('wantTrailers', () => s.sendTrailers({ 'grpc-status': '0' }));
    s.end(testFrame(gzipSync(Buffer.from('zipped')), true));
  },
  '/t/CompressedUnannounced': (s) => {
    s.respond(OK, { waitForTrailers: true });
    s.on('wantTrailers', () => s.sendTrailers({ 'grpc-status': '0' }));
    s.end(testFrame(gzipSync(Buffer.from('zipped')), true));
  },
  '/t/Truncated': (s) => {
    s.respond(OK, { waitForTrailers: true });
    s.on('wantTrailers', () => s.sendTrailers({ 'grpc-status': '0' }));
    s.end(grpcFrame(Buffer.from('whole message')).subarray(0, 9));
  },
  '/t/NotFound': (s) => s.respond({ ':status': 404 }, { endStream: true }),
  '/t/Refused': (s) => s.close(http2.constants.NGHTTP2_REFUSED_STREAM),
  '/t/Stall': () => undefined,
  '/t/Pieces': (s) => {
    s.respond(OK, { waitForTrailers: true });
    s.on('wantTrailers', () => s.sendTrailers({ 'grpc-status': '0' }));
    const all = Buffer.concat([grpcFrame(Buffer.from('first')), grpcFrame(Buffer.from('second')), grpcFrame(Buffer.from('third'))]);
    s.write(all.subarray(0, 3));
    setImmediate(() => {
      s.write(all.subarray(3, 14));
      setImmediate(() => s.end(all.subarray(14)));
    });
  },
};

describe('node:http2 channel', () => {
  let server: Http2Server;
  let channel: GrpcChannel;
  const streams = new Set<ServerHttp2Stream>();

  before(async () => {
    server = http2.createServer();
    server.on('stream', (s, h) => {
      streams.add(s);
      s.on('close', () => streams.delete(s));
      s.on('error', () => undefined); // resets from the client side are part of the tests
      ROUTES[h[':path']!]!(s, h);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    channel = await openNodeHttp2Channel({ hosts: [`127.0.0.1:${(server.address() as AddressInfo).port}`] });
  });
  after(async () => {
    await channel?.close();
    for (const s of streams) s.close();
    await new Promise((r) => server.close(r));
  });

  const fails = (p: Promise<unknown>, code: number, message: RegExp, retryable = false) =>
    assert.rejects(p, (e: unknown) => {
      assert.ok(e instanceof StoreError, String(e));
      assert.equal(e.codeName, new StoreError(code, '').codeName, e.message);
      assert.match(e.message, message);
      assert.equal(e.retryable, retryable);
      return true;
    });

  it('a unary call: gRPC headers, deadline as grpc-timeout, metadata, the reply', async () => {
    channel.setMetadata('token', 'abc');
    const reply = JSON.parse((await channel.unary('/t/Echo', Buffer.from('hello'), { timeoutMs: 1500 })).toString()) as Record<string, string>;
    assert.deepEqual(reply, { body: 'hello', timeout: '1500m', token: 'abc', te: 'trailers', type: 'application/grpc' });
    channel.setMetadata('token', undefined);
    const plain = JSON.parse((await channel.unary('/t/Echo', Buffer.alloc(0))).toString()) as Record<string, string>;
    assert.equal(plain.token, undefined);
  });

  it("status from a trailers-only response and from trailers, with etcd's message", async () => {
    await fails(channel.unary('/t/TrailersOnly', Buffer.alloc(0)), GrpcCode.InvalidArgument, /^etcdserver: key is not provided$/);
    await fails(channel.unary('/t/ErrorAfterData', Buffer.alloc(0)), GrpcCode.OutOfRange, /^mvcc: required revision has been compacted$/);
  });

  it('an HTTP error without grpc-status, and a refused stream (retryable)', async () => {
    await fails(channel.unary('/t/NotFound', Buffer.alloc(0)), GrpcCode.Unimplemented, /HTTP status 404/);
    await fails(channel.unary('/t/Refused', Buffer.alloc(0)), GrpcCode.Unavailable, /stream reset \(code 7\)/, true);
  });

  it('deadline and abort', async () => {
    await fails(channel.unary('/t/Stall', Buffer.alloc(0), { timeoutMs: 50 }), GrpcCode.DeadlineExceeded, /deadline of 50 ms exceeded/);
    const ac = new AbortController();
    const p = channel.unary('/t/Stall', Buffer.alloc(0), { signal: ac.signal });
    setImmediate(() => ac.abort());
    await fails(p, GrpcCode.Cancelled, /cancelled/);
    await fails(channel.unary('/t/Stall', Buffer.alloc(0), { signal: AbortSignal.abort() }), GrpcCode.Cancelled, /cancelled before it started/);
  });

  it('a stream: messages cut across DATA frames arrive whole and in order, then the end', async () => {
    const got: string[] = [];
    const end = await new Promise<Error | undefined>((resolve) => {
      const s = channel.stream('/t/Pieces', { onMessage: (m) => got.push(m.toString()), onEnd: resolve });
      s.end();
    });
    assert.equal(end, undefined);
    assert.deepEqual(got, ['first', 'second', 'third']);
  });

  it('inflates a message announced as gzip; refuses an unannounced compressed one and a cut one', async () => {
    assert.equal((await channel.unary('/t/Gzip', Buffer.alloc(0))).toString(), 'zipped');
    await fails(channel.unary('/t/CompressedUnannounced', Buffer.alloc(0)), GrpcCode.Internal, /^\/t\/CompressedUnannounced: compressed message \(flag 1\) with grpc-encoding absent$/);
    await fails(channel.unary('/t/Truncated', Buffer.alloc(0)), GrpcCode.Internal, /^\/t\/Truncated: the stream ended inside a message$/);
  });

  it('close fails calls in flight with Cancelled; later calls are refused', async () => {
    const ch = await openNodeHttp2Channel({ hosts: [`127.0.0.1:${(server.address() as AddressInfo).port}`] });
    const p = ch.unary('/t/Stall', Buffer.alloc(0));
    await new Promise((r) => setTimeout(r, 20));
    const failed = fails(p, GrpcCode.Cancelled, /channel closed|cancelled/);
    await ch.close();
    await failed;
    await fails(ch.unary('/t/Echo', Buffer.alloc(0)), GrpcCode.Unavailable, /channel closed/, true);
  });
});
