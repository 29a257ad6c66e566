/**
 * serve answers whatever connects to its port (issue 12's list): each case below plays a hostile
 * or broken client on a raw TCP connection (`testing/raw-peer.ts`) against `metabench serve` in
 * its own process, then checks that serve still answers another client (a grpc-js Put and Range)
 * and that its RSS stayed within a bound above what it used before the case. The suite runs
 * once per transport (`METABENCH_SERVE_TRANSPORT`); idle and handshake timeouts are shortened
 * through `METABENCH_SERVE_IDLE_TIMEOUT_MS` so the timeout cases take a second, not minutes.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { credentials, makeGenericClientConstructor, type ServiceError } from '@grpc/grpc-js';
import { rssBytes, spawnServe, type ServerChild } from './processes.ts';
import { loadEtcdServices } from './proto.ts';
import { tempDir } from './test-support.ts';
import { Flag, FrameType, PREFACE, RawPeer, frame, grpcMessage, grpcRequestHeaders, headerBlock, hpackInt, rstStream, settingValue, settings, windowUpdate } from './testing/raw-peer.ts';

/** How far RSS may rise during one case before we call it unbounded. */
const RSS_SLACK_BYTES = 96 * 1024 * 1024;
/** The transports under test: every one serve can run on. */
const TRANSPORTS = (process.env.METABENCH_HARDENING_TRANSPORTS ?? 'raw,h2').split(',');
const IDLE_MS = 1000;

type Cb = (err: ServiceError | null, res?: { kvs?: { value: Buffer }[]; header?: { revision: number } }) => void;
type KvClient = { Put(req: object, opts: object, cb: Cb): void; Range(req: object, opts: object, cb: Cb): void; Compact(req: object, cb: (err: ServiceError | null) => void): void; close(): void };

const rangeBody = (key: string): Buffer => loadEtcdServices().KV.Range.requestSerialize({ key: Buffer.from(key) });
const PUT_PATH = '/etcdserverpb.KV/Put';
const RANGE_PATH = '/etcdserverpb.KV/Range';

