/**
 * A connection's output: frames queued during one tick go to the socket in one write (one
 * syscall for, say, fifty responses read in one chunk), and the backlog a peer leaves unread is
 * measured so a peer that makes us answer while it does not read can be cut off.
 */
import type { Socket } from 'node:net';
import { ErrorCode } from '../../h2/constants.ts';
import { H2Error } from '../../h2/errors.ts';

/** See the file comment. */
export class FrameWriter {
  private out: Buffer[] = [];
  private outBytes = 0;
  private scheduled = false;
  private readonly flushNow = (): void => this.flush();

  /**
   * @param maxBacklogBytes `answer` refuses to queue once more than this waits, bytes.
   * @param onRoom called after a flush the socket took without asking us to wait: the socket
   *   emits 'drain' only after a write that returned false, so whoever parked on the backlog
   *   (which counts the frames queued here) must hear of the room from this instead.
   */
  constructor(
    private readonly socket: Socket,
    private readonly maxBacklogBytes: number,
    private readonly onRoom: () => void = () => undefined,
  ) {}

  /** Bytes queued or written but not yet taken by the kernel. */
  get backlog(): number {
    return this.socket.writableLength + this.outBytes;
  }

  /** Queues `buf`; it goes out with the rest of this tick's frames. */
  queue(buf: Buffer): void {
    this.out.push(buf);
    this.outBytes += buf.length;
    if (!this.scheduled) {
      this.scheduled = true;
      process.nextTick(this.flushNow);
    }
  }

  /**
   * Queues a frame the peer made us send (an ACK, a refusal, an answer to a request that never
   * became a call): ENHANCE_YOUR_CALM once the peer has left `maxBacklogBytes` unread.
   */
  answer(buf: Buffer): void {
    if (this.backlog > this.maxBacklogBytes) {
      throw new H2Error(ErrorCode.ENHANCE_YOUR_CALM, `peer does not read: ${this.backlog} bytes wait`);
    }
    this.queue(buf);
  }

  /** Writes what is queued now. */
  flush(): void {
    this.scheduled = false;
    if (this.out.length === 0 || this.socket.destroyed) return;
    const bufs = this.out;
    const bytes = this.outBytes;
    this.out = [];
    this.outBytes = 0;
    if (this.socket.write(bufs.length === 1 ? bufs[0] : Buffer.concat(bufs, bytes))) this.onRoom();
  }

  /** Drops what is queued (the connection is gone). */
  clear(): void {
    this.out = [];
    this.outBytes = 0;
  }
}
