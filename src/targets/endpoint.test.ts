// The endpoint target over TLS with client certificates (etcd started with its own CA, reached
// with --cacert/--cert/--key) and with user/password auth (etcd with auth enabled, --user).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { execa } from 'execa';
import { UsageError } from '../errors.ts';
import { resolveRunOptions } from '../commands/run-options.ts';
import { connectEndpoint } from './endpoint.ts';
import { startEtcd } from './etcd.ts';
import { which } from './which.ts';
import type { StartedTarget } from './types.ts';
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

describe('endpoint target with user/password', { skip: !findEtcd() ? 'etcd not installed' : !which('etcdctl') ? 'etcdctl not installed' : false }, () => {
  let tmp: ReturnType<typeof tempDir>;
  let etcd: StartedTarget;
  const opts = (readyTimeoutMs: number): StartOptions => ({ keepData: false, tmpRoot: tmp.dir, signal: new AbortController().signal, log: () => undefined, readyTimeoutMs });

  before(async () => {
    tmp = tempDir('auth');
    etcd = await startEtcd('etcd', opts(20_000));
    const ctl = (...args: string[]) => execa('etcdctl', ['--endpoints', etcd.server!.address, ...args]);
    await ctl('user', 'add', 'root', '--new-user-password', 's3cret');
    await ctl('auth', 'enable');
  });
  after(async () => {
    await etcd?.stop();
    tmp?.remove();
  });

  it('connects with the right password', async () => {
    const target = await connectEndpoint('endpoint', { endpoints: [etcd.server!.address], auth: { user: 'root', password: 's3cret' } }, opts(10_000));
    assert.match(target.server?.version ?? '', /^3\./);
  });

  it('is refused at once with a wrong password or user, naming the reason', async () => {
    // A long readiness deadline: refusals must not wait for it.
    await assert.rejects(connectEndpoint('endpoint', { endpoints: [etcd.server!.address], auth: { user: 'root', password: 'wrong' } }, opts(600_000)), /: refused: .*authentication failed/);
    await assert.rejects(connectEndpoint('endpoint', { endpoints: [etcd.server!.address], auth: { user: 'nobody', password: 'x' } }, opts(600_000)), /: refused: /);
  });

  it('metabench run refuses wrong credentials as bad usage, in one line', async () => {
    const flags = { profile: 'quick', results: join(tmp.dir, 'results'), endpoints: etcd.server!.address, user: 'root:wrong' };
    await assert.rejects(resolveRunOptions(flags), (err: Error) => {
      assert.ok(err instanceof UsageError);
      assert.match(err.message, /^--user: 127\.0\.0\.1:\d+ refused user 'root': .*authentication failed/);
      return true;
    });
    const ok = await resolveRunOptions({ ...flags, user: 'root:s3cret', scenarios: 'large-scale-load' });
    assert.deepEqual(ok.targets, [{ name: 'endpoint', kind: 'endpoint', endpoints: [etcd.server!.address], auth: { user: 'root', password: 's3cret' } }]);
  });
});
