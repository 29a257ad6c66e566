/**
 * serve answers whatever connects to its port (issue 12's list), part one: bad starts and bad
 * frames. Each case plays a hostile or broken client on a raw TCP connection
 * (`testing/raw-peer.ts`) against `metabench serve` in its own process, once per transport, then
 * checks that serve still answers another client and that its RSS stayed bounded
 * (`testing/hardening-harness.ts`). Floods and timeouts are in `hardening-floods.test.ts`.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { it } from 'node:test';
import { loadEtcdServices } from './proto.ts';
import { describeHardening } from './testing/hardening-harness.ts';
import { Flag, FrameType, PREFACE, RawPeer, frame, grpcMessage, grpcRequestHeaders, headerBlock, hpackInt, settings, settingValue } from './testing/raw-peer.ts';

const rangeBody = (key: string): Buffer => loadEtcdServices().KV.Range.requestSerialize({ key: Buffer.from(key) });
const RANGE_PATH = '/etcdserverpb.KV/Range';

/** `block` as HEADERS then CONTINUATION frames of at most 16,000 octets on stream `id`. */
function headerFrames(id: number, block: Buffer, endStream: boolean): Buffer[] {
  const frames: Buffer[] = [];
  for (let off = 0; off < block.length; off += 16_000) {
    const last = off + 16_000 >= block.length;
    frames.push(frame(off === 0 ? FrameType.HEADERS : FrameType.CONTINUATION, (last ? Flag.END_HEADERS : 0) | (off === 0 && endStream ? Flag.END_STREAM : 0), id, block.subarray(off, off + 16_000)));
  }
  return frames;
}

