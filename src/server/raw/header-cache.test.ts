/**
 * Only header blocks that cannot touch HPACK's dynamic table are reused undecoded: the native
 * client's stateless blocks are; incremental indexing, dynamic references, size updates and
 * blocks cut short are not.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeHeaderBlock } from '../../h2/hpack.ts';
import { HeaderCache, isStaticOnly } from './header-cache.ts';

describe('header cache', () => {
  const stateless = encodeHeaderBlock([
    [':method', 'POST'],
    [':scheme', 'http'],
    [':path', '/etcdserverpb.KV/Put'],
    [':authority', '127.0.0.1:2379'],
    ['content-type', 'application/grpc'],
    ['te', 'trailers'],
    ['grpc-timeout', '10000m'],
  ]);

  it('takes stateless blocks and refuses the ones that use or change the dynamic table', () => {
    assert.equal(isStaticOnly(stateless), true);
    // Literal with incremental indexing, new name "a", value "b".
    assert.equal(isStaticOnly(Buffer.from([0x40, 0x01, 0x61, 0x01, 0x62])), false);
    // Indexed field 62: the first dynamic entry.
    assert.equal(isStaticOnly(Buffer.concat([stateless, Buffer.from([0xbe])])), false);
    // A table size update to 0.
    assert.equal(isStaticOnly(Buffer.concat([Buffer.from([0x20]), stateless])), false);
    // Cut short inside a literal.
    assert.equal(isStaticOnly(stateless.subarray(0, stateless.length - 1)), false);
    // Literal without indexing whose name is dynamic entry 62 (4-bit prefix: 0x0f then 47).
    assert.equal(isStaticOnly(Buffer.from([0x0f, 0x2f, 0x01, 0x61])), false);
  });

  it('returns what was stored for the same bytes only', () => {
    const cache = new HeaderCache();
    const headers = { ':path': '/etcdserverpb.KV/Put' };
    cache.put(stateless, headers);
    assert.equal(cache.get(Buffer.from(stateless)), headers);
    assert.equal(cache.get(Buffer.concat([stateless, Buffer.from([0x82])])), undefined);
    cache.put(Buffer.from([0x40, 0x01, 0x61, 0x01, 0x62]), { a: 'b' });
    assert.equal(cache.get(Buffer.from([0x40, 0x01, 0x61, 0x01, 0x62])), undefined);
  });
});
