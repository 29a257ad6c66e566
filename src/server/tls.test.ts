/**
 * `metabench serve --cert-file --key-file [--trusted-ca-file]` on every transport, with
 * Debian's etcdctl (Go clientv3) as the client: TLS with ALPN h2, client certificates required
 * when a CA is given, plaintext refused; and the flag checks at the edge.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import { parseServeOptions } from '../commands/serve.ts';
import { haveOpenssl, makeTestCerts, type TestCerts } from '../testing/tls-certs.ts';
import { spawnServe, type ServerChild } from './processes.ts';
import { tempDir } from './test-support.ts';

async function ctl(args: string[]): Promise<{ exitCode: number | undefined; stdout: string; stderr: string }> {
  const r = await execa('etcdctl', ['--dial-timeout=3s', '--command-timeout=5s', ...args], { env: { ETCDCTL_API: '3' }, reject: false, timeout: 30_000, forceKillAfterDelay: 2000 });
  return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr };
}

describe('serve over TLS', { skip: haveOpenssl() ? false : 'openssl not on PATH' }, () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let certs: TestCerts;
  before(async () => {
    dir = await tempDir('serve-tls');
    certs = await makeTestCerts(dir.path);
  });
  after(async () => {
    await dir?.remove();
  });

  for (const transport of ['raw', 'h2', 'grpc-js']) {
    describe(`transport ${transport}`, () => {
      let server: ServerChild;
      before(async () => {
        server = await spawnServe({
          engine: 'memory',
          dataDir: join(dir.path, `data-${transport}`),
          args: ['--sync', 'none', '--cert-file', certs.serverCert, '--key-file', certs.serverKey, '--trusted-ca-file', certs.ca],
          env: { METABENCH_SERVE_TRANSPORT: transport },
        });
      });
      after(async () => {
        const status = await server?.stop();
        assert.deepEqual(status, { exitCode: 0, signal: undefined }, server?.stderr());
      });

      it('etcdctl with the CA and a client certificate puts and gets', async () => {
        const tls = [`--endpoints=https://${server.address}`, `--cacert=${certs.ca}`, `--cert=${certs.clientCert}`, `--key=${certs.clientKey}`];
        const put = await ctl([...tls, 'put', '/tls/a', 'secret']);
        assert.equal(put.exitCode, 0, put.stderr);
        const get = await ctl([...tls, 'get', '/tls/a']);
        assert.equal(get.stdout, '/tls/a\nsecret');
      });

      it('is refused without a client certificate, and to a plaintext client', async () => {
        const noCert = await ctl([`--endpoints=https://${server.address}`, `--cacert=${certs.ca}`, 'get', '/tls/a']);
        assert.notEqual(noCert.exitCode, 0, 'no client certificate');
        const plain = await ctl([`--endpoints=http://${server.address}`, 'get', '/tls/a']);
        assert.notEqual(plain.exitCode, 0, 'plaintext');
      });
    });
  }

  it('checks the flags at the edge: cert and key together, a CA only with them', () => {
    const base = { engine: 'memory', dataDir: '/tmp/x', listen: '127.0.0.1:0', sync: 'always', snapshotCount: '10', commitOverlap: 'always' };
    assert.throws(() => parseServeOptions({ ...base, certFile: 'c.pem' }), /--cert-file and --key-file go together, got only --cert-file 'c.pem'/);
    assert.throws(() => parseServeOptions({ ...base, trustedCaFile: 'ca.pem' }), /--trusted-ca-file needs --cert-file and --key-file/);
    assert.deepEqual(parseServeOptions({ ...base, certFile: 'c.pem', keyFile: 'k.pem' }).tls, { certFile: 'c.pem', keyFile: 'k.pem' });
  });
});
