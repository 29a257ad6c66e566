/**
 * Frames from the server, applied to a client `Connection`: SETTINGS (acknowledged; window and
 * frame size changes applied), PING (answered), GOAWAY, WINDOW_UPDATE, RST_STREAM, and each
 * call's response — headers, length-prefixed messages in DATA, trailers or a trailers-only
 * response — with our receive windows replenished as data is consumed.
 *
 * Every header block is HPACK-decoded, even one for a stream already gone, because the
 * decoder's dynamic table is shared by the whole connection.
 */
import {
  applySettings,
  encodePing,
  encodeRstStream,
  encodeWindowUpdate,
  ErrorCode,
  H2Error,
  headerValue,
  MAX_WINDOW_SIZE,
  SETTINGS_ACK_FRAME,
  type FrameHandler,
  type HeaderList,
} from '../../../h2/index.ts';
import { GrpcCode, StoreError } from '../../types.ts';
import type { Call } from './call.ts';
import type { ConnectionCore } from './connection-core.ts';
import { CONNECTION_WINDOW, STREAM_WINDOW } from './limits.ts';
import { codeForHttpStatus, errorForRstStream, percentDecode } from './grpc-status.ts';

/** Replenish a window once this much of it was consumed (octets). */
const CONNECTION_UPDATE_AT = CONNECTION_WINDOW / 2;
const STREAM_UPDATE_AT = STREAM_WINDOW / 2;

/** See the module comment. */
export class Inbound implements FrameHandler {
  constructor(private readonly c: ConnectionCore) {}

  /** A stream id the server may not use: even (we disabled push) or one we never opened. */
  private idle(streamId: number): boolean {
    return (streamId & 1) === 0 || streamId >= this.c.nextStreamId;
  }

  private callOf(streamId: number, what: string): Call | undefined {
    const call = this.c.streams.get(streamId);
    if (call === undefined && this.idle(streamId)) throw new H2Error(ErrorCode.PROTOCOL_ERROR, `${what} on idle stream ${streamId}`);
    return call;
  }

  onData(streamId: number, data: Buffer, endStream: boolean, flowBytes: number): void {
    const c = this.c;
    c.recvWindow -= flowBytes;
    if (c.recvWindow < 0) throw new H2Error(ErrorCode.FLOW_CONTROL_ERROR, `the server overran the connection window by ${-c.recvWindow} octets`);
    c.recvUnacked += flowBytes;
    if (c.recvUnacked >= CONNECTION_UPDATE_AT) {
      c.out.add(encodeWindowUpdate(0, c.recvUnacked));
      c.recvWindow += c.recvUnacked;
      c.recvUnacked = 0;
    }
    const call = this.callOf(streamId, 'DATA');
    if (call === undefined) return; // a stream we already ended: counted above, dropped
    if (!call.gotHeaders) return this.streamFailed(call, ErrorCode.PROTOCOL_ERROR, 'DATA before response headers');
    call.recvWindow -= flowBytes;
    if (call.recvWindow < 0) return this.streamFailed(call, ErrorCode.FLOW_CONTROL_ERROR, 'the server overran the stream window');
    if (!endStream) {
      call.recvUnacked += flowBytes;
      if (call.recvUnacked >= STREAM_UPDATE_AT) {
        c.out.add(encodeWindowUpdate(streamId, call.recvUnacked));
        call.recvWindow += call.recvUnacked;
        call.recvUnacked = 0;
      }
    }
    try {
      call.reader.push(data);
    } catch (err) {
      if (!(err instanceof StoreError)) throw err;
      c.finish(call, err, ErrorCode.CANCEL);
      return;
    }
    if (endStream && !call.done) {
      call.remoteEnded = true;
      c.finish(call, new StoreError(GrpcCode.Internal, `${call.path}: the server ended the stream without trailers (no grpc-status)`));
    }
  }

  onHeaders(streamId: number, block: Buffer, endStream: boolean): void {
    const list = this.c.decoder.decode(block);
    const call = this.callOf(streamId, 'HEADERS');
    if (call === undefined || call.done) return;
    if (endStream) call.remoteEnded = true;
    if (list.truncated) return this.fail(call, GrpcCode.Internal, `response header list of ${list.bytes} octets exceeds the limit`);
    if (!call.gotHeaders) {
      call.gotHeaders = true;
      const status = headerValue(list, ':status');
      if (status !== '200') {
        const grpcStatus = headerValue(list, 'grpc-status');
        if (grpcStatus !== undefined && endStream) return this.trailers(call, list);
        return this.fail(call, codeForHttpStatus(Number(status)), `HTTP status ${status ?? 'missing'}${grpcStatus !== undefined ? '' : ' without grpc-status'}`);
      }
      const type = headerValue(list, 'content-type');
      if (type === undefined || !type.startsWith('application/grpc')) return this.fail(call, GrpcCode.Unknown, `content-type ${type ?? 'missing'}, expected application/grpc`);
      const encoding = headerValue(list, 'grpc-encoding');
      if (encoding !== undefined && encoding !== 'identity') call.reader.encoding = encoding;
      if (endStream) this.trailers(call, list); // trailers-only response
      return;
    }
    if (!endStream) return this.streamFailed(call, ErrorCode.PROTOCOL_ERROR, 'trailers without END_STREAM');
    if (call.reader.partial) return this.fail(call, GrpcCode.Internal, 'the stream ended inside a message');
    this.trailers(call, list);
  }

