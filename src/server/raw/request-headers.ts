/**
 * A request's header block as the call reads it (`CallHeaders`): HPACK-decoded with the
 * connection's decoder, or taken from the connection's cache of static-only blocks
 * (`header-cache.ts`), the way metabench's native client sends every request.
 */
import { HpackDecoder } from '../../h2/hpack.ts';
import type { CallHeaders } from '../h2-call.ts';
import { HeaderCache } from './header-cache.ts';

/** What a block decoded to: headers, or 'too-large' past SETTINGS_MAX_HEADER_LIST_SIZE. */
export type RequestHeaders = CallHeaders | 'too-large';

/** One connection's request header reader. */
export class RequestHeaderReader {
  private readonly hpack: HpackDecoder;
  private readonly cache = new HeaderCache();

  /** @param maxHeaderListBytes a decoded list larger than this is 'too-large', bytes. */
  constructor(maxHeaderListBytes: number) {
    this.hpack = new HpackDecoder({ maxHeaderListBytes });
  }

  /**
   * Decodes `block`. Every block must be read, the ones of refused streams too: the HPACK table
   * is shared by all of them (a cached block is static-only, so skipping it changes nothing).
   * Repeated names become arrays, as node:http2 gives them.
   */
  read(block: Buffer): RequestHeaders {
    const cached = this.cache.get(block);
    if (cached !== undefined) return cached;
    const list = this.hpack.decode(block);
    if (list.truncated) return 'too-large';
    const h: CallHeaders = {};
    const f = list.fields;
    for (let i = 0; i < f.length; i += 2) {
      const prev = h[f[i]];
      h[f[i]] = prev === undefined ? f[i + 1] : Array.isArray(prev) ? [...prev, f[i + 1]] : [prev, f[i + 1]];
    }
    this.cache.put(block, h);
    return h;
  }
}
