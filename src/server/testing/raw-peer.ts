/**
 * A raw HTTP/2 peer for the hardening tests: one TCP connection to a server on which a test
 * writes whatever bytes it likes (valid frames, broken frames, floods) and watches what comes
 * back, frame by frame, without any client library smoothing it over. Request header blocks are
 * HPACK literals without indexing or Huffman (RFC 7541 6.2.2), which every decoder must accept;
 * the peer never decodes the server's header blocks (tests look at frame types, flags and error
 * codes, and use a real client to see that the server still answers).
 */
import { connect, type Socket } from 'node:net';

/** Frame types (RFC 9113 6). */
export const FrameType = { DATA: 0, HEADERS: 1, PRIORITY: 2, RST_STREAM: 3, SETTINGS: 4, PUSH_PROMISE: 5, PING: 6, GOAWAY: 7, WINDOW_UPDATE: 8, CONTINUATION: 9 } as const;
/** Frame flags. */
export const Flag = { END_STREAM: 0x1, ACK: 0x1, END_HEADERS: 0x4, PADDED: 0x8, PRIORITY: 0x20 } as const;
/** The client connection preface (RFC 9113 3.4). */
export const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

/** One frame as received. */
export interface Frame {
  type: number;
  flags: number;
  streamId: number;
  payload: Buffer;
}

/** Serializes one frame (no size check: tests send oversized frames on purpose). */
export function frame(type: number, flags: number, streamId: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(9);
  head.writeUIntBE(payload.length, 0, 3);
  head[3] = type;
  head[4] = flags;
  head.writeUInt32BE(streamId & 0x7fffffff, 5);
  return Buffer.concat([head, payload]);
}

/** A SETTINGS frame with the given (id, value) pairs. */
export function settings(pairs: [number, number][] = []): Buffer {
  const p = Buffer.alloc(6 * pairs.length);
  pairs.forEach(([id, value], i) => {
    p.writeUInt16BE(id, 6 * i);
    p.writeUInt32BE(value, 6 * i + 2);
  });
  return frame(FrameType.SETTINGS, 0, 0, p);
}

/** A WINDOW_UPDATE frame. */
export function windowUpdate(streamId: number, increment: number): Buffer {
  const p = Buffer.alloc(4);
  p.writeUInt32BE(increment >>> 0);
  return frame(FrameType.WINDOW_UPDATE, 0, streamId, p);
}

/** An RST_STREAM frame. */
export function rstStream(streamId: number, code = 8): Buffer {
  const p = Buffer.alloc(4);
  p.writeUInt32BE(code);
  return frame(FrameType.RST_STREAM, 0, streamId, p);
}

/** A PING frame (8 bytes of payload). */
export function ping(data = Buffer.alloc(8)): Buffer {
  return frame(FrameType.PING, 0, 0, data);
}

