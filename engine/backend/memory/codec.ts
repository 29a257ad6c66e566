/**
 * Binary encoding of what the memory engine logs: a `CommitBatch` per WAL record, and a
 * `MemorySnapshot` per snapshot file. Integers are unsigned LEB128 varints (lease IDs get a
 * sign bit in their first byte, since they are signed int64 in etcd); byte strings are a varint
 * length then the bytes.
 *
 * Batch (version 1):
 *   u8 1 | revision | requests | compact+1 (0 = none) | #changes change* |
 *   #grants (lease ttlSec)* | #revokes lease*
 * Snapshot (version 1):
 *   u8 1 | revision | compactRevision | #leases (lease ttlSec)* | #changes change*
 * change:
 *   u8 kind (0 put, 1 delete) | main | sub | key
 *   put only: createRevision | modRevision | version | lease | value
 *
 * Worked example: a batch at revision 5, one request, putting "k" = "v" (created at 5, lease 0):
 *   01 05 01 00 01 | 00 05 00 01 6b 05 05 01 00 01 76 | 00 | 00     (18 bytes)
 */
import type { KeyValue } from '../../mvcc/types.ts';
import type { Change, CommitBatch, LeaseRecord } from '../backend.ts';

/** The memory engine's state as a snapshot stores it. */
export interface MemorySnapshot {
  /** The store's revision when the snapshot was taken. */
  revision: number;
  /** Newest compacted revision, 0 if never compacted. */
  compactRevision: number;
  leases: LeaseRecord[];
  /** Every retained change, in revision order. */
  changes: Change[];
}

const VERSION = 1;
const KIND_PUT = 0;
const KIND_DELETE = 1;

/** A malformed encoding: a bug or a format from another version, never a torn write (CRC). */
export class CodecError extends Error {
  override readonly name = 'CodecError';
}

/** Appends to a growing buffer. One instance is reused across batches to avoid allocation. */
class Writer {
  buf: Buffer;
  pos = 0;

  constructor(initialBytes: number) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  reset(): void {
    this.pos = 0;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }

  /** Unsigned varint of a non-negative integer up to 2^54 (exact in a double). */
  uint(v: number): void {
    this.ensure(8);
    while (v >= 0x80) {
      this.buf[this.pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.pos++] = v;
  }

  /**
   * Signed varint: the first byte holds a continuation bit, 6 bits of magnitude and the sign
   * in bit 0 (zig-zag style, so small negatives stay short); the rest of the magnitude follows
   * as an unsigned varint. Unlike plain zig-zag (2|v|+1), this is exact for every safe integer.
   */
  int(v: number): void {
    const negative = v < 0;
    let m = negative ? -v : v;
    let first = ((m % 64) << 1) | (negative ? 1 : 0);
    m = Math.floor(m / 64);
    if (m > 0) first |= 0x80;
    this.u8(first);
    if (m > 0) this.uint(m);
  }

  bytes(b: Uint8Array): void {
    this.uint(b.length);
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
}

class Reader {
  pos = 0;

  constructor(
    private readonly buf: Buffer,
    private readonly what: string,
  ) {}

  private fail(reason: string): never {
    throw new CodecError(`${this.what}: ${reason} at byte ${this.pos} of ${this.buf.length}`);
  }

  u8(): number {
    if (this.pos >= this.buf.length) this.fail('unexpected end');
    return this.buf[this.pos++];
  }

  uint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.u8();
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 0x80;
    }
    return this.fail('varint longer than 8 bytes');
  }

  int(): number {
    const first = this.u8();
    let m = (first & 0x7e) >> 1;
    if (first & 0x80) m += this.uint() * 64;
    return first & 1 ? -m : m;
  }