describeHardening('serve under broken clients', (h) => {
  it('bad starts: no preface (handshake timeout), a wrong preface, HTTP/1.1, a TLS hello, random bytes', async () => {
    await h.survives(async () => {
      const silent = await RawPeer.open(h.server().address);
      await h.expectClosed(silent, 'no preface', true);
      const starts: [string, Buffer][] = [
        ['wrong preface', Buffer.from('PRI * HTTP/1.0\r\n\r\nSM\r\n\r\n')],
        ['HTTP/1.1', Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')],
        // The first bytes of a TLS 1.2 ClientHello record.
        ['TLS hello', Buffer.concat([Buffer.from([0x16, 0x03, 0x01, 0x00, 0xc8, 0x01, 0x00, 0x00, 0xc4, 0x03, 0x03]), randomBytes(189)])],
        ['random bytes', randomBytes(4096)],
      ];
      for (const [what, bytes] of starts) {
        const peer = await RawPeer.open(h.server().address);
        await peer.write(bytes);
        await h.expectClosed(peer, what);
      }
    });
  });

  it('advertises MAX_CONCURRENT_STREAMS and a bounded header list in its SETTINGS', async () => {
    const peer = await RawPeer.handshake(h.server().address);
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
    await h.survives(async () => {
      const peer = await RawPeer.handshake(h.server().address);
      await peer.write(frame(FrameType.HEADERS, Flag.END_HEADERS, 1, Buffer.alloc(16_385)));
      await h.expectClosed(peer, 'oversized frame');
      if (h.strict) assert.equal(peer.goawayCode() ?? 6, 6, 'GOAWAY FRAME_SIZE_ERROR if any');
    });
  });

  it('unknown frame types are ignored: the connection still answers a PING', async () => {
    await h.survives(async () => {
      const peer = await RawPeer.handshake(h.server().address);
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
    await h.survives(async () => {
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
        const peer = await RawPeer.handshake(h.server().address);
        await peer.write(Buffer.concat(frames));
        await h.expectClosed(peer, what);
        const code = peer.goawayCode();
        if (h.strict) assert.ok(code === undefined || code === 1 || code === 5, `${what}: GOAWAY code ${code}`);
      }
    });
  });

  it('CONTINUATION without HEADERS, and endless CONTINUATION, close the connection', async () => {
    await h.survives(async () => {
      const orphan = await RawPeer.handshake(h.server().address);
      await orphan.write(frame(FrameType.CONTINUATION, Flag.END_HEADERS, 1, grpcRequestHeaders(RANGE_PATH)));
      await h.expectClosed(orphan, 'CONTINUATION without HEADERS');

      const endless = await RawPeer.handshake(h.server().address);
      await endless.write(frame(FrameType.HEADERS, 0, 1, grpcRequestHeaders(RANGE_PATH)));
      const block = headerBlock([['x-pad', 'a'.repeat(16_000)]]);
      // 64 MiB of header block if nobody stops it.
      const sent = await endless.flood(4096, () => frame(FrameType.CONTINUATION, 0, 1, block));
      await h.expectClosed(endless, 'endless CONTINUATION');
      // Loopback takes the whole flood before the socket closes; the GOAWAY says it was refused.
      if (h.strict) assert.ok(endless.goawayCode() === 11 || endless.goawayCode() === 6, `GOAWAY ENHANCE_YOUR_CALM, got ${endless.goawayCode()} after ${sent} frames`);
    });
  });

  it('HPACK bombs: a table size update above the limit, and a header list over the limit', async () => {
    await h.survives(async () => {
      const update = await RawPeer.handshake(h.server().address);
      // Dynamic table size update (001xxxxx) to 1 GiB, far above SETTINGS_HEADER_TABLE_SIZE.
      await update.write(frame(FrameType.HEADERS, Flag.END_HEADERS | Flag.END_STREAM, 1, Buffer.concat([hpackInt(1 << 30, 5, 0x20), grpcRequestHeaders(RANGE_PATH)])));
      await h.expectClosed(update, 'table size update over the limit');
      if (h.strict) assert.equal(update.goawayCode() ?? 9, 9, 'COMPRESSION_ERROR if any');

      // 1 MiB of headers in one block, in CONTINUATION frames: refused (stream or connection).
      const big = await RawPeer.handshake(h.server().address);
      const block = Buffer.concat([grpcRequestHeaders(RANGE_PATH), headerBlock(Array.from({ length: 64 }, (_, i) => [`x-big-${i}`, 'b'.repeat(16_000)]))]);
      const frames = headerFrames(1, block, true);
      await big.flood(frames.length, (i) => frames[i]);
      const refused = await big.waitFor((f) => (f.type === FrameType.RST_STREAM || f.type === FrameType.HEADERS) && f.streamId === 1);
      if (h.strict) assert.ok(refused !== undefined || big.closed, 'the oversized header list is refused');
      big.destroy();
    });
  });

  it('HPACK amplification: one 4 KiB table entry referenced 16,000 times (64 MiB decoded) is refused', async () => {
    await h.survives(async () => {
      const peer = await RawPeer.handshake(h.server().address);
      // Literal with incremental indexing (0x40, new name), then index 62 (0xbe) = that entry.
      const entry = Buffer.concat([Buffer.from([0x40]), hpackInt(6, 7), Buffer.from('x-bomb'), hpackInt(4000, 7), Buffer.alloc(4000, 0x61)]);
      const block = Buffer.concat([grpcRequestHeaders(RANGE_PATH), entry, Buffer.alloc(16_000, 0xbe)]);
      await peer.write(Buffer.concat(headerFrames(1, block, true)));
      const refused = await peer.waitFor((f) => (f.type === FrameType.RST_STREAM || f.type === FrameType.HEADERS) && f.streamId === 1);
      if (h.strict) {
        // A trailers-only answer (RESOURCE_EXHAUSTED), not a call that decoded 64 MiB of headers.
        assert.ok(refused?.type === FrameType.HEADERS && (refused.flags & Flag.END_STREAM) !== 0, 'the bomb is answered with a trailers-only status');
      }
      peer.destroy();
    });
  });

  it('zero-length header fields (CVE-2019-9516): 1,000 requests of 200 empty indexed fields each', async () => {
    await h.survives(async () => {
      const peer = await RawPeer.handshake(h.server().address);
      // 0x40 0x00 0x00: literal with incremental indexing, empty name, empty value.
      const empties = Buffer.from(Array.from({ length: 200 }, () => [0x40, 0x00, 0x00]).flat());
      const block = Buffer.concat([grpcRequestHeaders(RANGE_PATH), empties]);
      await peer.flood(1000, (i) => frame(FrameType.HEADERS, Flag.END_HEADERS | Flag.END_STREAM, 2 * i + 1, block));
      await peer.waitClosed(500);
      peer.destroy();
    });
  });

  it('DATA on a closed stream is an error, not processed', async () => {
    await h.survives(async () => {
      const peer = await RawPeer.handshake(h.server().address);
      try {
        await peer.write(Buffer.concat([frame(FrameType.HEADERS, Flag.END_HEADERS, 1, grpcRequestHeaders(RANGE_PATH)), frame(FrameType.DATA, Flag.END_STREAM, 1, grpcMessage(rangeBody('/x')))]));
        // The answer ends the stream (trailers carry END_STREAM).
        await peer.waitFor((f) => f.type === FrameType.HEADERS && f.streamId === 1 && (f.flags & Flag.END_STREAM) !== 0);
        await peer.write(frame(FrameType.DATA, 0, 1, grpcMessage(rangeBody('/x'))));
        const err = await peer.waitFor((f) => (f.type === FrameType.RST_STREAM && f.streamId === 1) || f.type === FrameType.GOAWAY);
        if (h.strict) assert.ok(err !== undefined || peer.closed, 'RST_STREAM or GOAWAY STREAM_CLOSED');
      } finally {
        peer.destroy();
      }
    });
  });

  it('a preface split across writes and frames split byte by byte are still understood', async () => {
    const peer = await RawPeer.open(h.server().address);
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
