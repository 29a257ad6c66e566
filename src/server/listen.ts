/**
 * The `--listen HOST:PORT` address: parsed once at the edge, with the loopback check that
 * decides whether `metabench serve` warns (it has no authentication and no TLS).
 */
import { isIP } from 'node:net';

/** A parsed listen address. `port` 0 asks the OS for a free port. */
export interface ListenAddress {
  host: string;
  port: number;
}

/** Default client address, as etcd's (but loopback only). */
export const DEFAULT_LISTEN = '127.0.0.1:2379';

/**
 * Parses `HOST:PORT` (`[v6]:PORT` for IPv6 literals). Returns an error message naming the bad
 * value and the expected shape instead of throwing, so the caller decides how to report it.
 */
export function parseListen(text: string): ListenAddress | string {
  const expected = `--listen: expected HOST:PORT (e.g. ${DEFAULT_LISTEN}, port 0 for any free port), got '${text}'`;
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^\s:[\]/]+)):(\d{1,5})$/.exec(text);
  if (!m) return expected;
  const host = m[1] ?? m[2];
  const port = Number(m[3]);
  if (port > 65535) return `--listen: port must be 0-65535, got ${port} in '${text}'`;
  if (m[1] !== undefined && isIP(host) !== 6) return expected;
  return { host, port };
}

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1 and `localhost`. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

/** `host:port` as a URL authority (IPv6 literals in brackets). */
export function formatAddress(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}
