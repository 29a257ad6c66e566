/**
 * Copies of the key and value bytes a write keeps, packed into slabs of their own.
 *
 * `Buffer.from(b)` takes small copies from Node's shared 8 KiB pool, which every other small
 * Buffer in the process (request frames, encoders, the bench's own keys) also draws from: one
 * kept 100-byte value then pins a whole pool slab of otherwise dead bytes, and a store of a
 * million values holds several times their size in external memory, which V8 counts towards
 * its next full collection. Here only kept bytes go into a slab, back to back.
 *
 * Worked example (SLAB_BYTES 16 for the sake of it): copying "abc" then "defgh" gives
 *   slab [a b c d e f g h . . . . . . . .]   views [0,3) and [3,8)
 * a 9-byte copy no longer fits in the 8 bytes left, so it opens a new slab; the old one lives
 * as long as any of its views does (as a pool slab would).
 */

/** Size of one slab. */
export const SLAB_BYTES = 16 * 1024;

/** Larger copies get a buffer of their own (at most 1/16 of a slab is left unused at its end). */
export const MAX_PACKED_BYTES = 1024;

const EMPTY = Buffer.alloc(0);

/** A bump allocator for kept bytes (see the file comment). */
export class ByteArena {
  private slab: Buffer = EMPTY;
  private used = 0;

  /** A copy of `b` (the caller may reuse `b` afterwards); empty input gives a shared empty Buffer. */
  copy(b: Uint8Array | undefined): Buffer {
    const n = b === undefined ? 0 : b.length;
    if (n === 0) return EMPTY;
    if (n > MAX_PACKED_BYTES) {
      // Not Buffer.from: up to 4 KiB it would take a slice of Node's pool (see the file comment).
      const own = Buffer.allocUnsafeSlow(n);
      own.set(b!);
      return own;
    }
    if (this.used + n > this.slab.length) {
      // allocUnsafeSlow: outside Node's pool; every byte handed out is written first.
      this.slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
      this.used = 0;
    }
    const start = this.used;
    // TypedArray#set: a builtin, no binding call; takes any Uint8Array a decoder may hand over.
    this.slab.set(b!, start);
    this.used = start + n;
    return this.slab.subarray(start, start + n);
  }
}