  /** A copy of the next byte string, so decoded keys do not pin the whole segment in memory. */
  bytes(): Buffer {
    const n = this.uint();
    if (n > this.buf.length - this.pos) this.fail(`byte string of ${n} bytes overruns the record`);
    const out = Buffer.allocUnsafe(n);
    this.buf.copy(out, 0, this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** A count of items that each take at least one byte (guards against absurd allocations). */
  count(): number {
    const n = this.uint();
    if (n > this.buf.length - this.pos) this.fail(`count ${n} exceeds the bytes left`);
    return n;
  }

  end(): void {
    if (this.pos !== this.buf.length) this.fail('trailing bytes');
  }
}

function writeChange(w: Writer, c: Change): void {
  if (c.type === 'put') {
    w.u8(KIND_PUT);
    w.uint(c.main);
    w.uint(c.sub);
    const kv = c.kv;
    w.bytes(kv.key);
    w.uint(kv.createRevision);
    w.uint(kv.modRevision);
    w.uint(kv.version);
    w.int(kv.lease);
    w.bytes(kv.value);
  } else {
    w.u8(KIND_DELETE);
    w.uint(c.main);
    w.uint(c.sub);
    w.bytes(c.key);
  }
}

function readChange(r: Reader): Change {
  const kind = r.u8();
  const main = r.uint();
  const sub = r.uint();
  const key = r.bytes();
  if (kind === KIND_DELETE) return { type: 'delete', main, sub, key };
  if (kind !== KIND_PUT) throw new CodecError(`change kind ${kind} is unknown; expected 0 (put) or 1 (delete)`);
  const kv: KeyValue = {
    key,
    createRevision: r.uint(),
    modRevision: r.uint(),
    version: r.uint(),
    lease: r.int(),
    value: r.bytes(),
  };
  return { type: 'put', main, sub, kv };
}

function writeLeases(w: Writer, leases: readonly LeaseRecord[]): void {
  w.uint(leases.length);
  for (const l of leases) {
    w.int(l.id);
    w.uint(l.ttlSec);
  }
}

function readLeases(r: Reader): LeaseRecord[] {
  const n = r.count();
  const out: LeaseRecord[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = { id: r.int(), ttlSec: r.uint() };
  return out;
}

function readVersion(r: Reader, what: string): void {
  const v = r.u8();
  if (v !== VERSION) throw new CodecError(`${what}: format version ${v} is unknown; expected ${VERSION}`);
}

function writeBatch(w: Writer, batch: CommitBatch): void {
  w.reset();
  w.u8(VERSION);
  w.uint(batch.revision);
  w.uint(batch.requests);
  w.uint(batch.compact === undefined ? 0 : batch.compact + 1);
  w.uint(batch.changes.length);
  for (const c of batch.changes) writeChange(w, c);
  writeLeases(w, batch.leaseGrants);
  w.uint(batch.leaseRevokes.length);
  for (const id of batch.leaseRevokes) w.int(id);
}

/**
 * Returns an encoder that reuses one buffer across batches (no allocation per batch once it
 * has grown). Each result is a view that is only valid until the encoder's next call.
 */
export function createBatchEncoder(): (batch: CommitBatch) => Buffer {
  const w = new Writer(64 * 1024);
  return (batch) => {
    writeBatch(w, batch);
    return w.buf.subarray(0, w.pos);
  };
}

/** Encodes a batch into a fresh buffer of its own. */
export function encodeBatch(batch: CommitBatch): Buffer {
  const w = new Writer(256);
  writeBatch(w, batch);
  return w.buf.subarray(0, w.pos);
}

/** Decodes a batch; `what` names it in errors (e.g. "wal record 42"). */
export function decodeBatch(buf: Buffer, what = 'batch'): CommitBatch {
  const r = new Reader(buf, what);
  readVersion(r, what);
  const revision = r.uint();
  const requests = r.uint();
  const compactPlus1 = r.uint();
  const n = r.count();
  const changes: Change[] = new Array(n);
  for (let i = 0; i < n; i++) changes[i] = readChange(r);
  const leaseGrants = readLeases(r);
  const nRevokes = r.count();
  const leaseRevokes: number[] = new Array(nRevokes);
  for (let i = 0; i < nRevokes; i++) leaseRevokes[i] = r.int();
  r.end();
  const batch: CommitBatch = { revision, changes, leaseGrants, leaseRevokes, requests };
  if (compactPlus1 > 0) batch.compact = compactPlus1 - 1;
  return batch;
}

/** Encodes a snapshot into a fresh buffer. */
export function encodeSnapshot(s: MemorySnapshot): Buffer {
  // Rough size up front so a large snapshot does not copy itself through many doublings.
  let estimate = 64 + s.leases.length * 12;
  for (const c of s.changes) estimate += 24 + (c.type === 'put' ? c.kv.key.length + c.kv.value.length + 16 : c.key.length);
  const w = new Writer(estimate);
  w.u8(VERSION);
  w.uint(s.revision);
  w.uint(s.compactRevision);
  writeLeases(w, s.leases);
  w.uint(s.changes.length);
  for (const c of s.changes) writeChange(w, c);
  return w.buf.subarray(0, w.pos);
}

/** Changes encoded between two yields of `encodeSnapshotInSlices`. */
export const SNAPSHOT_SLICE_CHANGES = 16_384;

/**
 * `encodeSnapshot` in slices of `slice` changes, yielding to the event loop (setImmediate)
 * between them, so that encoding a large state does not stall everything else (~0.4 s per
 * 240k changes in one piece). Encodes the first `s.changes.length` changes as of the call: the
 * caller may append to `s.changes` meanwhile, but must not replace or alter those entries (the
 * memory engine only ever appends to its change log, and compaction swaps in a new array).
 * The same bytes as `encodeSnapshot`.
 */
export async function encodeSnapshotInSlices(s: MemorySnapshot, slice = SNAPSHOT_SLICE_CHANGES): Promise<Buffer> {
  const changes = s.changes;
  const n = changes.length;
  const leases = [...s.leases];
  const yieldNow = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
  let estimate = 64 + leases.length * 12;
  for (let i = 0; i < n; i++) {
    const c = changes[i];
    estimate += 24 + (c.type === 'put' ? c.kv.key.length + c.kv.value.length + 16 : c.key.length);
  }
  const w = new Writer(estimate);
  w.u8(VERSION);
  w.uint(s.revision);
  w.uint(s.compactRevision);
  writeLeases(w, leases);
  w.uint(n);
  for (let from = 0; from < n; from += slice) {
    if (from > 0) await yieldNow();
    const to = Math.min(n, from + slice);
    for (let i = from; i < to; i++) writeChange(w, changes[i]);
  }
  return w.buf.subarray(0, w.pos);
}

/** Decodes a snapshot; `what` names it in errors (e.g. the file). */
export function decodeSnapshot(buf: Buffer, what = 'snapshot'): MemorySnapshot {
  const r = new Reader(buf, what);
  readVersion(r, what);
  const revision = r.uint();
  const compactRevision = r.uint();
  const leases = readLeases(r);
  const n = r.count();
  const changes: Change[] = new Array(n);
  for (let i = 0; i < n; i++) changes[i] = readChange(r);
  r.end();
  return { revision, compactRevision, leases, changes };
}