/** HPACK integer with an N-bit prefix (RFC 7541 5.1); `first` holds the pattern bits. */
export function hpackInt(value: number, prefixBits: number, first = 0): Buffer {
  const max = (1 << prefixBits) - 1;
  if (value < max) return Buffer.from([first | value]);
  const out = [first | max];
  let v = value - max;
  while (v >= 128) {
    out.push((v % 128) + 128);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Buffer.from(out);
}

function hpackString(s: string | Buffer): Buffer {
  const b = typeof s === 'string' ? Buffer.from(s, 'latin1') : s;
  return Buffer.concat([hpackInt(b.length, 7), b]);
}

/** A header block of literal fields without indexing (new names). */
export function headerBlock(headers: [string, string | Buffer][]): Buffer {
  return Buffer.concat(headers.flatMap(([n, v]) => [Buffer.from([0]), hpackString(n), hpackString(v)]));
}

/** The header block of a gRPC request for `path`, plus `extra` fields. */
export function grpcRequestHeaders(path: string, extra: [string, string][] = []): Buffer {
  return headerBlock([
    [':method', 'POST'],
    [':scheme', 'http'],
    [':path', path],
    [':authority', 'localhost'],
    ['content-type', 'application/grpc'],
    ['te', 'trailers'],
    ...extra,
  ]);
}

/** A gRPC length-prefixed message. */
export function grpcMessage(body: Buffer, compressed = false): Buffer {
  const head = Buffer.alloc(5);
  head[0] = compressed ? 1 : 0;
  head.writeUInt32BE(body.length, 1);
  return Buffer.concat([head, body]);
}

/** An open raw connection and what the server has sent on it. */
export class RawPeer {
  readonly frames: Frame[] = [];
  /** Bytes received in total (frames or not). */
  received = 0;
  /** The server closed the connection (or it failed). */
  closed = false;
  readonly closedPromise: Promise<void>;
  private buf: Buffer = Buffer.alloc(0);
  private waiters: (() => void)[] = [];

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => undefined);
    this.closedPromise = new Promise((resolve) =>
      socket.once('close', () => {
        this.closed = true;
        resolve();
        this.wake();
      }),
    );
  }

  /** Connects to `host:port`. */
  static open(address: string): Promise<RawPeer> {
    const i = address.lastIndexOf(':');
    const socket = connect({ host: address.slice(0, i), port: Number(address.slice(i + 1)) });
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.removeListener('error', reject);
        resolve(new RawPeer(socket));
      });
    });
  }

  /** Connects and sends the preface and an empty SETTINGS frame. */
  static async handshake(address: string, ourSettings: [number, number][] = []): Promise<RawPeer> {
    const peer = await RawPeer.open(address);
    peer.write(Buffer.concat([PREFACE, settings(ourSettings)]));
    return peer;
  }

  /**
   * Writes `data`; resolves once the kernel took it, or at once when the connection is gone.
   * A server that stopped reading makes this wait: the flood helpers rely on that.
   */
  write(data: Buffer): Promise<void> {
    if (this.closed || this.socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      const ok = this.socket.write(data, () => resolve());
      if (!ok) this.socket.once('drain', () => resolve());
    });
  }

  /**
   * Writes `count` copies of what `make(i)` returns, batched, until done or the connection
   * closed; returns how many were written. With `maxMs`, stops after that long even when the
   * server never closes and never reads (its kernel buffers full).
   */
  async flood(count: number, make: (i: number) => Buffer, maxMs = 20_000): Promise<number> {
    const stopAt = Date.now() + maxMs;
    let i = 0;
    while (i < count && !this.closed && Date.now() < stopAt) {
      const batch: Buffer[] = [];
      for (let j = 0; j < 256 && i < count; j++, i++) batch.push(make(i));
      await Promise.race([this.write(Buffer.concat(batch)), this.closedPromise, new Promise((r) => setTimeout(r, Math.max(1, stopAt - Date.now())))]);
    }
    return i;
  }

  /** Stops reading (so the server's writes pile up on its side). */
  pause(): void {
    this.socket.pause();
  }

  /** Resolves with the first frame matching `pred` (looking at all received so far), or undefined once closed or after `timeoutMs`. */
  async waitFor(pred: (f: Frame) => boolean, timeoutMs = 10_000): Promise<Frame | undefined> {
    const stopAt = Date.now() + timeoutMs;
    for (;;) {
      const f = this.frames.find(pred);
      if (f !== undefined) return f;
      if (this.closed || Date.now() >= stopAt) return undefined;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(1, stopAt - Date.now()));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Resolves true once the server closed the connection, false after `timeoutMs`. */
  async waitClosed(timeoutMs = 15_000): Promise<boolean> {
    let t: NodeJS.Timeout | undefined;
    const r = await Promise.race([this.closedPromise.then(() => true), new Promise<boolean>((resolve) => (t = setTimeout(() => resolve(false), timeoutMs)))]);
    clearTimeout(t);
    return r;
  }

  /** The server's GOAWAY error code, if it sent one. */
  goawayCode(): number | undefined {
    const g = this.frames.find((f) => f.type === FrameType.GOAWAY);
    return g === undefined ? undefined : g.payload.readUInt32BE(4);
  }

  /** Sends a PING and resolves true once its ACK came back. */
  async pingAlive(timeoutMs = 10_000): Promise<boolean> {
    const data = Buffer.from('alive?!!');
    await this.write(ping(data));
    const ack = await this.waitFor((f) => f.type === FrameType.PING && (f.flags & Flag.ACK) !== 0 && f.payload.equals(data), timeoutMs);
    return ack !== undefined;
  }

  /** Closes our side. */
  destroy(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private onData(chunk: Buffer): void {
    this.received += chunk.length;
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    let got = false;
    while (this.buf.length >= 9) {
      const len = this.buf.readUIntBE(0, 3);
      if (this.buf.length < 9 + len) break;
      // Keep only the frames tests look at in full; DATA payloads are dropped to stay small.
      const type = this.buf[3];
      this.frames.push({ type, flags: this.buf[4], streamId: this.buf.readUInt32BE(5) & 0x7fffffff, payload: type === FrameType.DATA ? Buffer.alloc(0) : Buffer.from(this.buf.subarray(9, 9 + len)) });
      this.buf = this.buf.subarray(9 + len);
      got = true;
    }
    if (got) this.wake();
  }
}

/** The value of SETTINGS parameter `id` in the server's first SETTINGS frame, if present. */
export function settingValue(peer: RawPeer, id: number): number | undefined {
  const s = peer.frames.find((f) => f.type === FrameType.SETTINGS && (f.flags & Flag.ACK) === 0);
  if (s === undefined) return undefined;
  for (let i = 0; i + 6 <= s.payload.length; i += 6) if (s.payload.readUInt16BE(i) === id) return s.payload.readUInt32BE(i + 2);
  return undefined;
}
