/**
 * Protobuf wire-format writer, shared by the native client's request encoders
 * (`client/native/codec/`) and serve's response encoders (`server/codec/`): fields are written straight into one
 * slab Buffer (varints byte by byte, strings with `Buffer.write`), and each finished message is a
 * subarray of the slab, so encoding a request allocates nothing but, now and then, a new slab.
 *
 * A length-delimited submessage is written with `fork()` (one byte reserved for its length) and
 * `join()` (the length written; the body moved right in the rare case it is 128 bytes or more and
 * its length needs more than one byte).
 *
 * Worked example: `PutRequest{key: "k", value: "v"}` is `0a 01 6b 12 01 76`: tag (1 << 3 | 2),
 * length 1, "k", tag (2 << 3 | 2), length 1, "v".
 */
/** What a bytes field takes: bytes as they are, or a string written as UTF-8. */
export type Bytes = string | Uint8Array;

/** Wire types (protobuf encoding guide). */
export const WireType = { Varint: 0, Fixed64: 1, Len: 2, StartGroup: 3, EndGroup: 4, Fixed32: 5 } as const;

/** Bytes of a fresh slab, default 64 KiB; a larger message gets a slab twice its size. */
const SLAB_BYTES = 64 * 1024;

const TWO_32 = 4294967296;

/** Writes one message at a time into a shared slab; `finish()` hands the bytes out. */
export class ProtoWriter {
  private buf = Buffer.allocUnsafe(SLAB_BYTES);
  private start = 0;
  private pos = 0;
  private readonly forks: number[] = [];

  /** Makes room for `n` more bytes, moving the message begun so far to a new slab if needed. */
  private need(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const used = this.pos - this.start;
    const next = Buffer.allocUnsafe(Math.max(SLAB_BYTES, (used + n) * 2));
    this.buf.copy(next, 0, this.start, this.pos);
    for (let i = 0; i < this.forks.length; i++) this.forks[i]! -= this.start;
    this.buf = next;
    this.pos = used;
    this.start = 0;
  }

  /**
   * The message written since the last `finish()`; valid until the slab is reused (never). A
   * slab grown for one large message is left to it: the next message starts a default one.
   */
  finish(): Buffer {
    if (this.forks.length) throw new Error('protobuf writer: finish() inside an unjoined fork()');
    const out = this.buf.subarray(this.start, this.pos);
    if (this.buf.length > SLAB_BYTES) {
      this.buf = Buffer.allocUnsafe(SLAB_BYTES);
      this.pos = 0;
    }
    this.start = this.pos;
    return out;
  }

  /** Drops the message begun since the last `finish()` (after an encoder threw half-way). */
  discard(): void {
    this.pos = this.start;
    this.forks.length = 0;
  }

