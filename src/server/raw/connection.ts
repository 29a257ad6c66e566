/**
 * One client connection of the raw transport: HTTP/2 (RFC 9113) on a socket, server side, for
 * gRPC calls. The shared frame layer (`../../h2/`) cuts and checks frames and decodes HPACK;
 * this file keeps the connection's state:
 *
 * - handshake: our SETTINGS (MAX_CONCURRENT_STREAMS, INITIAL_WINDOW_SIZE, MAX_HEADER_LIST_SIZE)
 *   and a connection WINDOW_UPDATE go out at once; the client's preface and SETTINGS must
 *   arrive within the handshake timeout;
 * - streams: odd ids, each above the last (else PROTOCOL_ERROR), at most
 *   MAX_CONCURRENT_STREAMS open (REFUSED_STREAM past it); each becomes a gRPC call through the
 *   router (`../grpc-router.ts`, `../h2-call.ts`);
 * - flow control both ways: received DATA is given back with WINDOW_UPDATE as it arrives (the
 *   call's message size limit bounds what one stream buffers); response DATA waits in its
 *   stream while the peer's window (stream or connection) is shut or the socket is backed up;
 * - writes: frames queued in one tick go out in one socket write;
 * - defences (see `limits.ts`): budgets for empty frames, resets, refusals, SETTINGS and PING;
 *   a peer that makes us answer while it does not read is cut off (ENHANCE_YOUR_CALM); idle
 *   and slow connections time out;
 * - shutdown: GOAWAY, running calls finish, then the socket ends; or everything at once.
 */
import type http2 from 'node:http2';
import type { Socket } from 'node:net';
import { ErrorCode, Flag, FrameType, MAX_WINDOW_SIZE } from '../../h2/constants.ts';
import { H2Error } from '../../h2/errors.ts';
import type { FrameHandler } from '../../h2/frame-handler.ts';
import { writeFrameHeader } from '../../h2/frame-header.ts';
import { FrameParser } from '../../h2/frame-parser.ts';
import { HpackDecoder } from '../../h2/hpack.ts';
import { applySettings, defaultSettings, encodeSettingsFrame, SETTINGS_ACK_FRAME, type Settings } from '../../h2/settings.ts';
import { reportHandlerError, startCall, type CallHeaders, type Route } from '../h2-call.ts';
import type { GrpcRouter } from '../grpc-router.ts';
import { statusHeaders, trailersOnly } from '../grpc-framing.ts';
import { HeaderCache } from './header-cache.ts';
import { encodeHeaders } from './header-encoding.ts';
import { Budget, type ConnectionLimits } from './limits.ts';
import { goawayFrame, rstFrame, takeBytes, windowUpdateFrame } from './frames.ts';
import { RawStream, type StreamOwner } from './raw-stream.ts';

const GRPC_UNIMPLEMENTED = 12;
const GRPC_RESOURCE_EXHAUSTED = 8;
const HTTP_UNSUPPORTED_MEDIA_TYPE: http2.OutgoingHttpHeaders = { ':status': 415 };

/** See the file comment. */
export class ServerConnection implements FrameHandler, StreamOwner {
  private readonly parser: FrameParser;
  private readonly hpack: HpackDecoder;
  private readonly headerCache = new HeaderCache();
  private readonly peer: Settings = defaultSettings();
  private readonly streams = new Map<number, RawStream>();
  private lastStreamId = 0;
  private connSendWindow = 65_535;
  private connRecvWindow: number;
  private connRecvUnacked = 0;
  private out: Buffer[] = [];
  private outBytes = 0;
  private flushScheduled = false;
  /** Streams with response bytes waiting for window or socket room. */
  private readonly blocked = new Set<RawStream>();
  private readonly abuse: Budget;
  private handshakeTimer: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  /** GOAWAY sent (shutdown or error): no new streams. */
  private goingAway = false;
  private dead = false;
  private readonly flushNow = (): void => this.flush();

