/**
 * gRPC message framing read back from DATA cut anywhere, compressed messages with and without
 * grpc-encoding, the size limit; and the status helpers (HTTP status map, percent-decoding,
 * grpc-timeout units).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { GrpcCode, type StoreError } from '../../types.ts';
import { codeForHttpStatus, encodeGrpcTimeout, percentDecode } from './grpc-status.ts';
import { MessageReader } from './message-reader.ts';
import { grpcFrame } from './test-peer.ts';

function read(chunks: Buffer[], encoding?: string, max?: number): string[] {
  const got: string[] = [];
  const r = new MessageReader({ onGrpcMessage: (m) => got.push(m.toString()) }, '/svc/M', max);
  r.encoding = encoding;
  for (const c of chunks) r.push(c);
  assert.equal(r.partial, false);
  return got;
}

describe('MessageReader', () => {
  const stream = Buffer.concat([grpcFrame(Buffer.from('first')), grpcFrame(Buffer.alloc(0)), grpcFrame(Buffer.from('x'.repeat(300)))]);
  const expected = ['first', '', 'x'.repeat(300)];

  it('reads messages whole or cut at every octet boundary', () => {
    assert.deepEqual(read([stream]), expected);
    for (const step of [1, 2, 3, 4, 5, 6, 7, 11, 64]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < stream.length; i += step) chunks.push(stream.subarray(i, i + step));
      assert.deepEqual(read(chunks), expected, `step ${step}`);
    }
  });

  it('inflates a gzip message when grpc-encoding is gzip, refuses it otherwise, bounds the size', () => {
    const z = grpcFrame(gzipSync(Buffer.from('zipped')), true);
    assert.deepEqual(read([z.subarray(0, 3), z.subarray(3)], 'gzip'), ['zipped']);
    assert.throws(() => read([z]), (e: StoreError) => e.code === GrpcCode.Internal && /compressed/.test(e.message));
    assert.throws(() => read([grpcFrame(Buffer.alloc(100))], undefined, 99), (e: StoreError) => e.code === GrpcCode.ResourceExhausted);
  });
});

describe('gRPC status helpers', () => {
  it('maps HTTP statuses as gRPC does', () => {
    assert.deepEqual([400, 401, 403, 404, 429, 502, 503, 504, 500].map(codeForHttpStatus), [
      GrpcCode.Internal, GrpcCode.Unauthenticated, GrpcCode.PermissionDenied, GrpcCode.Unimplemented,
      GrpcCode.Unavailable, GrpcCode.Unavailable, GrpcCode.Unavailable, GrpcCode.Unavailable, GrpcCode.Unknown,
    ]);
  });

  it('percent-decodes grpc-message as UTF-8, leaving malformed escapes', () => {
    assert.equal(percentDecode('etcdserver: request timed out'), 'etcdserver: request timed out');
    assert.equal(percentDecode('caf%C3%A9 100%25 %zz %4'), 'café 100% %zz %4');
  });

  it('encodes grpc-timeout with at most 8 digits', () => {
    assert.deepEqual([5000, 0.2, 99_999_999, 100_000_000, 1e13].map(encodeGrpcTimeout), ['5000m', '1m', '99999999m', '100000S', '2777778H']);
  });
});
