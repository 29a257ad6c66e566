/**
 * The sending half of a connection's flow control (RFC 9113 §5.2): response DATA is framed from a
 * stream's pending bytes as far as the stream's window, the connection's window, the peer's
 * SETTINGS_MAX_FRAME_SIZE and the socket's backlog allow; a stream that has to wait is kept in
 * `blocked` and pumped again when a WINDOW_UPDATE, a larger initial window or a socket 'drain'
 * makes room. Once its pending bytes are out, the stream's END_STREAM or trailers follow.
 */
import type http2 from 'node:http2';
import { ErrorCode, Flag, FrameType, MAX_WINDOW_SIZE } from '../../h2/constants.ts';
import { H2Error } from '../../h2/errors.ts';
import { writeFrameHeader } from '../../h2/frame-header.ts';
import type { Settings } from '../../h2/settings.ts';
import { takeBytes } from './frames.ts';
import type { FrameWriter } from './frame-writer.ts';
import { encodeHeaders } from './header-encoding.ts';
import type { RawStream } from './raw-stream.ts';

/** See the file comment. */
export class ResponseSender {
  /** What we may still send on the connection (the peer's connection window). */
  private connWindow = 65_535;
  /** Streams with response bytes waiting for window or socket room. */
  private readonly blocked = new Set<RawStream>();

  /**
   * @param peer the peer's SETTINGS as they stand (read at each frame).
   * @param socketHighWaterBytes DATA waits once the socket holds this much, bytes.
   */
  constructor(
    private readonly writer: FrameWriter,
    private readonly peer: Settings,
    private readonly socketHighWaterBytes: number,
  ) {}

  /** Queues HEADERS (+ CONTINUATION) for `headers` on stream `id`. */
  headers(id: number, headers: http2.OutgoingHttpHeaders, endStream: boolean): void {
    for (const b of encodeHeaders(id, headers, endStream, this.peer.maxFrameSize)) this.writer.queue(b);
  }

  /** A connection WINDOW_UPDATE: FLOW_CONTROL_ERROR above 2^31-1, else waiting streams go on. */
  addConnectionWindow(increment: number): void {
    this.connWindow += increment;
    if (this.connWindow > MAX_WINDOW_SIZE) throw new H2Error(ErrorCode.FLOW_CONTROL_ERROR, 'connection window above 2^31-1');
    this.pumpAll();
  }

  /** The stream no longer sends (closed, reset). */
  forget(s: RawStream): void {
    this.blocked.delete(s);
  }

  /** Frames as much of `s`'s pending response as the windows and the socket allow. */
  pump(s: RawStream): void {
    const maxFrame = this.peer.maxFrameSize;
    while (s.pendingBytes > 0) {
      const room = Math.min(s.pendingBytes, s.sendWindow, this.connWindow, maxFrame);
      if (room <= 0 || this.writer.backlog > this.socketHighWaterBytes) {
        this.blocked.add(s);
        return;
      }
      const payload = takeBytes(s, room);
      s.sendWindow -= room;
      this.connWindow -= room;
      const last = s.pendingBytes === 0 && s.endAfterPending;
      this.dataHead(s.id, room, last);
      for (const p of payload) this.writer.queue(p);
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
      this.headers(s.id, t, true);
      s.finishLocal();
      return;
    }
    if (s.endAfterPending) {
      s.endAfterPending = false;
      this.dataHead(s.id, 0, true);
      s.finishLocal();
      return;
    }
    s.maybeDrain();
  }

  /** Pumps every waiting stream while the socket has room. */
  pumpAll(): void {
    if (this.blocked.size === 0) return;
    for (const s of [...this.blocked]) {
      if (this.writer.backlog > this.socketHighWaterBytes) return;
      this.pump(s);
    }
  }

  /** Forgets every waiting stream (the connection is gone). */
  clear(): void {
    this.blocked.clear();
  }

  private dataHead(id: number, length: number, endStream: boolean): void {
    const head = Buffer.allocUnsafe(9);
    writeFrameHeader(head, 0, length, FrameType.DATA, endStream ? Flag.END_STREAM : 0, id);
    this.writer.queue(head);
  }
}
