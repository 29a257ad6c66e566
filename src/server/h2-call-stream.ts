/**
 * The stream a gRPC call (`h2-call.ts`) runs on, whichever transport carries it: `CallStream`,
 * what the call does to it, and `CallEvents`, what the stream tells the call. The raw
 * transport's stream (`raw/raw-stream.ts`) calls `CallEvents` directly; `H2CallStream` here
 * forwards node:http2's 'data', 'end', 'close', 'drain' and 'wantTrailers' events to them, so
 * the node:http2 transport runs the same calls.
 */
import type http2 from 'node:http2';

/**
 * What a call hears from its stream, called by the stream itself (no EventEmitter between them:
 * the raw transport calls these directly, `H2CallStream` forwards node:http2's events).
 */
export interface CallEvents {
  /** A chunk of the request body. */
  onStreamData(chunk: Buffer): void;
  /** The peer ended its side. */
  onStreamEnd(): void;
  /** The stream closed (once), whether or not our status went out. */
  onStreamClose(): void;
  /** Bytes that waited to go out have gone: a writer told to wait may write again. */
  onStreamDrain(): void;
  /** After `end()` when `respond` asked for trailers: send them now (`sendTrailers`). */
  onWantTrailers(): void;
}

/**
 * The part of an HTTP/2 server stream a call uses: the raw transport's stream
 * (`raw/raw-stream.ts`) offers it, and so does node:http2's `ServerHttp2Stream` behind
 * `H2CallStream` (below). `attach` is called once, by the call.
 */
export interface CallStream {
  attach(events: CallEvents): void;
  respond(headers: http2.OutgoingHttpHeaders, opts: { endStream?: boolean; waitForTrailers?: boolean }): void;
  sendTrailers(headers: http2.OutgoingHttpHeaders): void;
  write(chunk: Buffer): boolean;
  end(chunk?: Buffer): unknown;
  destroy(): unknown;
  readonly destroyed: boolean;
  readonly closed: boolean;
  /** Bytes written but not yet sent. */
  readonly writableLength: number;
}

/** node:http2's `ServerHttp2Stream` as a `CallStream`; see the file comment. */
export class H2CallStream implements CallStream {
  constructor(private readonly stream: http2.ServerHttp2Stream) {}

  attach(events: CallEvents): void {
    const s = this.stream;
    s.on('data', (chunk: Buffer) => events.onStreamData(chunk));
    s.on('end', () => events.onStreamEnd());
    s.once('close', () => events.onStreamClose());
    s.on('drain', () => events.onStreamDrain());
    s.on('wantTrailers', () => events.onWantTrailers());
  }

  respond(headers: http2.OutgoingHttpHeaders, opts: { endStream?: boolean; waitForTrailers?: boolean }): void {
    this.stream.respond(headers, opts);
  }

  sendTrailers(headers: http2.OutgoingHttpHeaders): void {
    this.stream.sendTrailers(headers);
  }

  write(chunk: Buffer): boolean {
    return this.stream.write(chunk);
  }

  end(chunk?: Buffer): void {
    if (chunk === undefined) this.stream.end();
    else this.stream.end(chunk);
  }

  destroy(): void {
    this.stream.destroy();
  }

  get destroyed(): boolean {
    return this.stream.destroyed;
  }

  get closed(): boolean {
    return this.stream.closed;
  }

  get writableLength(): number {
    return this.stream.writableLength;
  }
}
