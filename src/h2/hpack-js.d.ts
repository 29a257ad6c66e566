/**
 * Types for the parts of the `hpack.js` package (HPACK, RFC 7541; the library `spdy` uses)
 * that `hpack.ts` drives: its bit-level decoder and encoder, its header table, its static
 * table and Huffman code. The package ships no types of its own.
 */
declare module 'hpack.js' {
  /** Reads integers, bits and (Huffman or raw) strings from pushed octets. */
  interface Decoder {
    push(chunk: Buffer): void;
    isEmpty(): boolean;
    decodeBit(): number;
    decodeInt(): number;
    /** Raw octets (a Buffer) or Huffman-decoded octets (an array). */
    decodeStr(): Buffer | number[];
  }
  /** Writes integers, bits and strings; `render()` returns the buffers written. */
  interface Encoder {
    encodeBit(bit: number): void;
    encodeBits(bits: number, len: number): void;
    encodeInt(num: number): void;
    encodeStr(value: ArrayLike<number>, huffman: boolean): void;
    render(): Buffer[];
  }
  interface TableEntry {
    readonly name: string;
    readonly value: string;
    readonly nameSize: number;
    readonly totalSize: number;
  }
  /** Static + dynamic table; `lookup(i)` is 1-based over both. */
  interface Table {
    size: number;
    maxSize: number;
    readonly protocolMaxSize: number;
    length: number;
    lookup(index: number): TableEntry;
    add(name: string, value: string, nameSize: number, valueSize: number): void;
    updateSize(size: number): void;
  }
  interface StaticTable {
    readonly table: readonly TableEntry[];
    readonly map: Readonly<Record<string, { readonly index: number; readonly values: Readonly<Record<string, number>> }>>;
  }
  const hpack: {
    decoder: { create(): Decoder };
    encoder: { create(): Encoder };
    table: { create(options: { maxSize: number; lookupDepth?: number }): Table };
    'static-table': StaticTable;
    /** Huffman code per octet: `[bitLength, code]`. */
    huffman: { encode: readonly (readonly [number, number])[] };
    utils: { stringify(arr: ArrayLike<number>): string };
  };
  export default hpack;
}
