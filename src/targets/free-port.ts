/** Free loopback TCP ports, found by letting the kernel pick one and releasing it. */
import { createServer } from 'node:net';

/**
 * Returns a port that was free on 127.0.0.1 a moment ago. Another process may take it before the
 * caller binds it; starters that use it retry with fresh ports when the server reports it busy.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const addr = srv.address();
      if (addr === null || typeof addr === 'string') {
        srv.close();
        reject(new Error('free port: the kernel returned no TCP address'));
        return;
      }
      srv.close((err) => (err ? reject(err) : resolve(addr.port)));
    });
  });
}
