/**
 * Incremental HTTP/2 frame parser over socket chunks. It cuts the byte stream into frames,
 * enforces SETTINGS_MAX_FRAME_SIZE before buffering a payload, checks every frame's
 * length/stream rules (RFC 9113 §6), strips padding, joins HEADERS/PUSH_PROMISE with their
 * CONTINUATION frames into one header block, ignores unknown frame types, and hands each frame
 * to a {@link FrameHandler}.
 *
 * Errors: `push()` throws an `H2Error` with `streamId` 0 for a connection error (the caller
 * sends GOAWAY with `err.code` and closes; the parser refuses further input). Stream errors
 * (a PRIORITY of the wrong length, a zero WINDOW_UPDATE on a stream) go to
 * `handler.onStreamError` and parsing continues.
 *
 * Buffers handed to the handler are views into the chunks pushed (Node never reuses a socket
 * chunk), valid for as long as the handler keeps them.
 *
 * Example: `const p = new FrameParser(handler); socket.on('data', (c) => p.push(c));`
 */
import { CLIENT_PREFACE, DEFAULT_MAX_FRAME_SIZE, ErrorCode, Flag, FRAME_HEADER_BYTES, FrameType } from './constants.ts';
import { H2Error } from './errors.ts';
import { dispatchFrame } from './frame-dispatch.ts';
import type { FrameHandler } from './frame-handler.ts';

/** Options of a {@link FrameParser}. */
export interface FrameParserOptions {
  /** Largest payload accepted, our SETTINGS_MAX_FRAME_SIZE; default 16384 octets. */
  readonly maxFrameSize?: number;
  /** Largest header block after joining CONTINUATION frames; default 262144 octets. */
  readonly maxHeaderBlockBytes?: number;
  /**
   * CONTINUATION frames one header block may take; one more is ENHANCE_YOUR_CALM. Empty ones
   * (CVE-2019-9518) and tiny ones never reach `maxHeaderBlockBytes`, so this is what bounds
   * them; default 32 (a block of 256 KiB in 16 KiB frames takes 16).
   */
  readonly maxContinuationFrames?: number;
  /** Server side: the input starts with the 24-octet client preface; default false. */
  readonly expectPreface?: boolean;
  /** The first frame must be SETTINGS (both sides, RFC 9113 §3.4); default true. */
  readonly settingsFirst?: boolean;
}

/** Where a header block split over CONTINUATION frames is being collected. */
interface OpenBlock {
  readonly streamId: number;
  readonly type: number;
  readonly endStream: boolean;
  readonly promisedId: number;
  readonly parts: Buffer[];
  bytes: number;
  /** CONTINUATION frames taken so far. */
  continuations: number;
}

/** See the module comment. */
export class FrameParser {
  /** Current limit on a frame payload (octets); raise it once the peer ACKed a larger setting. */
  maxFrameSize: number;
  /** Limit on a joined header block (octets). */
  readonly maxHeaderBlockBytes: number;
  /** Limit on the CONTINUATION frames of one header block. */
  readonly maxContinuationFrames: number;
  private prefaceLeft: number;
  private settingsSeen: boolean;
  private chunks: Buffer[] = [];
  private pendingBytes = 0;
  private needed = FRAME_HEADER_BYTES;
  private block: OpenBlock | undefined;
  private failed: H2Error | undefined;

  constructor(
    private readonly handler: FrameHandler,
    opts: FrameParserOptions = {},
  ) {
    this.maxFrameSize = opts.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE;
    this.maxHeaderBlockBytes = opts.maxHeaderBlockBytes ?? 262_144;
    this.maxContinuationFrames = opts.maxContinuationFrames ?? 32;
    this.prefaceLeft = opts.expectPreface ? CLIENT_PREFACE.length : 0;
    this.settingsSeen = opts.settingsFirst === false;
  }

  /** The connection error that stopped this parser, if any. */
  get error(): H2Error | undefined {
    return this.failed;
  }

  /** Feeds one chunk; throws the connection `H2Error` that ends the connection, if any. */
  push(chunk: Buffer): void {
    if (this.failed) throw this.failed;
    try {
      this.consume(chunk);
    } catch (err) {
      if (err instanceof H2Error && err.isConnectionError) this.failed = err;
      throw err;
    }
  }