  /** grpc-status / grpc-message from trailers: ends the call. */
  private trailers(call: Call, list: HeaderList): void {
    const raw = headerValue(list, 'grpc-status');
    const code = raw === undefined ? GrpcCode.Unknown : Number(raw);
    if (code === GrpcCode.OK && raw !== undefined) return this.c.finish(call, undefined);
    const message = percentDecode(headerValue(list, 'grpc-message') ?? '');
    const text = raw === undefined ? 'trailers without grpc-status' : message || `grpc-status ${code}`;
    this.c.finish(call, new StoreError(Number.isInteger(code) && code >= 0 && code <= 16 ? code : GrpcCode.Unknown, text));
  }

  private fail(call: Call, code: number, message: string): void {
    this.c.finish(call, new StoreError(code, `${call.path}: ${message}`), ErrorCode.CANCEL);
  }

  /** A stream error: RST_STREAM with `h2code`, the call fails `Internal`. */
  private streamFailed(call: Call, h2code: number, message: string): void {
    this.c.finish(call, new StoreError(GrpcCode.Internal, `${call.path}: ${message}`, { cause: new H2Error(h2code, message, call.id) }), h2code);
  }

  onPushPromise(streamId: number): void {
    throw new H2Error(ErrorCode.PROTOCOL_ERROR, `PUSH_PROMISE on stream ${streamId}, but push is disabled`);
  }

  onRstStream(streamId: number, code: number): void {
    const call = this.callOf(streamId, 'RST_STREAM');
    if (call === undefined) return;
    call.remoteEnded = true;
    call.localEnded = true; // a reset stream is closed both ways: nothing more to send or answer
    this.c.finish(call, errorForRstStream(code, call.path));
  }

  onSettings(ack: boolean, payload: Buffer): void {
    if (ack) return;
    const c = this.c;
    const before = c.peer.initialWindowSize;
    applySettings(c.peer, payload);
    c.out.add(SETTINGS_ACK_FRAME);
    const delta = c.peer.initialWindowSize - before;
    if (delta !== 0) {
      for (const call of c.streams.values()) {
        call.sendWindow += delta;
        if (call.sendWindow > MAX_WINDOW_SIZE) throw new H2Error(ErrorCode.FLOW_CONTROL_ERROR, `SETTINGS_INITIAL_WINDOW_SIZE change overflows stream ${call.id}'s window`);
      }
      if (delta > 0) for (const call of [...c.streams.values()]) if (call.queue.length > 0 || (call.endAfterQueue && !call.localEnded)) c.outbound.pump(call);
    }
    c.opened();
    c.startWaiting();
  }

  onPing(ack: boolean, data: Buffer): void {
    if (!ack) this.c.out.add(encodePing(data, true));
    else this.c.keepalive?.onAck(data);
  }

  onGoaway(lastStreamId: number, code: number, debug: Buffer): void {
    this.c.goaway(lastStreamId, code, debug.toString('utf8'));
  }

  onWindowUpdate(streamId: number, increment: number): void {
    const c = this.c;
    if (streamId === 0) {
      c.sendWindow += increment;
      if (c.sendWindow > MAX_WINDOW_SIZE) throw new H2Error(ErrorCode.FLOW_CONTROL_ERROR, 'WINDOW_UPDATE overflows the connection window');
      c.outbound.resumeBlocked();
      return;
    }
    const call = this.callOf(streamId, 'WINDOW_UPDATE');
    if (call === undefined) return;
    call.sendWindow += increment;
    if (call.sendWindow > MAX_WINDOW_SIZE) return this.streamFailed(call, ErrorCode.FLOW_CONTROL_ERROR, 'WINDOW_UPDATE overflows the stream window');
    if (call.queue.length > 0) c.outbound.pump(call);
  }

  onStreamError(err: H2Error): void {
    const call = this.c.streams.get(err.streamId);
    if (call) this.c.finish(call, new StoreError(GrpcCode.Internal, `${call.path}: ${err.message}`, { cause: err }), err.code);
    else this.c.out.add(encodeRstStream(err.streamId, err.code));
  }
}
