/**
 * Opening the socket of a connection: TCP (h2c with prior knowledge, as etcd's clients do) or
 * TLS with ALPN `h2`, to `host:port`, with Nagle off.
 */
import { connect as tcpConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { ConnectOptions } from '../../types.ts';

/** A parsed `host:port`. */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/**
 * Parses `host:port`, `[v6]:port` (a leading `http://`/`https://` is tolerated). Throws an
 * Error naming the bad value.
 */
export function parseHostPort(address: string): HostPort {
  const s = address.replace(/^https?:\/\//, '').replace(/\/$/, '');
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(s) ?? /^([^:]+):(\d+)$/.exec(s);
  const port = m ? Number(m[2]) : NaN;
  if (!m || !(port > 0 && port < 65536)) throw new Error(`bad address ${JSON.stringify(address)}: expected host:port`);
  return { host: m[1]!, port };
}

/** `host:port` as `:authority` (IPv6 in brackets). */
export function authorityOf(hp: HostPort): string {
  return isIP(hp.host) === 6 ? `[${hp.host}]:${hp.port}` : `${hp.host}:${hp.port}`;
}

/**
 * Connects and resolves with the socket once TCP (and TLS with `h2` negotiated) is up.
 * Rejects with the socket's error, or an Error when the server did not select `h2`. The
 * caller owns the timeout: destroying the returned socket's attempt is done via `abort`.
 */
export function dialSocket(hp: HostPort, tls: ConnectOptions['tls'], abort: AbortSignal): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    let socket: Socket | TLSSocket;
    const onAbort = () => {
      socket.destroy();
      reject(abort.reason instanceof Error ? abort.reason : new Error('connect aborted'));
    };
    const done = (err?: Error) => {
      abort.removeEventListener('abort', onAbort);
      socket.removeListener('error', done);
      if (err) {
        socket.destroy();
        reject(err);
        return;
      }
      socket.setNoDelay(true);
      resolve(socket);
    };
    if (tls) {
      const t = tlsConnect({
        host: hp.host,
        port: hp.port,
        ca: tls.ca,
        cert: tls.cert,
        key: tls.key,
        ALPNProtocols: ['h2'],
        servername: isIP(hp.host) ? undefined : hp.host,
      });
      socket = t;
      t.once('secureConnect', () => done(t.alpnProtocol === 'h2' ? undefined : new Error(`TLS server did not negotiate h2 via ALPN (got ${t.alpnProtocol || 'none'})`)));
    } else {
      socket = tcpConnect({ host: hp.host, port: hp.port });
      socket.once('connect', () => done());
    }
    socket.once('error', done);
    if (abort.aborted) onAbort();
    else abort.addEventListener('abort', onAbort, { once: true });
  });
}
