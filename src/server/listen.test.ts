import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatAddress, isLoopback, parseListen } from './listen.ts';

describe('--listen', () => {
  it('parses HOST:PORT and [v6]:PORT', () => {
    assert.deepEqual(parseListen('127.0.0.1:2379'), { host: '127.0.0.1', port: 2379 });
    assert.deepEqual(parseListen('localhost:0'), { host: 'localhost', port: 0 });
    assert.deepEqual(parseListen('[::1]:2379'), { host: '::1', port: 2379 });
    assert.deepEqual(parseListen('0.0.0.0:65535'), { host: '0.0.0.0', port: 65535 });
  });

  it('explains what is wrong with a bad address', () => {
    for (const bad of ['', '2379', '127.0.0.1', '127.0.0.1:', ':2379', 'http://127.0.0.1:2379', '127.0.0.1:abc', '[nope]:1', '::1:2379']) {
      const r = parseListen(bad);
      assert.equal(typeof r, 'string', bad);
      assert.match(r as string, /^--listen: expected HOST:PORT/, bad);
    }
    assert.match(parseListen('127.0.0.1:70000') as string, /port must be 0-65535, got 70000/);
  });

  it('knows loopback from reachable addresses', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', '::1', 'localhost', 'LOCALHOST']) assert.equal(isLoopback(h), true, h);
    for (const h of ['0.0.0.0', '10.0.0.1', '::', 'example.com', '128.0.0.1']) assert.equal(isLoopback(h), false, h);
  });

  it('brackets IPv6 literals', () => {
    assert.equal(formatAddress('::1', 5), '[::1]:5');
    assert.equal(formatAddress('127.0.0.1', 5), '127.0.0.1:5');
  });
});
