/**
 * Throwaway TLS material for tests of the `endpoint` target: a CA, a server certificate for
 * 127.0.0.1 and a client certificate, made with the openssl command line.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { which } from '../targets/which.ts';

/** Paths of the generated PEM files. */
export interface TestCerts {
  readonly ca: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
}

/** True when openssl is on PATH. */
export function haveOpenssl(): boolean {
  return which('openssl') !== undefined;
}

/** Writes a CA, a server cert (SAN IP 127.0.0.1) and a client cert into `dir`. */
export async function makeTestCerts(dir: string): Promise<TestCerts> {
  const p = (name: string) => join(dir, name);
  const ssl = (args: string[]) => execa('openssl', args, { cwd: dir });
  await ssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', p('ca.key'), '-out', p('ca.pem'), '-days', '1', '-subj', '/CN=metabench-test-ca']);
  writeFileSync(p('server.ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n');
  writeFileSync(p('client.ext'), 'extendedKeyUsage=clientAuth\n');
  for (const who of ['server', 'client']) {
    await ssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', p(`${who}.key`), '-out', p(`${who}.csr`), '-subj', `/CN=metabench-test-${who}`]);
    await ssl(['x509', '-req', '-in', p(`${who}.csr`), '-CA', p('ca.pem'), '-CAkey', p('ca.key'), '-CAcreateserial', '-out', p(`${who}.pem`), '-days', '1', '-extfile', p(`${who}.ext`)]);
  }
  return { ca: p('ca.pem'), serverCert: p('server.pem'), serverKey: p('server.key'), clientCert: p('client.pem'), clientKey: p('client.key') };
}
