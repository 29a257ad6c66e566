/**
 * The sending side of a client `Connection`: a call's HEADERS (once, when its stream opens:
 * ids must go out in order), then its DATA as far as the connection and stream windows and the
 * peer's SETTINGS_MAX_FRAME_SIZE allow; calls held back by the connection window resume in
 * order when it grows. A unary request that fits goes out as HEADERS + DATA(END_STREAM) in one
 * reservation of the outbox, its gRPC prefix written in place.
 */
import { encodeHeaderFrames, Flag, FRAME_HEADER_BYTES, FrameType, writeFrameHeader } from '../../../h2/index.ts';
import type { Call } from './call.ts';
import { grpcFrame } from '../grpc-message.ts';
import type { SendSide } from './connection-core.ts';

/** See the module comment. */
export class Outbound {
  /** Calls waiting for the connection window, in order. */
  private blocked: Call[] = [];

  constructor(private readonly c: SendSide) {}

  /** Writes the HEADERS of `call` (its id is set) and what can be sent of its messages. */
  start(call: Call): void {
    const c = this.c;
    const id = call.id;
    const block = call.headerBlock;
    const max = c.peer.maxFrameSize;
    const msg = call.firstMessage;
    call.firstMessage = undefined;
    const len = msg ? 5 + msg.length : 0;
    // fast path: a unary request, HEADERS + one DATA with END_STREAM in one reservation, the
    // gRPC prefix written in place
    if (msg && call.endAfterQueue && call.queue.length === 0 && block.length <= max && len <= max && len <= c.sendWindow && len <= call.sendWindow) {
      const at = c.out.alloc(2 * FRAME_HEADER_BYTES + block.length + len);
      const slab = c.out.slab;
      writeFrameHeader(slab, at, block.length, FrameType.HEADERS, Flag.END_HEADERS, id);
      block.copy(slab, at + FRAME_HEADER_BYTES);
      const d = at + FRAME_HEADER_BYTES + block.length;
      writeFrameHeader(slab, d, len, FrameType.DATA, Flag.END_STREAM, id);
      slab[d + FRAME_HEADER_BYTES] = 0;
      slab.writeUInt32BE(msg.length, d + FRAME_HEADER_BYTES + 1);
      slab.set(msg, d + FRAME_HEADER_BYTES + 5);
      c.sendWindow -= len;
      call.sendWindow -= len;
      call.localEnded = true;
      return;
    }
    if (msg) call.queue.unshift(grpcFrame(msg));
    c.out.add(encodeHeaderFrames(id, block, { maxFrameSize: max }));
    this.pump(call);
  }

  /** Sends what flow control allows of `call.queue`, then END_STREAM if asked and possible. */
  pump(call: Call): void {
    const c = this.c;
    const max = c.peer.maxFrameSize;
    while (call.queue.length > 0) {
      const avail = Math.min(c.sendWindow, call.sendWindow, max);
      if (avail <= 0) {
        if (c.sendWindow <= 0 && !call.blocked) {
          call.blocked = true;
          this.blocked.push(call);
        }
        return;
      }
      const buf = call.queue[0]!;
      const n = Math.min(avail, buf.length);
      const last = n === buf.length && call.queue.length === 1 && call.endAfterQueue;
      const at = c.out.alloc(FRAME_HEADER_BYTES);
      writeFrameHeader(c.out.slab, at, n, FrameType.DATA, last ? Flag.END_STREAM : 0, call.id);
      c.out.add(n === buf.length ? buf : buf.subarray(0, n));
      c.sendWindow -= n;
      call.sendWindow -= n;
      if (n === buf.length) call.queue.shift();
      else call.queue[0] = buf.subarray(n);
      if (last) call.localEnded = true;
    }
    if (call.endAfterQueue && !call.localEnded) {
      const at = c.out.alloc(FRAME_HEADER_BYTES);
      writeFrameHeader(c.out.slab, at, 0, FrameType.DATA, Flag.END_STREAM, call.id);
      call.localEnded = true;
    }
    if (call.localEnded && call.remoteEnded) c.closeStream(call);
  }

  /** The connection window grew: resume the calls it held back, in order. */
  resumeBlocked(): void {
    const list = this.blocked;
    this.blocked = [];
    for (const call of list) {
      call.blocked = false;
      if (!call.done) this.pump(call);
    }
  }
}
