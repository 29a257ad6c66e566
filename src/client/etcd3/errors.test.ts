import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { castGrpcError, castGrpcErrorMessage } from 'etcd3';
import { GrpcCode, StoreError } from '../types.ts';
import { toStoreError } from './errors.ts';
import { etcd3Options } from './options.ts';

/** A grpc-js failure as etcd3 receives it: an Error with the status code and grpc-js's message. */
const grpcFailure = (code: number, message: string): Error => Object.assign(new Error(message), { code });

describe('etcd3 errors as StoreError', () => {
  it("gives back the gRPC code etcd3's classes stand for, and the server's own message", () => {
    const cases: [Error, number, string][] = [
      [castGrpcError(grpcFailure(14, '14 UNAVAILABLE: No connection established')), GrpcCode.Unavailable, 'No connection established'],
      [castGrpcError(grpcFailure(4, '4 DEADLINE_EXCEEDED: Deadline exceeded')), GrpcCode.DeadlineExceeded, 'Deadline exceeded'],
      [castGrpcError(grpcFailure(11, '11 OUT_OF_RANGE: etcdserver: mvcc: required revision has been compacted')), GrpcCode.OutOfRange, 'etcdserver: mvcc: required revision has been compacted'],
      [castGrpcError(grpcFailure(3, '3 INVALID_ARGUMENT: etcdserver: too many operations in txn request')), GrpcCode.InvalidArgument, 'etcdserver: too many operations in txn request'],
      [castGrpcError(grpcFailure(3, '3 INVALID_ARGUMENT: etcdserver: authentication failed, invalid user ID or password')), GrpcCode.InvalidArgument, 'etcdserver: authentication failed, invalid user ID or password'],
      [castGrpcError(grpcFailure(7, '7 PERMISSION_DENIED: etcdserver: permission denied')), GrpcCode.PermissionDenied, 'etcdserver: permission denied'],
      [castGrpcErrorMessage('Watcher canceled: etcdserver: mvcc: required revision has been compacted'), GrpcCode.OutOfRange, 'etcdserver: mvcc: required revision has been compacted'],
    ];
    for (const [err, code, message] of cases) {
      const s = toStoreError(err);
      assert.ok(s instanceof StoreError);
      assert.deepEqual([s.codeName, s.message], [new StoreError(code, '').codeName, message], err.message);
      assert.equal(s.cause, err);
    }
  });

  it('leaves a StoreError alone and names anything else Unknown', () => {
    const s = new StoreError(GrpcCode.Aborted, 'x');
    assert.equal(toStoreError(s), s);
    assert.equal(toStoreError(new TypeError('boom')).codeName, 'Unknown');
    assert.equal(toStoreError('text').codeName, 'Unknown');
  });
});

describe('ConnectOptions as etcd3 options', () => {
  it('plaintext hosts get http://, TLS https:// with Buffers (also from cloned Uint8Arrays), auth as username', () => {
    assert.deepEqual(etcd3Options({ hosts: ['127.0.0.1:2379', 'h:1'] }), { hosts: ['http://127.0.0.1:2379', 'http://h:1'], dialTimeout: 5000 });
    const o = etcd3Options({ hosts: ['h:1'], tls: { ca: new Uint8Array([1, 2]) as Buffer }, auth: { user: 'root', password: 'pw' }, dialTimeoutMs: 100 });
    assert.deepEqual(o.hosts, ['https://h:1']);
    assert.ok(Buffer.isBuffer(o.credentials?.rootCertificate));
    assert.equal(o.credentials?.certChain, undefined);
    assert.deepEqual(o.auth, { username: 'root', password: 'pw' });
    assert.equal(o.dialTimeout, 100);
    assert.equal(etcd3Options({ hosts: ['h:1'], tls: {} }).credentials?.rootCertificate, null, 'no CA: the system roots');
  });
});
