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
 * - flow control both ways: received DATA is given back with WINDOW_UPDATE as it arrives
 *   (`receive-flow.ts`; the call's message size limit bounds what one stream buffers); response
 *   DATA waits in its stream while the peer's window (stream or connection) is shut or the
 *   socket is backed up (`response-sender.ts`);
 * - writes: frames queued in one tick go out in one socket write (`frame-writer.ts`);
 * - defences (see `limits.ts`): budgets for empty frames, resets, refusals, SETTINGS and PING;
 *   a peer that makes us answer while it does not read is cut off (ENHANCE_YOUR_CALM); idle
 *   (`idle-timer.ts`) and slow connections time out;
 * - shutdown: GOAWAY, running calls finish, then the socket ends; or everything at once.
 */
import type http2 from 'node:http2';
import type { Socket } from 'node:net';
import { ErrorCode, Flag, FrameType, MAX_WINDOW_SIZE } from '../../h2/constants.ts';
import { H2Error } from '../../h2/errors.ts';
import type { FrameHandler } from '../../h2/frame-handler.ts';
import { writeFrameHeader } from '../../h2/frame-header.ts';
import { FrameParser } from '../../h2/frame-parser.ts';
import { applySettings, defaultSettings, encodeSettingsFrame, SETTINGS_ACK_FRAME, type Settings } from '../../h2/settings.ts';
import { reportHandlerError, startCall, type Route } from '../h2-call.ts';
import type { GrpcRouter } from '../grpc-router.ts';
import { statusHeaders, trailersOnly } from '../grpc-framing.ts';
import { encodeHeaders } from './header-encoding.ts';
import { FrameWriter } from './frame-writer.ts';
import { IdleTimer } from './idle-timer.ts';
import { Budget, type ConnectionLimits } from './limits.ts';
import { goawayFrame, rstFrame, windowUpdateFrame } from './frames.ts';
import { ReceiveFlow } from './receive-flow.ts';
import { RequestHeaderReader } from './request-headers.ts';
import { ResponseSender } from './response-sender.ts';
import { RawStream, type StreamOwner } from './raw-stream.ts';

const GRPC_UNIMPLEMENTED = 12;
const GRPC_RESOURCE_EXHAUSTED = 8;
const HTTP_UNSUPPORTED_MEDIA_TYPE: http2.OutgoingHttpHeaders = { ':status': 415 };

/** See the file comment. */
export class ServerConnection implements FrameHandler, StreamOwner {
  private readonly parser: FrameParser;
  private readonly requestHeaders: RequestHeaderReader;
  private readonly peer: Settings = defaultSettings();
  private readonly streams = new Map<number, RawStream>();
  private lastStreamId = 0;
  private readonly writer: FrameWriter;
  private readonly sender: ResponseSender;
  private readonly receiver: ReceiveFlow;
  private readonly abuse: Budget;
  private readonly idle: IdleTimer;
  private handshakeTimer: NodeJS.Timeout | undefined;
  private settingsAcked = false;
  /** GOAWAY sent (shutdown or error): no new streams. */
  private goingAway = false;
  private dead = false;

  constructor(
    private readonly socket: Socket,
    private readonly router: GrpcRouter,
    private readonly limits: ConnectionLimits,
    private readonly onGone: (c: ServerConnection) => void,
  ) {
    this.parser = new FrameParser(this, { expectPreface: true, maxHeaderBlockBytes: limits.maxHeaderBlockBytes, maxContinuationFrames: limits.maxContinuationFrames });
    this.requestHeaders = new RequestHeaderReader(limits.maxHeaderListBytes);
    this.abuse = new Budget(limits.abuseBurst, limits.abusePerSec);
    this.writer = new FrameWriter(socket, limits.maxBacklogBytes, () => {
      if (!this.dead) this.onDrain();
    });
    this.sender = new ResponseSender(this.writer, this.peer, limits.socketHighWaterBytes);
    this.receiver = new ReceiveFlow(this.writer, limits.connectionWindowBytes, limits.streamWindowBytes);
    this.idle = new IdleTimer(limits.idleTimeoutMs, () => this.fail(new H2Error(ErrorCode.NO_ERROR, 'idle')));
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onBytes(chunk));
    socket.on('drain', () => this.onDrain());
    socket.on('error', () => this.teardown());
    socket.once('close', () => this.teardown());
    this.handshakeTimer = setTimeout(() => this.fail(new H2Error(ErrorCode.SETTINGS_TIMEOUT, 'no preface and SETTINGS in time')), limits.handshakeTimeoutMs);
    this.writer.queue(
      encodeSettingsFrame({ maxConcurrentStreams: limits.maxConcurrentStreams, initialWindowSize: limits.streamWindowBytes, maxHeaderListSize: limits.maxHeaderListBytes }),
    );
    this.writer.queue(windowUpdateFrame(0, limits.connectionWindowBytes - 65_535));
    this.idle.idle();
  }

  /** Bytes written but not yet taken by the kernel. */
  get socketBacklog(): number {
    return this.writer.backlog;
  }

  /** Graceful: GOAWAY, let running calls finish, then close. */
  shutdown(): void {
    if (this.dead) return;
    if (!this.goingAway) {
      this.goingAway = true;
      this.writer.queue(goawayFrame(this.lastStreamId, ErrorCode.NO_ERROR, ''));
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
    if (ack) {
      // We send one SETTINGS frame: every ACK after the first answers nothing.
      if (this.settingsAcked) this.spend('SETTINGS ACK');
      this.settingsAcked = true;
      return;
    }
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
    this.writer.answer(SETTINGS_ACK_FRAME);
    if (delta > 0) this.sender.pumpAll();
  }

  onPing(ack: boolean, data: Buffer): void {
    this.spend(ack ? 'PING ACK' : 'PING'); // we send no PING: an ACK answers nothing
    if (ack) return;
    const f = Buffer.allocUnsafe(17);
    writeFrameHeader(f, 0, 8, FrameType.PING, Flag.ACK, 0);
    data.copy(f, 9);
    this.writer.answer(f);
  }

  onGoaway(): void {
    // The peer leaves: finish what runs, accept nothing new.
    this.goingAway = true;
    if (this.streams.size === 0) this.endSocket();
  }

  onWindowUpdate(streamId: number, increment: number): void {
    if (streamId === 0) {
      this.sender.addConnectionWindow(increment);
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
      this.spend('RST_STREAM on a closed stream');
      return;
    }
    // A reset of a call we were still serving costs us its work: rapid reset, CVE-2023-44487.
    this.spend('RST_STREAM');
    this.sender.forget(s);
    s.abort();
  }

  onPushPromise(): void {
    throw new H2Error(ErrorCode.PROTOCOL_ERROR, 'PUSH_PROMISE from a client');
  }

  onStreamError(err: H2Error): void {
    const s = this.streams.get(err.streamId);
    if (s !== undefined) this.resetStream(s, err.code);
    else this.writer.answer(rstFrame(err.streamId, err.code));
  }

  onData(streamId: number, data: Buffer, endStream: boolean, flowBytes: number): void {
    this.receiver.takeConnection(flowBytes);
    // Empty DATA (padding only, too) that does not end the stream carries nothing: CVE-2019-9518.
    if (data.length === 0 && !endStream) this.spend('empty DATA');
    const s = this.streams.get(streamId);
    if (s === undefined || s.remoteEnded) {
      if (streamId > this.lastStreamId) throw new H2Error(ErrorCode.PROTOCOL_ERROR, `DATA on idle stream ${streamId}`);
      this.spend('DATA on a closed stream');
      if (s !== undefined) this.resetStream(s, ErrorCode.STREAM_CLOSED);
      else this.writer.answer(rstFrame(streamId, ErrorCode.STREAM_CLOSED));
      return;
    }
    if (!this.receiver.takeStream(s, flowBytes, endStream)) {
      this.resetStream(s, ErrorCode.FLOW_CONTROL_ERROR);
      return;
    }
    this.guard(s, () => s.receive(data, endStream));
  }

  onHeaders(streamId: number, block: Buffer, endStream: boolean): void {
    const headers = this.requestHeaders.read(block);
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
      this.writer.answer(rstFrame(streamId, ErrorCode.REFUSED_STREAM));
      return;
    }
    if (headers === 'too-large') {
      this.refuse(streamId, trailersOnly(statusHeaders(GRPC_RESOURCE_EXHAUSTED, `header list larger than ${this.limits.maxHeaderListBytes} bytes`, null)), endStream);
      return;
    }
    if (headers[':method'] !== 'POST' || typeof headers[':path'] !== 'string') {
      this.spend('malformed request');
      this.writer.answer(rstFrame(streamId, ErrorCode.PROTOCOL_ERROR));
      return;
    }
    const d = this.router.dispatch(headers['content-type'], headers[':path']);
    if (d.kind !== 'route') {
      const h = d.kind === 'not-grpc' ? HTTP_UNSUPPORTED_MEDIA_TYPE : trailersOnly(statusHeaders(GRPC_UNIMPLEMENTED, `The server does not implement the method ${d.name}`, null));
      this.refuse(streamId, h, endStream);
      return;
    }
    const s = new RawStream(streamId, this, this.peer.initialWindowSize, this.limits.streamWindowBytes, this.limits.streamHighWaterBytes);
    this.streams.set(streamId, s);
    this.idle.busy();
    this.guard(s, () => {
      startCall(s, headers, d.route);
      if (endStream) s.remoteEnd();
    });
  }

  /**
   * Answers a request that never becomes a call (unknown method, not gRPC, headers too large)
   * with `headers` and END_STREAM, and resets its stream if the peer still sends on it. Such
   * answers are cheap for the peer to ask for: they spend its budget and count as answers
   * (`FrameWriter.answer`), so a flood of them from a peer that does not read ends (CVE-2019-9514).
   */
  private refuse(streamId: number, headers: http2.OutgoingHttpHeaders, endStream: boolean): void {
    this.spend('request that is no call');
    for (const b of encodeHeaders(streamId, headers, true, this.peer.maxFrameSize)) this.writer.answer(b);
    if (!endStream) this.writer.queue(rstFrame(streamId, ErrorCode.NO_ERROR));
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

  // --- output (StreamOwner) -----------------------------------------------------------------

  sendHeaders(id: number, headers: http2.OutgoingHttpHeaders, endStream: boolean): void {
    if (!this.dead) this.sender.headers(id, headers, endStream);
  }

  reset(id: number, code: number): void {
    this.writer.queue(rstFrame(id, code));
  }

  closed(stream: RawStream): void {
    this.streams.delete(stream.id);
    this.sender.forget(stream);
    if (this.streams.size === 0) {
      if (this.goingAway) this.endSocket();
      else if (!this.dead) this.idle.idle();
    }
  }

  pump(s: RawStream): void {
    if (!this.dead) this.sender.pump(s);
  }

  private onDrain(): void {
    this.sender.pumpAll();
    for (const s of this.streams.values()) s.maybeDrain();
  }

  private spend(what: string): void {
    if (!this.abuse.take()) throw new H2Error(ErrorCode.ENHANCE_YOUR_CALM, `too many frames that carry nothing (last: ${what})`);
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
    this.writer.queue(goawayFrame(this.lastStreamId, e.code, e.message.slice(0, 200)));
    this.writer.flush();
    for (const s of [...this.streams.values()]) s.abort();
    this.endSocket();
  }

  private resetStream(s: RawStream, code: number): void {
    this.writer.queue(rstFrame(s.id, code));
    this.sender.forget(s);
    s.abort();
  }

  private endSocket(): void {
    this.writer.flush();
    this.socket.end();
    // A peer that never reads our FIN's way must not keep the socket: cut it after a while.
    setTimeout(() => this.socket.destroy(), 2000).unref();
  }

  private teardown(): void {
    if (this.dead) return;
    this.dead = true;
    clearTimeout(this.handshakeTimer);
    this.idle.stop();
    for (const s of [...this.streams.values()]) s.abort();
    this.streams.clear();
    this.sender.clear();
    this.writer.clear();
    this.onGone(this);
  }
}
