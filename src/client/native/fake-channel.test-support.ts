/**
 * A scripted {@link GrpcChannel} for unit tests of the etcd layer: it records what the client
 * writes on each stream and lets the test play the server (messages, end of stream).
 */
import type { CallOptions } from '../types.ts';
import type { GrpcChannel, GrpcStream, StreamHandlers } from './channel.ts';

/** One stream the client opened, as the test sees it. */
export interface FakeStream {
  readonly path: string;
  /** Messages the client wrote, in order. */
  readonly written: Buffer[];
  ended: boolean;
  cancelled: boolean;
  /** Plays a server message. */
  reply(message: Buffer): void;
  /** Ends the stream as the server or the connection would (`err` undefined = status OK). */
  finish(err?: Error): void;
}

/** A channel whose streams the test drives; unary calls answer with `unaryReply`. */
export class FakeChannel implements GrpcChannel {
  readonly streams: FakeStream[] = [];
  readonly metadata = new Map<string, string>();
  readonly unaryCalls: { path: string; message: Buffer; opts?: CallOptions }[] = [];
  unaryReply: (path: string, message: Buffer) => Promise<Buffer> = () => Promise.resolve(Buffer.alloc(0));
  closed = false;

  unary(path: string, message: Uint8Array, opts?: CallOptions): Promise<Buffer> {
    const copy = Buffer.from(message);
    this.unaryCalls.push({ path, message: copy, opts });
    return this.unaryReply(path, copy);
  }

  stream(path: string, handlers: StreamHandlers): GrpcStream {
    let done = false;
    const s: FakeStream = {
      path,
      written: [],
      ended: false,
      cancelled: false,
      reply: (m) => {
        if (!done) handlers.onMessage(m);
      },
      finish: (err) => {
        if (done) return;
        done = true;
        handlers.onEnd(err);
      },
    };
    this.streams.push(s);
    return {
      write: (m) => {
        s.written.push(Buffer.from(m));
      },
      end: () => {
        s.ended = true;
      },
      cancel: () => {
        s.cancelled = true;
        // The transport reports a cancel as the end of the stream, asynchronously.
        queueMicrotask(() => s.finish(new Error('cancelled')));
      },
    };
  }

  setMetadata(name: string, value: string | undefined): void {
    if (value === undefined) this.metadata.delete(name);
    else this.metadata.set(name, value);
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}