for (const transport of TRANSPORTS) {
  describe(`serve under hostile clients (transport ${transport})`, { concurrency: 1 }, () => {
    let server: ServerChild;
    let dir: Awaited<ReturnType<typeof tempDir>>;
    let client: KvClient;
    let round = 0;

    /** Another client still gets answers: a Put then a Range of the same key. */
    async function stillAnswers(): Promise<void> {
      const key = `/h/${round++}`;
      const call = (m: 'Put' | 'Range', req: object) =>
        new Promise<{ kvs?: { value: Buffer }[] }>((resolve, reject) => client[m](req, { deadline: Date.now() + 15_000 }, (err, res) => (err ? reject(err) : resolve(res ?? {}))));
      await call('Put', { key: Buffer.from(key), value: Buffer.from('v') });
      const got = await call('Range', { key: Buffer.from(key) });
      assert.equal(got.kvs?.[0]?.value.toString(), 'v', 'serve answers another client after the case');
    }

    /** Runs `play`, then checks serve answers and its RSS rose by less than the slack. */
    async function survives(play: () => Promise<void>): Promise<void> {
      const before = rssBytes(server.pid);
      await play();
      await stillAnswers();
      const grew = rssBytes(server.pid) - before;
      assert.ok(grew < RSS_SLACK_BYTES, `RSS grew by ${(grew / 1048576).toFixed(0)} MiB during the case`);
    }

    /**
     * The protocol answers (connection closed, GOAWAY codes) are asserted on the raw transport;
     * node:http2 (nghttp2) ignores some violations instead, so there only survival counts.
     */
    const strict = transport === 'raw';
    async function expectClosed(peer: RawPeer, what: string, always = false): Promise<void> {
      if (strict || always) assert.equal(await peer.waitClosed(), true, `${what}: the server closes the connection`);
      else await peer.waitClosed(1000);
      peer.destroy();
    }

    before(async () => {
      dir = await tempDir(`hardening-${transport}`);
      server = await spawnServe({
        engine: 'memory',
        dataDir: join(dir.path, 'data'),
        args: ['--sync', 'none'],
        env: { METABENCH_SERVE_TRANSPORT: transport, METABENCH_SERVE_IDLE_TIMEOUT_MS: String(IDLE_MS) },
      });
      const Ctor = makeGenericClientConstructor(loadEtcdServices().KV, 'KV');
      client = new Ctor(server.address, credentials.createInsecure(), { 'grpc.keepalive_time_ms': 600_000 }) as unknown as KvClient;
      await stillAnswers();
    });
    after(async () => {
      client?.close();
      const status = await server?.stop();
      await dir?.remove();
      assert.deepEqual(status, { exitCode: 0, signal: undefined }, server?.stderr());
    });

    it('bad starts: no preface (handshake timeout), a wrong preface, HTTP/1.1, a TLS hello, random bytes', async () => {
      await survives(async () => {
        const silent = await RawPeer.open(server.address);
        await expectClosed(silent, 'no preface', true);
        const starts: [string, Buffer][] = [
          ['wrong preface', Buffer.from('PRI * HTTP/1.0\r\n\r\nSM\r\n\r\n')],
          ['HTTP/1.1', Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')],
          // The first bytes of a TLS 1.2 ClientHello record.
          ['TLS hello', Buffer.concat([Buffer.from([0x16, 0x03, 0x01, 0x00, 0xc8, 0x01, 0x00, 0x00, 0xc4, 0x03, 0x03]), randomBytes(189)])],
          ['random bytes', randomBytes(4096)],
        ];
        for (const [what, bytes] of starts) {
          const peer = await RawPeer.open(server.address);
          await peer.write(bytes);
          await expectClosed(peer, what);
        }
      });
    });

    it('advertises MAX_CONCURRENT_STREAMS and a bounded header list in its SETTINGS', async () => {
      const peer = await RawPeer.handshake(server.address);
      try {
        await peer.waitFor((f) => f.type === FrameType.SETTINGS);
        const maxStreams = settingValue(peer, 3);
        assert.ok(maxStreams !== undefined && maxStreams <= 10_000, `MAX_CONCURRENT_STREAMS ${maxStreams}`);
        assert.ok(await peer.pingAlive(), 'PING answered');
      } finally {
        peer.destroy();
      }
    });

    it('a frame larger than SETTINGS_MAX_FRAME_SIZE closes the connection', async () => {
      await survives(async () => {
        const peer = await RawPeer.handshake(server.address);
        await peer.write(frame(FrameType.HEADERS, Flag.END_HEADERS, 1, Buffer.alloc(16_385)));
        await expectClosed(peer, 'oversized frame');
        if (strict) assert.equal(peer.goawayCode() ?? 6, 6, 'GOAWAY FRAME_SIZE_ERROR if any');
      });
    });

    it('unknown frame types are ignored: the connection still answers a PING', async () => {
      await survives(async () => {
        const peer = await RawPeer.handshake(server.address);
        try {
          await peer.write(Buffer.concat([frame(0xee, 0xff, 0, Buffer.alloc(100, 1)), frame(0x42, 0, 7, Buffer.alloc(10))]));
          assert.ok(await peer.pingAlive(), 'PING after unknown frames answered');
          assert.equal(peer.closed, false);
        } finally {
          peer.destroy();
        }
      });
    });

    it('stream IDs going backwards, reused, or even close the connection with PROTOCOL_ERROR', async () => {
      await survives(async () => {
        const cases: [string, Buffer[]][] = [
          ['backwards', [frame(FrameType.HEADERS, Flag.END_HEADERS, 5, grpcRequestHeaders(RANGE_PATH)), frame(FrameType.HEADERS, Flag.END_HEADERS, 3, grpcRequestHeaders(RANGE_PATH))]],
          [
            'reused',
            [
              frame(FrameType.HEADERS, Flag.END_HEADERS, 1, grpcRequestHeaders(RANGE_PATH)),
              frame(FrameType.DATA, Flag.END_STREAM, 1, grpcMessage(rangeBody('/x'))),
              frame(FrameType.HEADERS, Flag.END_HEADERS, 1, grpcRequestHeaders(RANGE_PATH)),
            ],
          ],
          ['even', [frame(FrameType.HEADERS, Flag.END_HEADERS, 2, grpcRequestHeaders(RANGE_PATH))]],
        ];
        for (const [what, frames] of cases) {
          const peer = await RawPeer.handshake(server.address);
          await peer.write(Buffer.concat(frames));
          await expectClosed(peer, what);
          const code = peer.goawayCode();
          if (strict) assert.ok(code === undefined || code === 1 || code === 5, `${what}: GOAWAY code ${code}`);
        }
      });
    });

    it('CONTINUATION without HEADERS, and endless CONTINUATION, close the connection', async () => {
      await survives(async () => {
        const orphan = await RawPeer.handshake(server.address);
        await orphan.write(frame(FrameType.CONTINUATION, Flag.END_HEADERS, 1, grpcRequestHeaders(RANGE_PATH)));
        await expectClosed(orphan, 'CONTINUATION without HEADERS');

        const endless = await RawPeer.handshake(server.address);
        await endless.write(frame(FrameType.HEADERS, 0, 1, grpcRequestHeaders(RANGE_PATH)));
        const block = headerBlock([['x-pad', 'a'.repeat(16_000)]]);
        // 64 MiB of header block if nobody stops it.
        const sent = await endless.flood(4096, () => frame(FrameType.CONTINUATION, 0, 1, block));
        await expectClosed(endless, 'endless CONTINUATION');
        // Loopback takes the whole flood before the socket closes; the GOAWAY says it was refused.
        if (strict) assert.ok(endless.goawayCode() === 11 || endless.goawayCode() === 6, `GOAWAY ENHANCE_YOUR_CALM, got ${endless.goawayCode()} after ${sent} frames`);
      });
    });

    it('HPACK bombs: a table size update above the limit, and a header list over the limit', async () => {
      await survives(async () => {
        const update = await RawPeer.handshake(server.address);
        // Dynamic table size update (001xxxxx) to 1 GiB, far above SETTINGS_HEADER_TABLE_SIZE.
        await update.write(frame(FrameType.HEADERS, Flag.END_HEADERS | Flag.END_STREAM, 1, Buffer.concat([hpackInt(1 << 30, 5, 0x20), grpcRequestHeaders(RANGE_PATH)])));
        await expectClosed(update, 'table size update over the limit');
        if (strict) assert.equal(update.goawayCode() ?? 9, 9, 'COMPRESSION_ERROR if any');

        // 1 MiB of headers in one block, in CONTINUATION frames: refused (stream or connection).
        const big = await RawPeer.handshake(server.address);
        const block = Buffer.concat([grpcRequestHeaders(RANGE_PATH), headerBlock(Array.from({ length: 64 }, (_, i) => [`x-big-${i}`, 'b'.repeat(16_000)]))]);
        const frames: Buffer[] = [];
        for (let off = 0; off < block.length; off += 16_000) {
          const last = off + 16_000 >= block.length;
          frames.push(frame(off === 0 ? FrameType.HEADERS : FrameType.CONTINUATION, (last ? Flag.END_HEADERS : 0) | (off === 0 ? Flag.END_STREAM : 0), 1, block.subarray(off, off + 16_000)));
        }
        await big.flood(frames.length, (i) => frames[i]);
        const refused = await big.waitFor((f) => (f.type === FrameType.RST_STREAM || f.type === FrameType.HEADERS) && f.streamId === 1);
        if (strict) assert.ok(refused !== undefined || big.closed, 'the oversized header list is refused');
        big.destroy();
      });
    });

    it('DATA on a closed stream is an error, not processed', async () => {
      await survives(async () => {
        const peer = await RawPeer.handshake(server.address);
        try {
          await peer.write(Buffer.concat([frame(FrameType.HEADERS, Flag.END_HEADERS, 1, grpcRequestHeaders(RANGE_PATH)), frame(FrameType.DATA, Flag.END_STREAM, 1, grpcMessage(rangeBody('/x')))]));
          // The answer ends the stream (trailers carry END_STREAM).
          await peer.waitFor((f) => f.type === FrameType.HEADERS && f.streamId === 1 && (f.flags & Flag.END_STREAM) !== 0);
          await peer.write(frame(FrameType.DATA, 0, 1, grpcMessage(rangeBody('/x'))));
          const err = await peer.waitFor((f) => (f.type === FrameType.RST_STREAM && f.streamId === 1) || f.type === FrameType.GOAWAY);
          if (strict) assert.ok(err !== undefined || peer.closed, 'RST_STREAM or GOAWAY STREAM_CLOSED');
        } finally {
          peer.destroy();
        }
      });
    });

    it('rapid reset (CVE-2023-44487): 20,000 HEADERS then RST_STREAM', async () => {
      await survives(async () => {
        const peer = await RawPeer.handshake(server.address);
        const block = grpcRequestHeaders(PUT_PATH);
        await peer.flood(20_000, (i) => Buffer.concat([frame(FrameType.HEADERS, Flag.END_HEADERS, 2 * i + 1, block), rstStream(2 * i + 1)]));
        peer.destroy();
      });
    });

    it('PING, SETTINGS and empty-frame floods from a peer that never reads', async () => {
      await survives(async () => {
        const floods: [string, (i: number) => Buffer][] = [
          ['PING', () => frame(FrameType.PING, 0, 0, Buffer.alloc(8))],
          ['SETTINGS', () => settings([[4, 65_535]])],
          ['empty DATA', () => frame(FrameType.DATA, 0, 1, Buffer.alloc(0))],
          ['empty CONTINUATION', () => frame(FrameType.CONTINUATION, 0, 1)],
        ];
        for (const [what, make] of floods) {
          const peer = await RawPeer.handshake(server.address);
          peer.pause();
          if (what !== 'PING' && what !== 'SETTINGS') await peer.write(frame(FrameType.HEADERS, what === 'empty DATA' ? Flag.END_HEADERS : 0, 1, grpcRequestHeaders(PUT_PATH)));
          await peer.flood(200_000, make, 10_000);
          peer.destroy();
          await stillAnswers();
        }
      });
    });

    it('window-update abuse: a zero increment and a window over 2^31-1 are errors', async () => {
      await survives(async () => {
        const overflow = await RawPeer.handshake(server.address);
        await overflow.write(Buffer.concat([windowUpdate(0, 0x7fffffff), windowUpdate(0, 0x7fffffff)]));
        await expectClosed(overflow, 'connection window over 2^31-1');
        if (strict) assert.equal(overflow.goawayCode() ?? 3, 3, 'FLOW_CONTROL_ERROR if any');

        const zero = await RawPeer.handshake(server.address);
        await zero.write(windowUpdate(0, 0));
        await expectClosed(zero, 'zero increment on the connection');
      });
    });

    it('zero windows: a peer that grants no window and asks for large answers does not grow serve unboundedly', async () => {
      const value = Buffer.alloc(64 * 1024, 9);
      await new Promise<void>((resolve, reject) => client.Put({ key: Buffer.from('/big'), value }, {}, (err) => (err ? reject(err) : resolve())));
      await survives(async () => {
        const peer = await RawPeer.handshake(server.address, [[4, 0]]);
        peer.pause();
        const req = Buffer.concat([grpcRequestHeaders(RANGE_PATH)]);
        const body = grpcMessage(rangeBody('/big'));
        await peer.flood(5000, (i) => Buffer.concat([frame(FrameType.HEADERS, Flag.END_HEADERS, 2 * i + 1, req), frame(FrameType.DATA, Flag.END_STREAM, 2 * i + 1, body)]), 10_000);
        peer.destroy();
      });
    });

    it('MAX_CONCURRENT_STREAMS is enforced: 20,000 open streams on one session are refused past the limit', async () => {
      await survives(async () => {
        const peer = await RawPeer.handshake(server.address);
        const block = grpcRequestHeaders(PUT_PATH);
        await peer.flood(20_000, (i) => frame(FrameType.HEADERS, Flag.END_HEADERS, 2 * i + 1, block));
        const refused = await peer.waitFor((f) => (f.type === FrameType.RST_STREAM && f.payload.readUInt32BE(0) === 7) || f.type === FrameType.GOAWAY);
        if (strict) assert.ok(refused !== undefined || peer.closed, 'streams past the limit refused (REFUSED_STREAM) or the session closed');
        peer.destroy();
      });
    });

    it('idle connections and slowloris connections time out', async () => {
      await survives(async () => {
        const idle = await RawPeer.handshake(server.address);
        await expectClosed(idle, 'idle connection', true);
        const slow = await RawPeer.handshake(server.address);
        const req = frame(FrameType.HEADERS, Flag.END_HEADERS, 1, grpcRequestHeaders(RANGE_PATH));
        // One byte of a HEADERS frame every 100 ms: never a whole request.
        let i = 0;
        const timer = setInterval(() => void slow.write(req.subarray(i, ++i)), 100);
        try {
          await expectClosed(slow, 'slowloris', true);
          assert.ok(i < req.length, 'closed before the request was complete');
        } finally {
          clearInterval(timer);
        }
      });
    });

    it('a watcher that never reads gets backpressure, not unbounded buffers', async () => {
      await survives(async () => {
        const peer = await RawPeer.handshake(server.address);
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
              (_, j) => new Promise<number>((resolve, reject) => client.Put({ key: Buffer.from(`/w/${(i + j) % 50}`), value }, {}, (err, res) => (err ? reject(err) : resolve(Number(res?.header?.revision))))),
            ),
          );
          await new Promise<void>((resolve, reject) => client.Compact({ revision: Math.max(...revs) }, (err) => (err ? reject(err) : resolve())));
        }
        peer.destroy();
      });
    });

    it('a preface split across writes and frames split byte by byte are still understood', async () => {
      const peer = await RawPeer.open(server.address);
      try {
        const all = Buffer.concat([PREFACE, settings(), frame(FrameType.PING, 0, 0, Buffer.from('bytewise'))]);
        for (let i = 0; i < all.length; i += 7) await peer.write(all.subarray(i, i + 7));
        const ack = await peer.waitFor((f) => f.type === FrameType.PING && (f.flags & Flag.ACK) !== 0);
        assert.ok(ack !== undefined, 'PING answered');
      } finally {
        peer.destroy();
      }
    });
  });
}
