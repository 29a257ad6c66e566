import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import { errCompacted, errEmptyKey, errLeaseNotFound, errStopped, errTooManyOps } from '../../engine/mvcc/errors.ts';
import { toGrpcError } from './grpc-errors.ts';

describe('store errors to gRPC statuses', () => {
  const none = () => assert.fail('an EtcdError is not logged');

  it('keeps etcd\'s messages and codes', () => {
    assert.deepEqual([toGrpcError(errEmptyKey(), none).code, toGrpcError(errEmptyKey(), none).details], [status.INVALID_ARGUMENT, 'etcdserver: key is not provided']);
    assert.equal(toGrpcError(errTooManyOps(), none).code, status.INVALID_ARGUMENT);
    assert.deepEqual([toGrpcError(errLeaseNotFound(), none).code, toGrpcError(errLeaseNotFound(), none).details], [status.NOT_FOUND, 'etcdserver: requested lease not found']);
    assert.equal(toGrpcError(errStopped(), none).code, status.UNAVAILABLE);
  });

  it('prefixes mvcc messages as etcd\'s gRPC layer does', () => {
    const e = toGrpcError(errCompacted(), none);
    assert.deepEqual([e.code, e.details], [status.OUT_OF_RANGE, 'etcdserver: mvcc: required revision has been compacted']);
  });

  it('answers anything else as INTERNAL and logs it', () => {
    const logged: string[] = [];
    const e = toGrpcError(new Error('disk on fire'), (m) => logged.push(m));
    assert.deepEqual([e.code, e.details], [status.INTERNAL, 'disk on fire']);
    assert.equal(logged.length, 1);
    assert.match(logged[0], /internal error: Error: disk on fire/);
  });
});
