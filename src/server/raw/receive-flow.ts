/**
 * The receiving half of a connection's flow control (RFC 9113 §5.2): DATA is counted against the
 * connection's window and its stream's window (FLOW_CONTROL_ERROR past either), and given back
 * with WINDOW_UPDATE once half of a window has been used, so a client streaming requests never
 * stalls while what one stream may buffer stays bounded by its window and the call's message
 * size limit.
 */
import { ErrorCode } from '../../h2/constants.ts';
import { H2Error } from '../../h2/errors.ts';
import type { FrameWriter } from './frame-writer.ts';
import { windowUpdateFrame } from './frames.ts';
import type { RawStream } from './raw-stream.ts';

/** See the file comment. */
export class ReceiveFlow {
  private connWindow: number;
  private connUnacked = 0;

  /**
   * @param connectionWindowBytes the connection window we granted, bytes.
   * @param streamWindowBytes our SETTINGS_INITIAL_WINDOW_SIZE, bytes.
   */
  constructor(
    private readonly writer: FrameWriter,
    private readonly connectionWindowBytes: number,
    private readonly streamWindowBytes: number,
  ) {
    this.connWindow = connectionWindowBytes;
  }

  /** Counts `flowBytes` of DATA on the connection; a connection error past its window. */
  takeConnection(flowBytes: number): void {
    this.connWindow -= flowBytes;
    if (this.connWindow < 0) throw new H2Error(ErrorCode.FLOW_CONTROL_ERROR, 'DATA beyond the connection window');
    this.connUnacked += flowBytes;
    if (this.connUnacked >= this.connectionWindowBytes / 2) {
      this.writer.queue(windowUpdateFrame(0, this.connUnacked));
      this.connWindow += this.connUnacked;
      this.connUnacked = 0;
    }
  }

  /** Counts `flowBytes` of DATA on `s`; false when the peer sent past the stream's window. */
  takeStream(s: RawStream, flowBytes: number, endStream: boolean): boolean {
    s.recvWindow -= flowBytes;
    if (s.recvWindow < 0) return false;
    s.recvUnacked += flowBytes;
    if (!endStream && s.recvUnacked >= this.streamWindowBytes / 2) {
      this.writer.queue(windowUpdateFrame(s.id, s.recvUnacked));
      s.recvWindow += s.recvUnacked;
      s.recvUnacked = 0;
    }
    return true;
  }
}
