/**
 * The node:http2 channel over TLS (ALPN h2) to an in-process server with a throw-away
 * self-signed certificate for 127.0.0.1 (made with `openssl`; skipped without it), the CA taken
 * from `ConnectOptions.tls`; and `openNativeClient` falling back to the next host.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import http2, { type Http2SecureServer } from 'node:http2';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { execa } from 'execa';
import { tempDir } from '../../server/test-support.ts';
import { GrpcCode, StoreError } from '../types.ts';
import { pbEncode } from './codec/protobufjs.test-support.ts';
import { grpcFrame } from './grpc-message.ts';
import { grpcTimeout, openNodeHttp2Channel } from './node-http2-channel.ts';
import { openNativeClient } from './index.ts';

const HAVE_OPENSSL = (await execa('openssl', ['version'], { reject: false })).exitCode === 0;

describe('node:http2 channel over TLS', { skip: !HAVE_OPENSSL }, () => {
  let server: Http2SecureServer;
  let ca: Buffer;
  let address: string;
  let dir: Awaited<ReturnType<typeof tempDir>>;

  before(async () => {
    dir = await tempDir('native-tls');
    const key = join(dir.path, 'key.pem');
    const cert = join(dir.path, 'cert.pem');
    await execa('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1']);
    ca = await readFile(cert);
    server = http2.createSecureServer({ key: await readFile(key), cert: ca });
    server.on('stream', (s) => {
      s.on('error', () => undefined);
      s.resume();
      s.on('end', () => {
        s.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
        s.on('wantTrailers', () => s.sendTrailers({ 'grpc-status': '0' }));
        s.end(grpcFrame(pbEncode('StatusResponse', { version: '3.4.23-tls', header: { revision: 5 } })));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((r) => server?.close(r));
    await dir?.remove();
  });

  it('a call over TLS with the CA given', async () => {
    const client = await openNativeClient({ hosts: [address], tls: { ca } });
    try {
      assert.equal((await client.status()).version, '3.4.23-tls');
    } finally {
      await client.close();
    }
  });

  it('an untrusted certificate fails the connection', async () => {
    await assert.rejects(openNodeHttp2Channel({ hosts: [address], tls: {}, dialTimeoutMs: 5000 }), (e: unknown) => e instanceof StoreError && e.code === GrpcCode.Unavailable && /self[- ]signed/i.test(e.message));
  });

  it('openNativeClient falls back to the next host when the first cannot be reached', async () => {
    const client = await openNativeClient({ hosts: ['127.0.0.1:1', address], tls: { ca }, dialTimeoutMs: 5000 });
    try {
      assert.equal((await client.status()).header.revision, 5);
    } finally {
      await client.close();
    }
  });
});

describe('grpc-timeout', () => {
  it('milliseconds up to 8 digits, then seconds', () => {
    assert.deepEqual([grpcTimeout(0.2), grpcTimeout(1500), grpcTimeout(99_999_999), grpcTimeout(100_000_000)], ['1m', '1500m', '99999999m', '100000S']);
  });
});