  /** An unsigned varint of at most 32 bits. */
  uint32(v: number): void {
    this.need(5);
    const b = this.buf;
    while (v > 0x7f) {
      b[this.pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    b[this.pos++] = v;
  }

  /** An int64 varint from a JS number (integer, |v| <= 2^53); negative values take 10 bytes. */
  int64(v: number): void {
    if (v >= 0 && v <= 0x7fffffff) return this.uint32(v);
    if (!Number.isSafeInteger(v)) throw new RangeError(`protobuf writer: int64 ${v} is not a safe integer`);
    this.varint64(v);
  }

  /**
   * An int64 varint from any integer JS number below 2^63 in magnitude, for serve's answers.
   * Past 2^53 a number is whatever double a decoder made of a wire value (protobufjs's
   * `longs: Number`, `ProtoReader.int64`); the store refuses such numbers where they could be
   * kept (lease IDs, revisions), but an answer that held one is written as protobufjs wrote it
   * rather than failed. The client's `int64` refuses them: there they are a caller's mistake.
   */
  int64Wide(v: number): void {
    if (v >= 0 && v <= 0x7fffffff) return this.uint32(v);
    if (!Number.isInteger(v) || Math.abs(v) >= 2 ** 63) throw new RangeError(`protobuf writer: int64 ${v} is not an integer below 2^63`);
    this.varint64(v);
  }

  /** Writes integer `v` (|v| < 2^64) as a varint of its 64-bit two's complement. */
  private varint64(v: number): void {
    this.need(10);
    const b = this.buf;
    // Two's complement in 64 bits as two 32-bit halves, then 7 bits at a time.
    let lo: number;
    let hi: number;
    if (v >= 0) {
      lo = v % TWO_32;
      hi = (v - lo) / TWO_32;
    } else {
      const m = -v;
      lo = m % TWO_32;
      hi = (m - lo) / TWO_32;
      lo = (~lo + 1) >>> 0;
      hi = (~hi + (lo === 0 ? 1 : 0)) >>> 0;
    }
    while (hi > 0 || lo > 0x7f) {
      b[this.pos++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    b[this.pos++] = lo;
  }

  /** Field tag: `field << 3 | wireType`. */
  tag(field: number, wireType: number): void {
    this.uint32((field << 3) | wireType);
  }

  /** A varint field, omitted when 0 (proto3 default). */
  int64Field(field: number, v: number | undefined): void {
    if (!v) return;
    this.tag(field, WireType.Varint);
    this.int64(v);
  }

  /** A bool field, omitted when false. */
  boolField(field: number, v: boolean | undefined): void {
    if (!v) return;
    this.need(2);
    this.tag(field, WireType.Varint);
    this.buf[this.pos++] = 1;
  }

  /** A bytes (or string, as UTF-8) field, omitted when empty. */
  bytesField(field: number, v: Bytes | undefined): void {
    if (v === undefined || v.length === 0) return;
    this.tag(field, WireType.Len);
    this.rawBytes(v);
  }

  /** Length prefix and bytes of a value whose tag is already written (empty allowed). */
  rawBytes(v: Bytes): void {
    if (typeof v === 'string') {
      if (v.length < 128 && this.ascii(v)) return;
      const n = Buffer.byteLength(v);
      this.uint32(n);
      this.need(n);
      this.pos += this.buf.write(v, this.pos, n, 'utf8');
    } else {
      this.uint32(v.length);
      this.need(v.length);
      this.buf.set(v, this.pos);
      this.pos += v.length;
    }
  }

  /**
   * Writes a short string (under 128 UTF-16 units) with its one-byte length if it is all ASCII,
   * as keys in every scenario are: a char-by-char copy beats `byteLength` + `write` there.
   * Returns false, having written nothing, at the first non-ASCII character.
   */
  private ascii(v: string): boolean {
    const n = v.length;
    this.need(n + 1);
    const b = this.buf;
    const at = this.pos;
    for (let i = 0; i < n; i++) {
      const c = v.charCodeAt(i);
      if (c > 0x7f) return false;
      b[at + 1 + i] = c;
    }
    b[at] = n;
    this.pos = at + 1 + n;
    return true;
  }

  /** Begins submessage `field`: its tag, then one byte reserved for its length. */
  fork(field: number): void {
    this.tag(field, WireType.Len);
    this.need(1);
    this.forks.push(this.pos++);
  }

  /** Ends the innermost `fork()`: writes the body's length in front of it. */
  join(): void {
    const top = this.forks.length - 1;
    if (top < 0) throw new Error('protobuf writer: join() without fork()');
    const len = this.pos - this.forks[top]! - 1;
    if (len < 0x80) {
      this.buf[this.forks.pop()!] = len;
      return;
    }
    const extra = len < 1 << 14 ? 1 : len < 1 << 21 ? 2 : len < 1 << 28 ? 3 : 4;
    this.need(extra); // may move the slab: read the fork's position after it
    const at = this.forks.pop()!;
    this.buf.copyWithin(at + 1 + extra, at + 1, this.pos);
    this.pos += extra;
    let v = len;
    let p = at;
    while (v > 0x7f) {
      this.buf[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[p] = v;
  }
}
