/**
 * node:http2's `ServerHttp2Stream` as a call's `CallStream` (`h2-call.ts`): its 'data', 'end',
 * 'close', 'drain' and 'wantTrailers' events are forwarded to the call's `CallEvents`, the rest
 * is the stream's own. The raw transport's stream (`raw/raw-stream.ts`) calls `CallEvents`
 * without events in between; this adapter lets the node:http2 transport share the same calls.
 */
import type http2 from 'node:http2';
import type { CallEvents, CallStream } from './h2-call.ts';

/** See the file comment. */
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
