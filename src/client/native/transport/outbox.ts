/**
 * Coalesced writes: every frame produced during one tick of the event loop lands in one slab
 * and goes to the socket as one `write()` (one syscall) when the tick ends. Frames are
 * written in place (`alloc` then fill `slab` at the offset it returns), large payloads are
 * queued by reference without a copy.
 *
 * Example: `const at = out.alloc(9 + n); writeFrameHeader(out.slab, at, n, …); body.copy(out.slab, at + 9);`
 */
import type { Socket } from 'node:net';

/** Size of a fresh slab in octets; a frame larger than this gets a slab of its own size. */
const SLAB_BYTES = 64 * 1024;

/** Payloads at least this large are queued by reference instead of copied (octets). */
const BY_REFERENCE_BYTES = 16 * 1024;

/** See the module comment. */
export class Outbox {
  /** The buffer `alloc` returns offsets into; replaced when full, so read it after `alloc`. */
  slab: Buffer = Buffer.allocUnsafe(SLAB_BYTES);
  private start = 0;
  private used = 0;
  private parts: Buffer[] = [];
  private partsBytes = 0;
  private scheduled = false;
  private closed = false;
  private readonly flushNow = () => this.flush();

  constructor(private readonly socket: Socket) {}

  /** Reserves `n` octets in `slab`; returns their offset. Schedules a flush for the end of the tick. */
  alloc(n: number): number {
    if (this.slab.length - this.used < n) {
      this.seal();
      this.slab = Buffer.allocUnsafe(Math.max(SLAB_BYTES, n));
      this.start = this.used = 0;
    }
    const at = this.used;
    this.used += n;
    this.schedule();
    return at;
  }

  /** Queues `buf` (copied when small, by reference when large: do not modify it afterwards). */
  add(buf: Uint8Array): void {
    if (buf.length >= BY_REFERENCE_BYTES) {
      this.seal();
      this.parts.push(Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.length));
      this.partsBytes += buf.length;
      this.schedule();
      return;
    }
    const at = this.alloc(buf.length);
    this.slab.set(buf, at);
  }

  /** Writes what is queued now (normally called at the end of the tick). */
  flush(): void {
    this.scheduled = false;
    this.seal();
    if (this.parts.length === 0 || this.closed) return;
    const data = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.partsBytes);
    this.parts = [];
    this.partsBytes = 0;
    this.socket.write(data);
  }

  /** Drops whatever is queued and ignores later writes (the socket is gone). */
  close(): void {
    this.closed = true;
    this.parts = [];
    this.partsBytes = 0;
  }

  /** Moves the slab's filled, unsent region into `parts`; the rest of the slab stays usable. */
  private seal(): void {
    if (this.used > this.start) {
      this.parts.push(this.slab.subarray(this.start, this.used));
      this.partsBytes += this.used - this.start;
      this.start = this.used;
    }
  }

  private schedule(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    process.nextTick(this.flushNow);
  }
}
