/**
 * Request header blocks: encoded once per (method, timeout) and reused; metadata changes
 * re-encode; every block decodes to the gRPC request headers.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HpackDecoder } from '../../../h2/index.ts';
import { RequestHeaders, USER_AGENT } from './request-headers.ts';

const decode = (b: Buffer) => {
  const f = new HpackDecoder().decode(b).fields;
  const out: Record<string, string> = {};
  for (let i = 0; i < f.length; i += 2) out[f[i]!] = f[i + 1]!;
  return out;
};

describe('RequestHeaders', () => {
  it('reuses one block per method and timeout; metadata is added and removed for later calls', () => {
    const h = new RequestHeaders('https', 'etcd:2379');
    const a = h.block('/etcdserverpb.KV/Put', 5000);
    assert.equal(h.block('/etcdserverpb.KV/Put', 5000), a);
    assert.notEqual(h.block('/etcdserverpb.KV/Put', undefined), a);
    assert.deepEqual(decode(a), {
      ':method': 'POST', ':scheme': 'https', ':path': '/etcdserverpb.KV/Put', ':authority': 'etcd:2379',
      'content-type': 'application/grpc', te: 'trailers', 'user-agent': USER_AGENT, 'grpc-timeout': '5000m',
    });
    h.setMetadata('Token', 'secret');
    assert.equal(decode(h.block('/etcdserverpb.KV/Put', 5000)).token, 'secret');
    h.setMetadata('token', undefined);
    assert.equal(decode(h.block('/etcdserverpb.KV/Put', 5000)).token, undefined);
  });
});
