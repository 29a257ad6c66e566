/**
 * Decoded request headers, reused for a header block seen before on the same connection when
 * that block cannot depend on or change HPACK state: only static-table references and literals
 * without indexing (RFC 7541 6.1, 6.2.2, 6.2.3), no dynamic table references, no insertions, no
 * table size updates. Such a block means the same every time, so decoding it again is wasted
 * work. metabench's native client encodes every request header block that way (once per
 * method); clients that use the dynamic table (grpc-go, nghttp2) always take the full decoder.
 *
 * Example: a block `83 86 04 94 …` (`:method POST`, `:scheme http`, `:path` literal) is
 * static-only; `be` (dynamic index 62) or `40 …` (incremental indexing) is not.
 */
import type { CallHeaders } from '../h2-call.ts';

/** Entries kept per connection (distinct methods times distinct metadata). */
const MAX_ENTRIES = 64;
/** The static table's last index (RFC 7541 appendix A). */
const STATIC_ENTRIES = 61;

/** An HPACK integer with an N-bit prefix at `b[i]`: [value, next offset], or [-1, 0] when cut short or huge. */
function hpackInt(b: Buffer, i: number, prefixBits: number): [number, number] {
  const mask = (1 << prefixBits) - 1;
  let v = b[i] & mask;
  i++;
  if (v < mask) return [v, i];
  let shift = 0;
  for (;;) {
    if (i >= b.length || shift > 21) return [-1, 0];
    const c = b[i++];
    v += (c & 0x7f) << shift;
    shift += 7;
    if ((c & 0x80) === 0) return [v, i];
  }
}

/** True when decoding `block` neither reads nor writes the dynamic table (see the file comment). */
export function isStaticOnly(block: Buffer): boolean {
  let i = 0;
  while (i < block.length) {
    const c = block[i];
    if (c & 0x80) {
      const [index, next] = hpackInt(block, i, 7);
      if (index < 1 || index > STATIC_ENTRIES) return false;
      i = next;
      continue;
    }
    // 01xxxxxx adds to the table, 001xxxxx resizes it.
    if ((c & 0xc0) === 0x40 || (c & 0xe0) === 0x20) return false;
    const [nameIndex, afterName] = hpackInt(block, i, 4);
    if (nameIndex < 0 || nameIndex > STATIC_ENTRIES) return false;
    i = afterName;
    if (nameIndex === 0) {
      if (i >= block.length) return false;
      const [len, next] = hpackInt(block, i, 7);
      if (len < 0) return false;
      i = next + len;
    }
    if (i >= block.length) return false;
    const [len, next] = hpackInt(block, i, 7);
    if (len < 0) return false;
    i = next + len;
  }
  return i === block.length;
}

/** A block seen before and what it decoded to. */
interface Entry {
  readonly block: Buffer;
  readonly headers: CallHeaders;
}

/**
 * One connection's cache; see the file comment. Entries are found by the block's length, then
 * compared byte for byte (cheaper than turning every block into a string key).
 */
export class HeaderCache {
  private readonly byLength = new Map<number, Entry[]>();
  private size = 0;

  /** The headers decoded earlier from these exact bytes, if any. */
  get(block: Buffer): CallHeaders | undefined {
    if (this.size === 0) return undefined;
    const list = this.byLength.get(block.length);
    if (list === undefined) return undefined;
    for (const e of list) if (e.block.equals(block)) return e.headers;
    return undefined;
  }

  /** Remembers `headers` for `block` when the block is static-only and there is room. */
  put(block: Buffer, headers: CallHeaders): void {
    if (this.size >= MAX_ENTRIES || !isStaticOnly(block)) return;
    // A copy: `block` is a view into a socket chunk, which it would keep alive.
    const entry = { block: Buffer.from(block), headers };
    const list = this.byLength.get(block.length);
    if (list === undefined) this.byLength.set(block.length, [entry]);
    else list.push(entry);
    this.size++;
  }
}