  constructor(
    private readonly socket: Socket,
    private readonly router: GrpcRouter,
    private readonly limits: ConnectionLimits,
    private readonly onGone: (c: ServerConnection) => void,
  ) {
    this.parser = new FrameParser(this, { expectPreface: true, maxHeaderBlockBytes: limits.maxHeaderBlockBytes });
    this.hpack = new HpackDecoder({ maxHeaderListBytes: limits.maxHeaderListBytes });
    this.abuse = new Budget(limits.abuseBurst, limits.abusePerSec);
    this.connRecvWindow = limits.connectionWindowBytes;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onBytes(chunk));
    socket.on('drain', () => this.onDrain());
    socket.on('error', () => this.teardown());
    socket.once('close', () => this.teardown());
    this.handshakeTimer = setTimeout(() => this.fail(new H2Error(ErrorCode.SETTINGS_TIMEOUT, 'no preface and SETTINGS in time')), limits.handshakeTimeoutMs);
    this.queue(
      encodeSettingsFrame({ maxConcurrentStreams: limits.maxConcurrentStreams, initialWindowSize: limits.streamWindowBytes, maxHeaderListSize: limits.maxHeaderListBytes }),
    );
    this.queue(windowUpdateFrame(0, limits.connectionWindowBytes - 65_535));
    this.armIdle();
  }

  /** Bytes written but not yet taken by the kernel. */
  get socketBacklog(): number {
    return this.socket.writableLength + this.outBytes;
  }

  /** Graceful: GOAWAY, let running calls finish, then close. */
  shutdown(): void {
    if (this.dead) return;
    if (!this.goingAway) {
      this.goingAway = true;
      this.queue(goawayFrame(this.lastStreamId, ErrorCode.NO_ERROR, ''));
    }
    if (this.streams.size === 0) this.endSocket();
  }

  /** Closes at once; running calls see their stream close. */
  destroy(): void {
    this.socket.destroy();
    this.teardown();
  }

  // --- input ---------------------------------------------------------------------------------

  private onBytes(chunk: Buffer): void {
    if (this.dead || this.parser.error) return;
    try {
      this.parser.push(chunk);
    } catch (err) {
      this.fail(err);
    }
  }

  onSettings(ack: boolean, payload: Buffer): void {
    if (ack) return;
    if (this.handshakeTimer !== undefined) {
      clearTimeout(this.handshakeTimer);
      this.handshakeTimer = undefined;
    } else {
      this.spend('SETTINGS');
    }
    const before = this.peer.initialWindowSize;
    applySettings(this.peer, payload);
    const delta = this.peer.initialWindowSize - before;
    if (delta !== 0) {
      for (const s of this.streams.values()) {
        s.sendWindow += delta;
        if (s.sendWindow > MAX_WINDOW_SIZE) throw new H2Error(ErrorCode.FLOW_CONTROL_ERROR, `stream ${s.id} window above 2^31-1 after SETTINGS`);
      }
    }
    this.control(SETTINGS_ACK_FRAME);
    if (delta > 0) this.pumpAll();
  }

  onPing(ack: boolean, data: Buffer): void {
    if (ack) return;
    this.spend('PING');
    const f = Buffer.allocUnsafe(17);
    writeFrameHeader(f, 0, 8, FrameType.PING, Flag.ACK, 0);
    data.copy(f, 9);
    this.control(f);
  }

  onGoaway(): void {
    // The peer leaves: finish what runs, accept nothing new.
    this.goingAway = true;
    if (this.streams.size === 0) this.endSocket();
  }

  onWindowUpdate(streamId: number, increment: number): void {
    if (streamId === 0) {
      this.connSendWindow += increment;
      if (this.connSendWindow > MAX_WINDOW_SIZE) throw new H2Error(ErrorCode.FLOW_CONTROL_ERROR, 'connection window above 2^31-1');
      this.pumpAll();
      return;
    }
    const s = this.streams.get(streamId);
    if (s === undefined) {
      if (streamId > this.lastStreamId) throw new H2Error(ErrorCode.PROTOCOL_ERROR, `WINDOW_UPDATE on idle stream ${streamId}`);
      return; // a stream that just closed: allowed
    }
    s.sendWindow += increment;
    if (s.sendWindow > MAX_WINDOW_SIZE) {
      this.resetStream(s, ErrorCode.FLOW_CONTROL_ERROR);
      return;
    }
    this.pump(s);
  }

  onRstStream(streamId: number): void {
    const s = this.streams.get(streamId);
    if (s === undefined) {
      if (streamId > this.lastStreamId) throw new H2Error(ErrorCode.PROTOCOL_ERROR, `RST_STREAM on idle stream ${streamId}`);
      return;
    }
    // A reset of a call we were still serving costs us its work: rapid reset, CVE-2023-44487.
    this.spend('RST_STREAM');
    this.blocked.delete(s);
    s.abort();
  }

  onPushPromise(): void {
    throw new H2Error(ErrorCode.PROTOCOL_ERROR, 'PUSH_PROMISE from a client');
  }

  onStreamError(err: H2Error): void {
    const s = this.streams.get(err.streamId);
    if (s !== undefined) this.resetStream(s, err.code);
    else this.queue(rstFrame(err.streamId, err.code));
  }

  onData(streamId: number, data: Buffer, endStream: boolean, flowBytes: number): void {
    this.connRecvWindow -= flowBytes;
    if (this.connRecvWindow < 0) throw new H2Error(ErrorCode.FLOW_CONTROL_ERROR, 'DATA beyond the connection window');
    this.connRecvUnacked += flowBytes;
    if (this.connRecvUnacked >= this.limits.connectionWindowBytes / 2) {
      this.queue(windowUpdateFrame(0, this.connRecvUnacked));
      this.connRecvWindow += this.connRecvUnacked;
      this.connRecvUnacked = 0;
    }
    if (flowBytes === 0 && !endStream) this.spend('empty DATA');
    const s = this.streams.get(streamId);
    if (s === undefined || s.remoteEnded) {
      if (streamId > this.lastStreamId) throw new H2Error(ErrorCode.PROTOCOL_ERROR, `DATA on idle stream ${streamId}`);
      this.spend('DATA on a closed stream');
      if (s !== undefined) this.resetStream(s, ErrorCode.STREAM_CLOSED);
      else this.queue(rstFrame(streamId, ErrorCode.STREAM_CLOSED));
      return;
    }
    s.recvWindow -= flowBytes;
    if (s.recvWindow < 0) {
      this.resetStream(s, ErrorCode.FLOW_CONTROL_ERROR);
      return;
    }
    s.recvUnacked += flowBytes;
    if (!endStream && s.recvUnacked >= this.limits.streamWindowBytes / 2) {
      this.queue(windowUpdateFrame(streamId, s.recvUnacked));
      s.recvWindow += s.recvUnacked;
      s.recvUnacked = 0;
    }
    this.guard(s, () => s.receive(data, endStream));
  }

  onHeaders(streamId: number, block: Buffer, endStream: boolean): void {
    // Decode first, always (unless the block is a static-only one seen before, see
    // header-cache.ts): the HPACK table is shared by every block, refused or not.
    const cached = this.headerCache.get(block);
    const list = cached === undefined ? this.hpack.decode(block) : undefined;
    const open = this.streams.get(streamId);
    if (open !== undefined) {
      // Trailers from the client: only as its last frame.
      if (!endStream) throw new H2Error(ErrorCode.PROTOCOL_ERROR, `second HEADERS without END_STREAM on stream ${streamId}`);
      this.guard(open, () => open.remoteEnd());
      return;
    }
    if (streamId % 2 === 0) throw new H2Error(ErrorCode.PROTOCOL_ERROR, `client stream id ${streamId} is even`);
    if (streamId <= this.lastStreamId) throw new H2Error(ErrorCode.PROTOCOL_ERROR, `stream id ${streamId} is not above ${this.lastStreamId}`);
    this.lastStreamId = streamId;
    if (this.goingAway || this.streams.size >= this.limits.maxConcurrentStreams) {
      this.spend('refused stream');
      this.queue(rstFrame(streamId, ErrorCode.REFUSED_STREAM));
      return;
    }
    if (list !== undefined && list.truncated) {
      this.sendHeaders(streamId, trailersOnly(statusHeaders(GRPC_RESOURCE_EXHAUSTED, `header list larger than ${this.limits.maxHeaderListBytes} bytes`, null)), true);
      if (!endStream) this.queue(rstFrame(streamId, ErrorCode.NO_ERROR));
      return;
    }
    let headers = cached;
    if (headers === undefined) {
      const h: CallHeaders = {};
      const f = list!.fields;
      for (let i = 0; i < f.length; i += 2) {
        const prev = h[f[i]];
        h[f[i]] = prev === undefined ? f[i + 1] : Array.isArray(prev) ? [...prev, f[i + 1]] : [prev, f[i + 1]];
      }
      this.headerCache.put(block, h);
      headers = h;
    }
    if (headers[':method'] !== 'POST' || typeof headers[':path'] !== 'string') {
      this.queue(rstFrame(streamId, ErrorCode.PROTOCOL_ERROR));
      return;
    }
    const d = this.router.dispatch(headers['content-type'], headers[':path']);
    if (d.kind !== 'route') {
      const h = d.kind === 'not-grpc' ? HTTP_UNSUPPORTED_MEDIA_TYPE : trailersOnly(statusHeaders(GRPC_UNIMPLEMENTED, `The server does not implement the method ${d.name}`, null));
      this.sendHeaders(streamId, h, true);
      if (!endStream) this.queue(rstFrame(streamId, ErrorCode.NO_ERROR));
      return;
    }
    const s = new RawStream(streamId, this, this.peer.initialWindowSize, this.limits.streamWindowBytes, this.limits.streamHighWaterBytes);
    this.streams.set(streamId, s);
    this.disarmIdle();
    this.guard(s, () => {
      startCall(s, headers, d.route);
      if (endStream) s.remoteEnd();
    });
  }

  /** Runs call code for `s`: a throw there resets that stream, never the connection. */
  private guard(s: RawStream, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      reportHandlerError({ path: `stream ${s.id}` } as Route, err);
      if (!s.closed) this.resetStream(s, ErrorCode.INTERNAL_ERROR);
    }
  }

  onUnknownFrame(): void {
    // Ignored, as RFC 9113 4.1 requires; counted so a flood of them is not free.
    this.spend('unknown frame');
  }

  // --- output --------------------------------------------------------------------------------

  sendHeaders(id: number, headers: http2.OutgoingHttpHeaders, endStream: boolean): void {
    if (this.dead) return;
    for (const b of encodeHeaders(id, headers, endStream, this.peer.maxFrameSize)) this.queue(b);
  }

  reset(id: number, code: number): void {
    this.queue(rstFrame(id, code));
  }

  closed(stream: RawStream): void {
    this.streams.delete(stream.id);
    this.blocked.delete(stream);
    if (this.streams.size === 0) {
      if (this.goingAway) this.endSocket();
      else this.armIdle();
    }
  }

  /** Frames as much of `s`'s pending response as the windows and the socket allow. */
  pump(s: RawStream): void {
    if (this.dead) return;
    const maxFrame = this.peer.maxFrameSize;
    while (s.pendingBytes > 0) {
      const room = Math.min(s.pendingBytes, s.sendWindow, this.connSendWindow, maxFrame);
      if (room <= 0 || this.socketBacklog > this.limits.socketHighWaterBytes) {
        this.blocked.add(s);
        return;
      }
      const payload = takeBytes(s, room);
      s.sendWindow -= room;
      this.connSendWindow -= room;
      const last = s.pendingBytes === 0 && s.endAfterPending;
      const head = Buffer.allocUnsafe(9);
      writeFrameHeader(head, 0, room, FrameType.DATA, last ? Flag.END_STREAM : 0, s.id);
      this.queue(head);
      for (const p of payload) this.queue(p);
      if (last) {
        s.endAfterPending = false;
        this.blocked.delete(s);
        s.finishLocal();
        return;
      }
    }
    this.blocked.delete(s);
    if (s.trailersAfterPending !== undefined) {
      const t = s.trailersAfterPending;
      s.trailersAfterPending = undefined;
      this.sendHeaders(s.id, t, true);
      s.finishLocal();
      return;
    }
    if (s.endAfterPending) {
      s.endAfterPending = false;
      const head = Buffer.allocUnsafe(9);
      writeFrameHeader(head, 0, 0, FrameType.DATA, Flag.END_STREAM, s.id);
      this.queue(head);
      s.finishLocal();
      return;
    }
    s.maybeDrain();
  }

  private pumpAll(): void {
    for (const s of [...this.blocked]) {
      if (this.socketBacklog > this.limits.socketHighWaterBytes) return;
      this.pump(s);
    }
  }

  private onDrain(): void {
    this.pumpAll();
    for (const s of this.streams.values()) s.maybeDrain();
  }

  /** A frame the peer made us send (ACKs): refused once the peer has stopped reading. */
  private control(frame: Buffer): void {
    if (this.socketBacklog > this.limits.maxBacklogBytes) {
      throw new H2Error(ErrorCode.ENHANCE_YOUR_CALM, `peer does not read: ${this.socketBacklog} bytes wait`);
    }
    this.queue(frame);
  }

  private spend(what: string): void {
    if (!this.abuse.take()) throw new H2Error(ErrorCode.ENHANCE_YOUR_CALM, `too many frames that carry nothing (last: ${what})`);
  }

  private queue(buf: Buffer): void {
    this.out.push(buf);
    this.outBytes += buf.length;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      process.nextTick(this.flushNow);
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.out.length === 0 || this.socket.destroyed) return;
    const bufs = this.out;
    const bytes = this.outBytes;
    this.out = [];
    this.outBytes = 0;
    this.socket.write(bufs.length === 1 ? bufs[0] : Buffer.concat(bufs, bytes));
  }

  // --- endings -------------------------------------------------------------------------------

  private fail(err: unknown): void {
    if (this.dead) return;
    const e = err instanceof H2Error ? err : new H2Error(ErrorCode.INTERNAL_ERROR, (err as Error)?.message ?? String(err));
    if (!e.isConnectionError) {
      this.onStreamError(e);
      return;
    }
    this.goingAway = true;
    this.queue(goawayFrame(this.lastStreamId, e.code, e.message.slice(0, 200)));
    this.flush();
    for (const s of [...this.streams.values()]) s.abort();
    this.endSocket();
  }

  private resetStream(s: RawStream, code: number): void {
    this.queue(rstFrame(s.id, code));
    this.blocked.delete(s);
    s.abort();
  }

  private endSocket(): void {
    this.flush();
    this.socket.end();
    // A peer that never reads our FIN's way must not keep the socket: cut it after a while.
    setTimeout(() => this.socket.destroy(), 2000).unref();
  }

  private armIdle(): void {
    if (this.idleTimer !== undefined || this.dead) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.streams.size === 0) this.fail(new H2Error(ErrorCode.NO_ERROR, 'idle'));
    }, this.limits.idleTimeoutMs);
  }

  private disarmIdle(): void {
    if (this.idleTimer === undefined) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private teardown(): void {
    if (this.dead) return;
    this.dead = true;
    clearTimeout(this.handshakeTimer);
    this.disarmIdle();
    for (const s of [...this.streams.values()]) s.abort();
    this.streams.clear();
    this.blocked.clear();
    this.out = [];
    this.outBytes = 0;
    this.onGone(this);
  }
}
