/**
 * gRPC length-prefixed messages (1 octet compressed flag, 4 octets big-endian length, body)
 * read back from DATA frames that may cut them anywhere. A message that sits whole inside one
 * frame is handed on as a view, with no copy.
 */
import { gunzipSync, inflateSync } from 'node:zlib';
import { GrpcCode, StoreError } from '../../types.ts';

/** Largest response message accepted by default (octets), as grpc's default is 4 MiB and etcd answers up to ~2 GiB ranges on request. */
export const DEFAULT_MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

/** Where each complete message goes. */
export interface MessageSink {
  onGrpcMessage(message: Buffer): void;
}

/** One stream's reader; `push` throws a `StoreError` for a compressed or oversized message. */
export class MessageReader {
  /** The prefix of a message cut by a frame boundary (allocated only then). */
  private headBuf: Buffer | undefined;
  private headBytes = 0;
  private bodyLen = -1;
  private parts: Buffer[] = [];
  private partsBytes = 0;

  constructor(
    private readonly sink: MessageSink,
    private readonly path: string,
    /** Largest message accepted (octets). */
    private readonly maxBytes = DEFAULT_MAX_MESSAGE_BYTES,
  ) {}

  /** The response's `grpc-encoding` (from its headers): compressed messages need `gzip` or `deflate` here. */
  encoding: string | undefined;

  /** True while a message has started but not ended (the stream must not end here). */
  get partial(): boolean {
    return this.headBytes > 0;
  }

  /** Feeds one DATA frame's (unpadded) data. */
  push(data: Buffer): void {
    let off = 0;
    const end = data.length;
    while (off < end) {
      if (this.bodyLen < 0) {
        // fast path: a whole message in the rest of this frame
        if (this.headBytes === 0 && end - off >= 5) {
          const len = data.readUInt32BE(off + 1);
          this.checkHead(data[off]!, len);
          if (end - off - 5 >= len) {
            const body = data.subarray(off + 5, off + 5 + len);
            this.sink.onGrpcMessage(data[off] === 0 ? body : this.inflate(body));
            off += 5 + len;
            continue;
          }
          data.copy(this.head(), 0, off, off + 5);
          this.headBytes = 5;
          this.bodyLen = len;
          off += 5;
          continue;
        }
        const n = Math.min(5 - this.headBytes, end - off);
        data.copy(this.head(), this.headBytes, off, off + n);
        this.headBytes += n;
        off += n;
        if (this.headBytes < 5) return;
        this.bodyLen = this.head().readUInt32BE(1);
        this.checkHead(this.head()[0]!, this.bodyLen);
        if (this.bodyLen === 0) this.emit(Buffer.alloc(0));
        else this.headBytes = 5;
        continue;
      }
      const n = Math.min(this.bodyLen - this.partsBytes, end - off);
      this.parts.push(data.subarray(off, off + n));
      this.partsBytes += n;
      off += n;
      if (this.partsBytes === this.bodyLen) this.emit(this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.partsBytes));
    }
  }

  private head(): Buffer {
    return (this.headBuf ??= Buffer.alloc(5));
  }

  private checkHead(flag: number, len: number): void {
    if (flag > 1 || (flag === 1 && this.encoding !== 'gzip' && this.encoding !== 'deflate')) {
      throw new StoreError(GrpcCode.Internal, `${this.path}: compressed message (flag ${flag}) with grpc-encoding ${this.encoding ?? 'absent'}`);
    }
    if (len > this.maxBytes) {
      throw new StoreError(GrpcCode.ResourceExhausted, `${this.path}: response message of ${len} octets exceeds the limit of ${this.maxBytes}`);
    }
  }

  private inflate(body: Buffer): Buffer {
    try {
      return this.encoding === 'gzip' ? gunzipSync(body, { maxOutputLength: this.maxBytes }) : inflateSync(body, { maxOutputLength: this.maxBytes });
    } catch (err) {
      throw new StoreError(GrpcCode.Internal, `${this.path}: cannot decompress a ${this.encoding} message: ${(err as Error).message}`, { cause: err });
    }
  }

  private emit(message: Buffer): void {
    const compressed = this.headBuf?.[0] === 1;
    this.headBytes = 0;
    this.bodyLen = -1;
    this.parts = [];
    this.partsBytes = 0;
    this.sink.onGrpcMessage(compressed ? this.inflate(message) : message);
  }
}
