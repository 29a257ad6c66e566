// The endpoint target over TLS with client certificates: etcd started with its own CA, reached
// with --cacert/--cert/--key; without them the readiness check fails with the server's error.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { connectEndpoint } from './endpoint.ts';
import { etcdMemberArgs, findEtcd } from './etcd.ts';
import { freePort } from './free-port.ts';
import { spawnServer, type ServerProcess } from './server-process.ts';
import { haveOpenssl, makeTestCerts, type TestCerts } from '../testing/tls-certs.ts';
import { tempDir } from '../testing/run-fixtures.ts';
import type { StartOptions } from './types.ts';

const skip = !findEtcd() ? 'etcd not installed' : !haveOpenssl() ? 'openssl not installed' : false;

describe('endpoint target with TLS', { skip }, () => {
  let tmp: ReturnType<typeof tempDir>;
  let certs: TestCerts;
  let etcd: ServerProcess;
  let endpoint: string;
  const opts = (): StartOptions => ({ keepData: false, signal: new AbortController().signal, log: () => undefined, readyTimeoutMs: 20_000 });

  before(async () => {
    tmp = tempDir('tls');
    certs = await makeTestCerts(tmp.dir);
    const clientPort = await freePort();
    const peerPort = await freePort();
    endpoint = `127.0.0.1:${clientPort}`;
    const args = etcdMemberArgs({ name: 'tls', dataDir: join(tmp.dir, 'data'), clientPort, peerPort, initialCluster: `tls=http://127.0.0.1:${peerPort}`, logLevel: 'error' }).map((a) =>
      a === `http://127.0.0.1:${clientPort}` ? `https://127.0.0.1:${clientPort}` : a,
    );
    etcd = spawnServer(findEtcd()!, [...args, '--cert-file', certs.serverCert, '--key-file', certs.serverKey, '--trusted-ca-file', certs.ca, '--client-cert-auth'], { stopGraceMs: 3000 });
  });
  after(async () => {
    await etcd?.stop();
    tmp?.remove();
  });

  it('connects with --cacert/--cert/--key and reports the server version', async () => {
    const target = await connectEndpoint('endpoint', { endpoints: [endpoint], tls: { cacert: certs.ca, cert: certs.clientCert, key: certs.clientKey } }, opts());
    assert.equal(target.kind, 'endpoint');
    assert.match(target.server?.version ?? '', /^3\./);
    assert.equal(target.server?.pid, undefined);
    await target.stop();
  });

  it('fails its readiness check without a client certificate', async () => {
    await assert.rejects(connectEndpoint('endpoint', { endpoints: [endpoint], tls: { cacert: certs.ca } }, { ...opts(), readyTimeoutMs: 3000 }), /endpoint 127\.0\.0\.1:\d+: not ready after 3000 ms/);
  });
});
