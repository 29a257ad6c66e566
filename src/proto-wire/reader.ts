/**
 * Protobuf wire-format reader, shared by the native client's response decoders
 * (`client/native/codec/`) and serve's request decoders (`server/codec/`): a cursor over one Buffer that checks
 * every read against the end of the message it is in, so malformed input (a truncated varint, a
 * length past the end, an unknown wire type) throws a {@link ProtoDecodeError} and never reads
 * out of bounds. Bytes fields come out as subarrays of the input (no copy).
 *
 * Varints are read as two 32-bit halves (as protobufjs does) so that int64 fields become exact JS
 * numbers up to 2^53 and negative int64 (ten bytes, two's complement) come out negative; uint64
 * ids that may pass 2^53 (cluster and member ids) can be read as decimal strings instead.
 */
import { WireType } from './writer.ts';

/** Malformed protobuf input: says what was being read and at which byte offset. */
export class ProtoDecodeError extends Error {
  override readonly name = 'ProtoDecodeError';
}

const TWO_32 = 4294967296;
const EMPTY: Buffer = Buffer.alloc(0);

/** Recently decoded large uint64 ids and their decimal text (see `uint64String`). */
const ID_CACHE: { lo: number; hi: number; text: string }[] = Array.from({ length: 4 }, () => ({ lo: -1, hi: -1, text: '' }));
let idCacheNext = 0;

/** A bounded cursor over one message (or, via `sub()`, over an embedded one). */
export class ProtoReader {
  /** Upper 32 bits of the last varint read by `varint64()`. */
  private hi = 0;

  constructor(
    readonly buf: Buffer,
    public pos = 0,
    readonly end = buf.length,
  ) {}

  /** True while bytes remain. */
  more(): boolean {
    return this.pos < this.end;
  }

  private fail(what: string): never {
    throw new ProtoDecodeError(`protobuf: ${what} at byte ${this.pos} of ${this.end}`);
  }

  /** A varint's low 32 bits (unsigned); its high 32 bits are kept in `hi`. */
  private varint64(): number {
    const b = this.buf;
    const end = this.end;
    let lo = 0;
    let hi = 0;
    let byte: number;
    let shift = 0;
    for (; shift < 28; shift += 7) {
      if (this.pos >= end) this.fail('truncated varint');
      byte = b[this.pos++]!;
      lo |= (byte & 0x7f) << shift;
      if (byte < 0x80) {
        this.hi = 0;
        return lo >>> 0;
      }
    }
    if (this.pos >= end) this.fail('truncated varint');
    byte = b[this.pos++]!;
    lo |= (byte & 0x7f) << 28;
    hi = (byte & 0x7f) >>> 4;
    if (byte >= 0x80) {
      for (shift = 3; ; shift += 7) {
        if (shift > 31) this.fail('varint longer than 10 bytes');
        if (this.pos >= end) this.fail('truncated varint');
        byte = b[this.pos++]!;
        hi |= (byte & 0x7f) << shift;
        if (byte < 0x80) break;
      }
    }
    this.hi = hi >>> 0;
    return lo >>> 0;
  }

  /** A varint as uint32 (tags, lengths, enums, bools); higher bits are dropped as protobuf does. */
  uint32(): number {
    const b = this.buf;
    // Fast path: a one-byte varint.
    if (this.pos < this.end && b[this.pos]! < 0x80) return b[this.pos++]!;
    return this.varint64();
  }

  /** An int64 varint as a JS number (exact up to 2^53 in magnitude). */
  int64(): number {
    const lo = this.varint64();
    const hi = this.hi;
    if (hi & 0x80000000) {
      // Negative: magnitude = ~value + 1.
      const nlo = (~lo + 1) >>> 0;
      const nhi = (~hi + (nlo === 0 ? 1 : 0)) >>> 0;
      return -(nhi * TWO_32 + nlo);
    }
    return hi * TWO_32 + lo;
  }

  /**
   * A uint64 varint as a decimal string (exact for all 64 bits). Ids above 2^53 go through
   * BigInt; the last few are cached, since every header repeats the same cluster and member id.
   */
  uint64String(): string {
    const lo = this.varint64();
    const hi = this.hi;
    if (hi < 0x200000) return String(hi * TWO_32 + lo);
    for (let i = 0; i < ID_CACHE.length; i++) {
      const e = ID_CACHE[i]!;
      if (e.lo === lo && e.hi === hi) return e.text;
    }
    const text = ((BigInt(hi) << 32n) | BigInt(lo)).toString();
    ID_CACHE[idCacheNext] = { lo, hi, text };
    idCacheNext = (idCacheNext + 1) % ID_CACHE.length;
    return text;
  }

  /** A bool varint. */
  bool(): boolean {
    return this.uint32() !== 0;
  }

  /** A length prefix, checked against the bytes left. */
  private len(): number {
    const n = this.uint32();
    if (n > this.end - this.pos) this.fail(`length ${n} past the end`);
    return n;
  }

  /** A bytes field as a subarray of the input (no copy). */
  bytes(): Buffer {
    const n = this.len();
    if (n === 0) return EMPTY;
    const start = this.pos;
    this.pos += n;
    return this.buf.subarray(start, start + n);
  }

  /** A string field (UTF-8). */
  string(): string {
    const n = this.len();
    const start = this.pos;
    this.pos += n;
    return this.buf.toString('utf8', start, start + n);
  }

  /** An embedded message: a reader over its bytes; this cursor moves past them. */
  sub(): ProtoReader {
    const n = this.len();
    const r = new ProtoReader(this.buf, this.pos, this.pos + n);
    this.pos += n;
    return r;
  }

  /** Skips the value of a field of wire type `wireType` (any of the six, groups included). */
  skip(wireType: number, field = 0): void {
    switch (wireType) {
      case WireType.Varint:
        this.varint64();
        return;
      case WireType.Fixed64:
        this.advance(8);
        return;
      case WireType.Len: {
        const n = this.len(); // before touching pos: len() moves it past the prefix
        this.pos += n;
        return;
      }
      case WireType.Fixed32:
        this.advance(4);
        return;
      case WireType.StartGroup:
        for (;;) {
          if (!this.more()) this.fail(`unterminated group ${field}`);
          const tag = this.uint32();
          if ((tag & 7) === WireType.EndGroup) {
            if (tag >>> 3 !== field) this.fail(`group ${field} ended by field ${tag >>> 3}`);
            return;
          }
          this.skip(tag & 7, tag >>> 3);
        }
      default:
        this.fail(`wire type ${wireType} (field ${field})`);
    }
  }

  private advance(n: number): void {
    if (n > this.end - this.pos) this.fail(`fixed field of ${n} bytes past the end`);
    this.pos += n;
  }
}
