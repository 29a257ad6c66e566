/**
 * Malformed input never reads out of bounds: every decoder throws a ProtoDecodeError that says
 * what was wrong and where (truncated varint, length past the end, bad wire type, a varint of
 * eleven bytes), for hand-made cases and for every truncation and random corruption of valid
 * responses.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ProtoDecodeError, ProtoReader, decodeDelete, decodeLeaseResponse, decodeLeaseTimeToLive, decodePut, decodeRange, decodeStatus, decodeTxn, decodeWatchResponse } from './index.ts';
import { pbEncode } from './protobufjs.test-support.ts';

const DECODERS = [decodeRange, decodePut, decodeDelete, decodeTxn, decodeWatchResponse, decodeLeaseResponse, decodeLeaseTimeToLive, decodeStatus];

/** Runs `f`; passes when it returns or throws a ProtoDecodeError, fails on anything else. */
function decodesOrRefuses(f: () => unknown): void {
  try {
    f();
  } catch (err) {
    if (!(err instanceof ProtoDecodeError)) throw err;
  }
}

describe('malformed protobuf', () => {
  it('a truncated varint', () => {
    assert.throws(() => decodeRange(Buffer.from([0x20, 0x80, 0x80])), { name: 'ProtoDecodeError', message: 'protobuf: truncated varint at byte 3 of 3' });
  });

  it('a length past the end, top level and inside a submessage', () => {
    assert.throws(() => decodeRange(Buffer.from([0x12, 0x05, 0x0a])), /length 5 past the end at byte 2 of 3/);
    // RangeResponse{kvs: KeyValue{key: length 9 in a submessage of 2 bytes}} plus bytes after it.
    assert.throws(() => decodeRange(Buffer.from([0x12, 0x02, 0x0a, 0x09, 0, 0, 0, 0, 0, 0, 0, 0, 0])), /length 9 past the end at byte 4 of 4/);
  });

  it('wire types 6 and 7, a stray end-group, an unterminated group', () => {
    assert.throws(() => decodePut(Buffer.from([0x0e])), /wire type 6/);
    assert.throws(() => decodePut(Buffer.from([0x0f])), /wire type 7/);
    assert.throws(() => decodePut(Buffer.from([0x0c])), /wire type 4/);
    assert.throws(() => decodePut(Buffer.from([0x0b, 0x08, 0x01])), /unterminated group 1/);
    assert.throws(() => decodePut(Buffer.from([0x0b, 0x14])), /group 1 ended by field 2/);
  });

  it('a fixed field past the end', () => {
    assert.throws(() => decodePut(Buffer.from([0x09, 1, 2, 3])), /fixed field of 8 bytes past the end/);
    assert.throws(() => decodePut(Buffer.from([0x0d, 1, 2, 3])), /fixed field of 4 bytes past the end/);
  });

  it('a varint of eleven bytes', () => {
    assert.throws(() => new ProtoReader(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])).int64(), /varint longer than 10 bytes/);
  });

  it('int64 edge values: -1, -2^53+1, 2^53-1, and a uint64 id above 2^63', () => {
    const r = (hex: string) => new ProtoReader(Buffer.from(hex, 'hex'));
    assert.equal(r('ffffffffffffffffff01').int64(), -1);
    assert.equal(r('81808080808080f0ff01').int64(), -(2 ** 53 - 1));
    assert.equal(r('ffffffffffffff0f').int64(), 2 ** 53 - 1);
    assert.equal(r('ffffffffffffffffff01').uint64String(), '18446744073709551615');
  });

  it('every truncation of valid responses decodes or refuses, never reads past the end', () => {
    const samples = [
      pbEncode('RangeResponse', { header: { revision: 7, clusterId: '18446744073709551615' }, kvs: [{ key: Buffer.from('k'), value: Buffer.alloc(300, 1), lease: -5 }], count: 1 }),
      pbEncode('TxnResponse', { succeeded: true, responses: [{ responseRange: { kvs: [{ key: Buffer.from('a') }] } }, { responsePut: { prevKv: { key: Buffer.from('b') } } }] }),
      pbEncode('WatchResponse', { watchId: 3, events: [{ type: 1, kv: { key: Buffer.from('w'), modRevision: 9 }, prevKv: { key: Buffer.from('w') } }], cancelReason: 'x' }),
    ];
    for (const s of samples) for (let n = 0; n < s.length; n++) for (const d of DECODERS) decodesOrRefuses(() => d(s.subarray(0, n)));
  });

  it('random bytes and random corruption (fast-check) decode or refuse', () => {
    const valid = pbEncode('TxnResponse', { header: { revision: 2 }, succeeded: true, responses: [{ responseDeleteRange: { deleted: 2, prevKvs: [{ key: Buffer.from('x'), value: Buffer.from('y') }] } }] });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 }), (junk, at, byte) => {
        const corrupt = Buffer.from(valid);
        corrupt[at] = byte;
        for (const d of DECODERS) {
          decodesOrRefuses(() => d(Buffer.from(junk)));
          decodesOrRefuses(() => d(corrupt));
        }
      }),
      { numRuns: 500 },
    );
  });
});