  private consume(chunk: Buffer): void {
    if (this.prefaceLeft > 0) {
      chunk = this.checkPreface(chunk);
      if (chunk.length === 0) return;
    }
    let buf = chunk;
    if (this.pendingBytes > 0) {
      this.chunks.push(chunk);
      this.pendingBytes += chunk.length;
      if (this.pendingBytes < this.needed) return;
      buf = Buffer.concat(this.chunks, this.pendingBytes);
      this.chunks = [];
      this.pendingBytes = 0;
    }
    let off = 0;
    const end = buf.length;
    while (end - off >= FRAME_HEADER_BYTES) {
      const length = (buf[off]! << 16) | (buf[off + 1]! << 8) | buf[off + 2]!;
      if (length > this.maxFrameSize) {
        throw new H2Error(ErrorCode.FRAME_SIZE_ERROR, `frame of ${length} octets exceeds SETTINGS_MAX_FRAME_SIZE ${this.maxFrameSize}`);
      }
      if (end - off < FRAME_HEADER_BYTES + length) {
        this.needed = FRAME_HEADER_BYTES + length;
        break;
      }
      const type = buf[off + 3]!;
      const flags = buf[off + 4]!;
      const streamId = buf.readUInt32BE(off + 5) & 0x7fffffff;
      const payload = buf.subarray(off + FRAME_HEADER_BYTES, off + FRAME_HEADER_BYTES + length);
      off += FRAME_HEADER_BYTES + length;
      this.frame(type, flags, streamId, payload);
    }
    if (off < end) {
      this.chunks.push(off === 0 ? buf : buf.subarray(off));
      this.pendingBytes = end - off;
      if (this.pendingBytes < FRAME_HEADER_BYTES) this.needed = FRAME_HEADER_BYTES;
    }
  }

  /** Matches the client preface octet by octet, so a wrong start fails at its first octet. */
  private checkPreface(chunk: Buffer): Buffer {
    const at = CLIENT_PREFACE.length - this.prefaceLeft;
    const n = Math.min(this.prefaceLeft, chunk.length);
    for (let i = 0; i < n; i++) {
      if (chunk[i] !== CLIENT_PREFACE[at + i]) {
        throw new H2Error(ErrorCode.PROTOCOL_ERROR, `invalid connection preface (octet ${at + i} is 0x${chunk[i]!.toString(16)})`);
      }
    }
    this.prefaceLeft -= n;
    return chunk.subarray(n);
  }

  private frame(type: number, flags: number, streamId: number, payload: Buffer): void {
    if (!this.settingsSeen) {
      if (type !== FrameType.SETTINGS || (flags & Flag.ACK) !== 0) {
        throw new H2Error(ErrorCode.PROTOCOL_ERROR, `first frame must be SETTINGS, got type ${type}`);
      }
      this.settingsSeen = true;
    }
    const open = this.block;
    if (open) {
      if (type !== FrameType.CONTINUATION || streamId !== open.streamId) {
        throw new H2Error(ErrorCode.PROTOCOL_ERROR, `expected CONTINUATION on stream ${open.streamId}, got type ${type} on stream ${streamId}`);
      }
      this.addToBlock(open, payload);
      if (flags & Flag.END_HEADERS) {
        this.block = undefined;
        this.emitBlock(open.type, open.streamId, Buffer.concat(open.parts, open.bytes), open.endStream, open.promisedId);
      }
      return;
    }
    if (type === FrameType.CONTINUATION) throw new H2Error(ErrorCode.PROTOCOL_ERROR, `CONTINUATION on stream ${streamId} without HEADERS`);
    const started = dispatchFrame(this.handler, type, flags, streamId, payload);
    if (started) {
      if (started.fragment.length > this.maxHeaderBlockBytes) this.tooLarge(started.fragment.length);
      this.block = { streamId, type, endStream: started.endStream, promisedId: started.promisedId, parts: [started.fragment], bytes: started.fragment.length, continuations: 0 };
    }
  }

  private addToBlock(open: OpenBlock, part: Buffer): void {
    if (++open.continuations > this.maxContinuationFrames) {
      throw new H2Error(ErrorCode.ENHANCE_YOUR_CALM, `header block on stream ${open.streamId} in more than ${this.maxContinuationFrames} CONTINUATION frames`);
    }
    open.bytes += part.length;
    if (open.bytes > this.maxHeaderBlockBytes) this.tooLarge(open.bytes);
    open.parts.push(part);
  }

  private tooLarge(bytes: number): never {
    throw new H2Error(ErrorCode.ENHANCE_YOUR_CALM, `header block of ${bytes}+ octets exceeds the limit of ${this.maxHeaderBlockBytes}`);
  }

  private emitBlock(type: number, streamId: number, block: Buffer, endStream: boolean, promisedId: number): void {
    if (type === FrameType.HEADERS) this.handler.onHeaders(streamId, block, endStream);
    else this.handler.onPushPromise(streamId, promisedId, block);
  }
}
