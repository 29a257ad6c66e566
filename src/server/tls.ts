/**
 * TLS for `metabench serve`, with etcd's flag names: `--cert-file` and `--key-file` serve TLS
 * (ALPN h2), `--trusted-ca-file` also asks every client for a certificate signed by that CA
 * (etcd's `--client-cert-auth` follows from it here). Files are read once at start-up.
 */
import { readFileSync } from 'node:fs';

/** Paths as given on the command line. */
export interface TlsPaths {
  certFile: string;
  keyFile: string;
  /** When given, clients must present a certificate this CA signed. */
  trustedCaFile?: string;
}

/** The PEM contents. */
export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
  ca?: Buffer;
}

/** Reads the files; the error names the flag and the path that could not be read. */
export function readTlsFiles(paths: TlsPaths): TlsFiles {
  const read = (flag: string, path: string): Buffer => {
    try {
      return readFileSync(path);
    } catch (err) {
      throw new Error(`serve: ${flag} ${path}: ${(err as Error).message}`, { cause: err });
    }
  };
  return {
    cert: read('--cert-file', paths.certFile),
    key: read('--key-file', paths.keyFile),
    ca: paths.trustedCaFile !== undefined ? read('--trusted-ca-file', paths.trustedCaFile) : undefined,
  };
}
