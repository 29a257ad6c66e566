/**
 * HPACK: RFC 7541 Appendix C examples (Huffman, dynamic table, eviction), table size updates,
 * bad input as COMPRESSION_ERROR, the header list bound, and our stateless encoder read back.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCode } from './constants.ts';
import { H2Error } from './errors.ts';
import { encodeHeaderBlock, HpackDecoder } from './hpack.ts';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const pairs = (fields: string[]) => {
  const out: [string, string][] = [];
  for (let i = 0; i < fields.length; i += 2) out.push([fields[i]!, fields[i + 1]!]);
  return out;
};

describe('HpackDecoder', () => {
  it('decodes RFC 7541 C.4 (requests, Huffman) keeping the dynamic table across blocks', () => {
    const d = new HpackDecoder();
    assert.deepEqual(pairs(d.decode(hex('8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff')).fields), [
      [':method', 'GET'], [':scheme', 'http'], [':path', '/'], [':authority', 'www.example.com'],
    ]);
    assert.deepEqual(pairs(d.decode(hex('8286 84be 5886 a8eb 1064 9cbf')).fields), [
      [':method', 'GET'], [':scheme', 'http'], [':path', '/'], [':authority', 'www.example.com'], ['cache-control', 'no-cache'],
    ]);
    assert.deepEqual(pairs(d.decode(hex('8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf')).fields), [
      [':method', 'GET'], [':scheme', 'https'], [':path', '/index.html'], [':authority', 'www.example.com'], ['custom-key', 'custom-value'],
    ]);
  });

  it('decodes RFC 7541 C.6 (responses, Huffman, 256-octet table with eviction)', () => {
    const d = new HpackDecoder({ maxTableSize: 256 });
    const date1 = 'Mon, 21 Oct 2013 20:13:21 GMT';
    assert.deepEqual(pairs(d.decode(hex('4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3')).fields), [
      [':status', '302'], ['cache-control', 'private'], ['date', date1], ['location', 'https://www.example.com'],
    ]);
    assert.deepEqual(pairs(d.decode(hex('4883 640e ff c1 c0 bf')).fields), [
      [':status', '307'], ['cache-control', 'private'], ['date', date1], ['location', 'https://www.example.com'],
    ]);
    const third = d.decode(
      hex('88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07'),
    );
    assert.deepEqual(pairs(third.fields), [
      [':status', '200'], ['cache-control', 'private'], ['date', 'Mon, 21 Oct 2013 20:13:22 GMT'], ['location', 'https://www.example.com'],
      ['content-encoding', 'gzip'], ['set-cookie', 'foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1'],
    ]);
  });

  it('applies a table size update at the start of a block and refuses one later or above the setting', () => {
    const d = new HpackDecoder();
    d.decode(hex('4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf')); // custom-key: custom-value, indexed as 62
    assert.deepEqual(d.decode(hex('be')).fields, ['custom-key', 'custom-value']);
    assert.deepEqual(d.decode(hex('20 82')).fields, [':method', 'GET']); // size 0 evicts it
    assert.throws(() => d.decode(hex('be')), (e: H2Error) => e.code === ErrorCode.COMPRESSION_ERROR);
    assert.throws(() => new HpackDecoder().decode(hex('82 20')), (e: H2Error) => e.code === ErrorCode.COMPRESSION_ERROR && /after the first/.test(e.message));
    assert.throws(() => new HpackDecoder().decode(hex('3fe21f')), (e: H2Error) => e.code === ErrorCode.COMPRESSION_ERROR && /exceeds/.test(e.message));
  });

  it('reports garbage as COMPRESSION_ERROR connection errors', () => {
    for (const bad of ['80', 'ff', '40', '0085', '41ff', '418f']) {
      assert.throws(() => new HpackDecoder().decode(hex(bad)), (e: unknown) => e instanceof H2Error && e.code === ErrorCode.COMPRESSION_ERROR && e.streamId === 0, bad);
    }
  });

  it('bounds the header list: fields past the limit are dropped but still enter the table', () => {
    const d = new HpackDecoder({ maxHeaderListBytes: 150 });
    const big = encodeHeaderBlock([['a', 'x'.repeat(80)]]);
    const indexed = Buffer.concat([hex('4001 62'), Buffer.from([0x50]), Buffer.alloc(80, 0x79)]); // b: y*80, incremental
    const list = d.decode(Buffer.concat([big, indexed]));
    assert.equal(list.truncated, true);
    assert.deepEqual(list.fields, ['a', 'x'.repeat(80)]);
    assert.deepEqual(d.decode(hex('be')).fields, ['b', 'y'.repeat(80)]);
  });
});

describe('encodeHeaderBlock', () => {
  it('round-trips through the decoder: static hits, known names, new names, credentials, binary-safe latin1', () => {
    const fields: [string, string][] = [
      [':method', 'POST'], [':scheme', 'http'], [':path', '/etcdserverpb.KV/Put'], [':authority', '127.0.0.1:2379'],
      ['content-type', 'application/grpc'], ['te', 'trailers'], ['grpc-timeout', '5000m'], ['token', 'abc.def'], ['x-bin', '\u00ff\u0000\u0080'],
    ];
    const block = encodeHeaderBlock(fields);
    assert.equal(block[0], 0x83); // :method POST, static index 3
    assert.deepEqual(pairs(new HpackDecoder().decode(block).fields), fields);
  });
});
