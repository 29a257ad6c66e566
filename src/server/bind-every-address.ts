/**
 * Binding a listen address the way grpc-js does, shared by serve's transports: an IP address is
 * bound as given; a host name on every address it resolves to (`localhost`: 127.0.0.1 and ::1),
 * all on the port the first bind got (so port 0 picks one free port for all of them).
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/**
 * Calls `listenOn(address, port)` for each address of `host` and resolves with the bound port;
 * rejects with the first address's error only when no address could be bound.
 */
export async function bindEveryAddress(host: string, port: number, listenOn: (address: string, port: number) => Promise<number>): Promise<number> {
  const addresses = isIP(host) !== 0 ? [host] : [...new Set((await lookup(host, { all: true })).map((a) => a.address))];
  let bound = port;
  let listening = 0;
  let firstError: Error | undefined;
  for (const address of addresses) {
    try {
      bound = await listenOn(address, bound);
      listening++;
    } catch (err) {
      firstError ??= err as Error;
    }
  }
  if (listening === 0) throw firstError ?? new Error(`no address for ${host}`);
  return bound;
}
