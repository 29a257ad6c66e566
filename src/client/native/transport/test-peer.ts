/**
 * A scriptable HTTP/2 "server" for the transport's tests, on `net.createServer` bound to
 * 127.0.0.1:0. It reads the client's frames with the shared frame layer, records them, and
 * lets each test decide what to answer — a correct gRPC response, or misbehaviour: resets,
 * GOAWAY, silence, a closed socket, oversized frames, garbage.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import {
  encodeDataFrame,
  encodeHeaderBlock,
  encodeHeaderFrames,
  encodePing,
  encodeSettingsFrame,
  FrameParser,
  HpackDecoder,
  SETTINGS_ACK_FRAME,
  type FrameHandler,
  type H2Error,
  type Settings,
} from '../../../h2/index.ts';

/** A request as the peer saw it. */
export interface PeerRequest {
  readonly streamId: number;
  /** Request headers, `[name, value]` pairs. */
  readonly headers: [string, string][];
  /** gRPC messages received so far (prefix removed). */
  readonly messages: Buffer[];
  /** The client half-closed. */
  ended: boolean;
}

/** What the test decides. Every hook is optional. */
export interface PeerScript {
  /** The peer's SETTINGS (sent right after the client's preface arrived); default none. */
  readonly settings?: Partial<Settings>;
  /** Do not send SETTINGS at all. */
  readonly noSettings?: boolean;
  /** A new request's headers arrived. */
  onHeaders?(conn: PeerConn, req: PeerRequest): void;
  /** The client half-closed a request (for unary calls: the request is complete). */
  onRequest?(conn: PeerConn, req: PeerRequest): void;
  /** A message arrived on a stream. */
  onMessage?(conn: PeerConn, req: PeerRequest, message: Buffer): void;
}

/** Every frame the client sent, as `type:streamId[:detail]` strings, for assertions. */
export type FrameLog = string[];

/** One client connection to the peer. */
export class PeerConn implements FrameHandler {
  readonly log: FrameLog = [];
  readonly requests = new Map<number, PeerRequest>();
  readonly decoder = new HpackDecoder();
  private readonly partial = new Map<number, Buffer>();
  readonly parser: FrameParser;

  constructor(
    readonly socket: Socket,
    private readonly script: PeerScript,
  ) {
    this.parser = new FrameParser(this, { expectPreface: true });
    socket.on('data', (chunk: Buffer) => {
      try {
        this.parser.push(chunk);
      } catch (err) {
        this.log.push(`parse-error:${(err as H2Error).message}`);
        socket.destroy();
      }
    });
    socket.on('error', () => this.log.push('socket-error'));
    if (!script.noSettings) this.send(encodeSettingsFrame(script.settings ?? {}));
  }

  /** Writes raw bytes (frames or garbage). */
  send(bytes: Buffer): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  /** A complete gRPC response: headers, one message per entry of `messages`, trailers. */
  respond(streamId: number, messages: Buffer[], status = 0, message = ''): void {
    const frames = [encodeHeaderFrames(streamId, encodeHeaderBlock([[':status', '200'], ['content-type', 'application/grpc']]))];
    for (const m of messages) frames.push(encodeDataFrame(streamId, grpcFrame(m), false));
    frames.push(this.trailers(streamId, status, message));
    this.send(Buffer.concat(frames));
  }

  /** Trailers with grpc-status (and grpc-message when given), END_STREAM. */
  trailers(streamId: number, status: number, message = ''): Buffer {
    const fields: [string, string][] = [['grpc-status', String(status)]];
    if (message) fields.push(['grpc-message', message]);
    return encodeHeaderFrames(streamId, encodeHeaderBlock(fields), { endStream: true });
  }

  onData(streamId: number, data: Buffer, endStream: boolean): void {
    this.log.push(`data:${streamId}:${data.length}${endStream ? ':end' : ''}`);
    const req = this.requests.get(streamId);
    if (!req) return;
    let buf = Buffer.concat([this.partial.get(streamId) ?? Buffer.alloc(0), data]);
    while (buf.length >= 5 && buf.length >= 5 + buf.readUInt32BE(1)) {
      const len = buf.readUInt32BE(1);
      const m = buf.subarray(5, 5 + len);
      buf = buf.subarray(5 + len);
      req.messages.push(m);
      this.script.onMessage?.(this, req, m);
    }
    this.partial.set(streamId, buf);
    if (endStream) this.ended(req);
  }
  onHeaders(streamId: number, block: Buffer, endStream: boolean): void {
    const fields = this.decoder.decode(block).fields;
    const headers: [string, string][] = [];
    for (let i = 0; i < fields.length; i += 2) headers.push([fields[i]!, fields[i + 1]!]);
    this.log.push(`headers:${streamId}${endStream ? ':end' : ''}`);
    const req: PeerRequest = { streamId, headers, messages: [], ended: false };
    this.requests.set(streamId, req);
    this.script.onHeaders?.(this, req);
    if (endStream) this.ended(req);
  }
  private ended(req: PeerRequest): void {
    req.ended = true;
    this.script.onRequest?.(this, req);
  }
  onPushPromise(): void {
    this.log.push('push');
  }
  onRstStream(streamId: number, code: number): void {
    this.log.push(`rst:${streamId}:${code}`);
  }
  onSettings(ack: boolean): void {
    this.log.push(ack ? 'settings-ack' : 'settings');
    if (!ack && !this.script.noSettings) this.send(SETTINGS_ACK_FRAME);
  }
  onPing(ack: boolean, data: Buffer): void {
    this.log.push(`ping${ack ? '-ack' : ''}:${data.toString('latin1')}`);
    if (!ack) this.send(encodePing(data, true));
  }
  onGoaway(lastStreamId: number, code: number): void {
    this.log.push(`goaway:${lastStreamId}:${code}`);
  }
  onWindowUpdate(streamId: number, increment: number): void {
    this.log.push(`window:${streamId}:${increment}`);
  }
  onStreamError(err: H2Error): void {
    this.log.push(`stream-error:${err.streamId}:${err.code}`);
  }
}

/** A message with the 5-octet gRPC prefix. */
export function grpcFrame(message: Buffer, compressed = false): Buffer {
  const b = Buffer.alloc(5 + message.length);
  b[0] = compressed ? 1 : 0;
  b.writeUInt32BE(message.length, 1);
  message.copy(b, 5);
  return b;
}

/** A running peer. */
export interface TestPeer {
  readonly address: string;
  /** Connections in the order they arrived. */
  readonly conns: PeerConn[];
  /** Stops listening and destroys every connection. */
  close(): Promise<void>;
}

/** Starts a peer on 127.0.0.1 and a free port. */
export async function startTestPeer(script: PeerScript): Promise<TestPeer> {
  const conns: PeerConn[] = [];
  const server: Server = createServer((socket) => conns.push(new PeerConn(socket, script)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    conns,
    close: async () => {
      for (const c of conns) c.socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
