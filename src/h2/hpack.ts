/**
 * HPACK (RFC 7541) through the `hpack.js` library: its decoder primitives (integers, Huffman
 * strings) and its header table (static + dynamic, eviction) do the work; this file adds the
 * per-block loop with the checks RFC 7541 and RFC 9113 ask of a decoder — table size updates
 * only at the start of a block and within our SETTINGS_HEADER_TABLE_SIZE, indexes in range, a
 * bound on the decoded header list — and a stateless encoder.
 *
 * Every header block a peer sends must go through one `HpackDecoder` per connection, in order,
 * even when its fields are not needed: the dynamic table is shared state.
 *
 * The encoder never adds to the dynamic table (it emits indexed static entries and literals
 * "without indexing"), so an encoded block has no state and can be cached and sent any number
 * of times, e.g. once per gRPC method.
 */
import hpack from 'hpack.js';
import { DEFAULT_HEADER_TABLE_SIZE, ErrorCode } from './constants.ts';
import { H2Error } from './errors.ts';

/** A decoded header list: names and values alternating (`[n0, v0, n1, v1, …]`), latin1 strings. */
export interface HeaderList {
  readonly fields: string[];
  /** Size per RFC 9113 §6.5.2: Σ (name + value + 32) octets, over every field decoded. */
  readonly bytes: number;
  /** True when `bytes` passed the limit: fields past it were decoded (table kept in sync) but dropped. */
  readonly truncated: boolean;
}

/** Options of an {@link HpackDecoder}. */
export interface HpackDecoderOptions {
  /** Our SETTINGS_HEADER_TABLE_SIZE: the largest table the peer may ask for; default 4096 octets. */
  readonly maxTableSize?: number;
  /** Decoded list bound (our SETTINGS_MAX_HEADER_LIST_SIZE); default 65536 octets. */
  readonly maxHeaderListBytes?: number;
}

/** One connection's HPACK decoding context. */
export class HpackDecoder {
  private readonly table;
  private readonly maxListBytes: number;

  constructor(opts: HpackDecoderOptions = {}) {
    this.table = hpack.table.create({ maxSize: opts.maxTableSize ?? DEFAULT_HEADER_TABLE_SIZE });
    this.maxListBytes = opts.maxHeaderListBytes ?? 65_536;
  }

  /** Decodes one complete header block. Throws a connection `H2Error` COMPRESSION_ERROR on bad input. */
  decode(block: Buffer): HeaderList {
    const fields: string[] = [];
    let bytes = 0;
    let truncated = false;
    if (block.length === 0) return { fields, bytes, truncated };
    const d = hpack.decoder.create();
    d.push(block);
    let first = true;
    try {
      while (!d.isEmpty()) {
        let name: string;
        let value: string;
        if (d.decodeBit()) {
          const e = this.lookup(d.decodeInt());
          name = e.name;
          value = e.value;
        } else {
          const incremental = d.decodeBit() === 1;
          if (!incremental && d.decodeBit() === 1) {
            if (!first) throw new H2Error(ErrorCode.COMPRESSION_ERROR, 'HPACK dynamic table size update after the first field');
            const size = d.decodeInt();
            if (size > this.table.protocolMaxSize) {
              throw new H2Error(ErrorCode.COMPRESSION_ERROR, `HPACK table size update to ${size} exceeds SETTINGS_HEADER_TABLE_SIZE ${this.table.protocolMaxSize}`);
            }
            this.table.updateSize(size);
            continue;
          }
          if (!incremental) d.decodeBit(); // the never-indexed bit: we never re-encode, so it does not matter
          const index = d.decodeInt();
          let nameSize: number;
          if (index === 0) {
            const raw = d.decodeStr();
            nameSize = raw.length;
            name = latin1(raw);
          } else {
            const e = this.lookup(index);
            name = e.name;
            nameSize = e.nameSize;
          }
          const rawValue = d.decodeStr();
          value = latin1(rawValue);
          if (incremental) this.table.add(name, value, nameSize, rawValue.length);
        }
        first = false;
        bytes += name.length + value.length + 32;
        if (bytes > this.maxListBytes) truncated = true;
        else fields.push(name, value);
      }
    } catch (err) {
      if (err instanceof H2Error) throw err;
      throw new H2Error(ErrorCode.COMPRESSION_ERROR, `HPACK: ${(err as Error).message}`, 0, { cause: err });
    }
    return { fields, bytes, truncated };
  }

  private lookup(index: number) {
    if (index === 0 || index > this.table.length) throw new H2Error(ErrorCode.COMPRESSION_ERROR, `HPACK index ${index} out of range 1..${this.table.length}`);
    return this.table.lookup(index);
  }
}

function latin1(raw: Buffer | number[]): string {
  return Buffer.isBuffer(raw) ? raw.toString('latin1') : hpack.utils.stringify(raw);
}

/** Field names sent "never indexed" (RFC 7541 §7.1.3): credentials. */
const SENSITIVE = new Set(['authorization', 'token', 'cookie']);

const STATIC = hpack['static-table'].map;
const HUFFMAN = hpack.huffman.encode;

function huffmanShorter(raw: Buffer): boolean {
  let bits = 0;
  for (let i = 0; i < raw.length; i++) bits += HUFFMAN[raw[i]!]![0];
  return Math.ceil(bits / 8) < raw.length;
}

function encodeString(e: ReturnType<typeof hpack.encoder.create>, s: string): void {
  const raw = Buffer.from(s, 'latin1');
  e.encodeStr(raw, huffmanShorter(raw));
}

/**
 * Encodes `fields` (`[name, value]` pairs; names must be lowercase, pseudo-headers first) as a
 * stateless header block: static-table hits as indexed fields, the rest as literals without
 * indexing (never indexed for credentials), Huffman-coded when that is shorter.
 */
export function encodeHeaderBlock(fields: readonly (readonly [string, string])[]): Buffer {
  const e = hpack.encoder.create();
  for (const [name, value] of fields) {
    const s = STATIC[name];
    const exact = s?.values[value];
    if (exact !== undefined) {
      e.encodeBit(1);
      e.encodeInt(exact);
      continue;
    }
    e.encodeBits(SENSITIVE.has(name) ? 0b0001 : 0b0000, 4);
    e.encodeInt(s ? s.index : 0);
    if (!s) encodeString(e, name);
    encodeString(e, value);
  }
  return Buffer.concat(e.render());
}

/** The value of the first field named `name` in a decoded list (names arrive lowercase), or undefined. */
export function headerValue(list: HeaderList, name: string): string | undefined {
  const f = list.fields;
  for (let i = 0; i < f.length; i += 2) if (f[i] === name) return f[i + 1];
  return undefined;
}
