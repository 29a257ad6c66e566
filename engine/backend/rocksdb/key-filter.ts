/**
 * A fixed-size Bloom filter of every key this process has written to k/, used only while it is
 * complete: when the database was new at open (revision 1, so k/ was empty), every key in k/
 * since then went through `add`, and a key the filter has never seen is certainly absent.
 *
 * Why: a put must know its key's previous version, and for a key that does not exist yet that
 * read is a trip to the binding's thread pool that finds nothing (a batch of 64 new keys paid
 * one read batch, ~3 µs of marshalling per key plus the trip, before its write). etcd keeps its
 * whole key index in memory for this; the filter answers "certainly absent" in a fixed 4 MiB
 * however many keys there are. False positives (more so past a few million keys) only mean the
 * read happens as before. A database opened with data in it gets no filter: it would have to
 * read every key first, and start-up never scans the data.
 *
 *   new store: put a -> filter says absent, no read; put a again -> maybe present, read k/a
 */

/** Bit positions probed per key. */
const PROBES = 4;

export class KeyFilter {
  private readonly words: Uint32Array;
  private readonly mask: number;

  /** @param bytes size of the bit array, rounded down to a power of two (at least 64). */
  constructor(bytes: number) {
    let bits = 512;
    while (bits * 2 <= bytes * 8) bits *= 2;
    this.words = new Uint32Array(bits / 32);
    this.mask = bits - 1;
  }

  /** FNV-1a over a latin1 key (one byte per char), then two mixes for double hashing. */
  private static hashes(id: string): [number, number] {
    let h = 0x811c9dc5;
    for (let i = 0; i < id.length; i++) {
      h ^= id.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    let a = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    a = Math.imul(a ^ (a >>> 13), 0xc2b2ae35);
    a ^= a >>> 16;
    let b = Math.imul(h ^ 0x9e3779b9, 0xcc9e2d51);
    b = Math.imul(b ^ (b >>> 15), 0x1b873593);
    b ^= b >>> 16;
    return [a >>> 0, (b | 1) >>> 0];
  }

  /** Records a key (its latin1 string). */
  add(id: string): void {
    const [a, b] = KeyFilter.hashes(id);
    for (let i = 0; i < PROBES; i++) {
      const bit = (a + Math.imul(i, b)) & this.mask;
      this.words[bit >>> 5] |= 1 << (bit & 31);
    }
  }

  /** False only for a key never added. */
  mayHave(id: string): boolean {
    const [a, b] = KeyFilter.hashes(id);
    for (let i = 0; i < PROBES; i++) {
      const bit = (a + Math.imul(i, b)) & this.mask;
      if ((this.words[bit >>> 5] & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }
}
