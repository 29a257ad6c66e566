/**
 * Malformed requests never crash serve's decoders nor read out of bounds: each throws a
 * ProtoDecodeError saying what was wrong and where, for hand-made cases and for every truncation
 * and random corruption of valid requests. A deeply nested txn ends in an error, not a crash.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { pbEncode } from '../../client/native/codec/protobufjs.test-support.ts';
import { ProtoDecodeError } from '../../proto-wire/reader.ts';
import { decodeCompactionRequest, decodeDeleteRangeRequest, decodePutRequest, decodeRangeRequest, decodeTxnRequest } from './kv-requests.ts';

const DECODERS = [decodeRangeRequest, decodePutRequest, decodeDeleteRangeRequest, decodeTxnRequest, decodeCompactionRequest];

/** Runs `f`; passes when it returns or throws a ProtoDecodeError, fails on anything else. */
function decodesOrRefuses(f: () => unknown): void {
  try {
    f();
  } catch (err) {
    if (!(err instanceof ProtoDecodeError)) throw err;
  }
}

const txn = pbEncode('TxnRequest', {
  compare: [{ key: Buffer.from('k'), target: 3, value: Buffer.alloc(200, 1), rangeEnd: Buffer.from('z') }],
  success: [{ requestPut: { key: Buffer.from('k'), value: Buffer.from('v'), lease: -5 } }, { requestTxn: { success: [{ requestRange: { key: Buffer.from('a'), limit: 3 } }] } }],
  failure: [{ requestDeleteRange: { key: Buffer.from('d'), prevKv: true } }],
});

describe('malformed requests', () => {
  it('a truncated varint, a length past the end, inside a nested op too', () => {
    assert.throws(() => decodePutRequest(Buffer.from([0x18, 0x80, 0x80])), { name: 'ProtoDecodeError', message: 'protobuf: truncated varint at byte 3 of 3' });
    assert.throws(() => decodePutRequest(Buffer.from([0x0a, 0x05, 0x6b])), /length 5 past the end at byte 2 of 3/);
    // TxnRequest{success: RequestOp{request_put: length 9 in a RequestOp of 2 bytes}}, then more bytes.
    assert.throws(() => decodeTxnRequest(Buffer.from([0x12, 0x02, 0x12, 0x09, 0, 0, 0, 0, 0, 0, 0, 0, 0])), /length 9 past the end at byte 4 of 4/);
  });

  it('wire types 6 and 7, a stray end-group, a fixed field past the end', () => {
    assert.throws(() => decodeRangeRequest(Buffer.from([0x0e])), /wire type 6/);
    assert.throws(() => decodeRangeRequest(Buffer.from([0x0f])), /wire type 7/);
    assert.throws(() => decodeCompactionRequest(Buffer.from([0x0c])), /wire type 4/);
    assert.throws(() => decodeDeleteRangeRequest(Buffer.from([0x09, 1, 2])), /fixed field of 8 bytes past the end/);
  });

  it('every truncation of a valid txn decodes or refuses, with every decoder', () => {
    for (let n = 0; n < txn.length; n++) for (const d of DECODERS) decodesOrRefuses(() => d(txn.subarray(0, n)));
  });

  it('random bytes and random corruption (fast-check) decode or refuse', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat(txn.length - 1), fc.integer({ min: 0, max: 255 }), (junk, at, byte) => {
        const corrupt = Buffer.from(txn);
        corrupt[at] = byte;
        for (const d of DECODERS) {
          decodesOrRefuses(() => d(Buffer.from(junk)));
          decodesOrRefuses(() => d(corrupt));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a txn nested 100,000 deep throws (stack exhausted) instead of crashing the process', () => {
    // TxnRequest{success: RequestOp{request_txn: TxnRequest{success: RequestOp{…}}}}: every
    // level is a prefix (tag, length), so sizes are summed inside out, prefixes written outside in.
    const depth = 100_000;
    const prefixes: number[][] = [];
    let size = 0; // the innermost RequestOp is empty
    for (let i = 0; i < depth; i++) {
      const op = [0x12, ...lenBytes(size)]; // TxnRequest.success = that op
      size += op.length;
      const txnField = [0x22, ...lenBytes(size)]; // RequestOp.request_txn = that txn
      size += txnField.length;
      prefixes.push(op, txnField);
    }
    const bytes = Buffer.from(prefixes.reverse().flat());
    assert.throws(() => decodeTxnRequest(Buffer.concat([Buffer.from([0x12, ...lenBytes(bytes.length)]), bytes])), RangeError);
  });
});

function lenBytes(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}
