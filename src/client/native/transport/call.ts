/**
 * The state of one gRPC call on one HTTP/2 stream: what is left to send (flow control may hold
 * it back), how the response is read (headers, length-prefixed messages, trailers) and how it
 * ends (a unary promise, or a stream's handlers). The `Connection` drives it; a call is also
 * the `GrpcStream` handed to users of bidirectional streams.
 */
import type { GrpcStream, StreamHandlers } from '../channel.ts';
import type { StoreError } from '../../types.ts';
import { MessageReader, type MessageSink } from './message-reader.ts';

/** What a call needs from its connection (kept narrow so call.ts does not import connection.ts). */
export interface CallOwner {
  /** Queues a message on the call's stream (framed with the 5-octet gRPC prefix). */
  writeMessage(call: Call, message: Uint8Array): void;
  /** Half-closes the call's stream. */
  endCall(call: Call): void;
  /** Resets the call's stream with CANCEL and ends it with `Cancelled`. */
  cancelCall(call: Call): void;
}

/** See the module comment. */
export class Call implements GrpcStream, MessageSink {
  /** Stream id, 0 until the stream is opened. */
  id = 0;
  /** Octets we may still send on this stream (peer's window). */
  sendWindow = 0;
  /** The first message, raw, until the stream opens (a unary request is framed in place then). */
  firstMessage: Uint8Array | undefined;
  /** Framed messages not yet sent; the first may be partly sent already. */
  queue: Buffer[] = [];
  /** Send END_STREAM once `queue` is empty. */
  endAfterQueue = false;
  /** END_STREAM sent. */
  localEnded = false;
  /** Waiting in the connection's list of streams blocked by the connection window. */
  blocked = false;
  /** Octets the server may still send us on this stream (our window). */
  recvWindow = 0;
  /** Octets received since our last WINDOW_UPDATE for this stream. */
  recvUnacked = 0;
  /** Response headers seen (the next header block is the trailers). */
  gotHeaders = false;
  /** END_STREAM received. */
  remoteEnded = false;
  /** Ended (resolved, rejected or handlers told): nothing more happens to it. */
  done = false;
  /** Unary: the response message, and how many arrived. */
  response: Buffer | undefined;
  responses = 0;
  /** Deadline timer, if any. */
  timer: NodeJS.Timeout | undefined;
  /** Abort listener to remove at the end, if a signal was given. */
  abort: (() => void) | undefined;
  readonly reader: MessageReader;

  /** Set by `cancel()` before the call had a connection. */
  cancelRequested = false;

  constructor(
    /** Where writes go: the connection, or a holder while the call waits for one. */
    public owner: CallOwner,
    /** Method path, e.g. `/etcdserverpb.KV/Put`. */
    readonly path: string,
    /** The HPACK request header block. */
    readonly headerBlock: Buffer,
    /** Bidirectional stream: its handlers; unary: undefined. */
    readonly handlers: StreamHandlers | undefined,
    /** Unary: settles the promise. */
    readonly resolve: ((message: Buffer) => void) | undefined,
    readonly reject: ((err: StoreError) => void) | undefined,
    readonly signal: AbortSignal | undefined,
    maxMessageBytes: number,
  ) {
    this.reader = new MessageReader(this, path, maxMessageBytes);
  }

  /** MessageSink: one response message. */
  onGrpcMessage(message: Buffer): void {
    if (this.done) return;
    if (this.handlers) {
      this.handlers.onMessage(message);
    } else {
      this.responses++;
      this.response = message;
    }
  }

  /** GrpcStream: queues one message. */
  write(message: Uint8Array): void {
    if (!this.done && !this.endAfterQueue) this.owner.writeMessage(this, message);
  }

  /** GrpcStream: half-closes our side. */
  end(): void {
    if (!this.done && !this.endAfterQueue) this.owner.endCall(this);
  }

  /** GrpcStream: resets the stream; `onEnd` gets `Cancelled` (in a microtask, never inside this call). */
  cancel(): void {
    if (!this.done) this.owner.cancelCall(this);
  }
}
