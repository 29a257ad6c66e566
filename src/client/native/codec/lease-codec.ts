/**
 * The Lease service's messages (etcd `rpc.proto`): LeaseGrant, LeaseRevoke, LeaseKeepAlive and
 * LeaseTimeToLive requests and responses. Lease ids and TTLs are int64 (seconds for TTLs).
 */
import type { LeaseTtlResult, ResponseHeader } from '../../types.ts';
import { NO_HEADER, readHeader } from './kv-decode.ts';
import { ProtoReader } from '../../../proto-wire/reader.ts';
import type { ProtoWriter } from '../../../proto-wire/writer.ts';

/** LeaseGrantRequest: `ttlSec` seconds; `id` 0 lets the server choose. */
export function encodeLeaseGrant(w: ProtoWriter, ttlSec: number, id = 0): Buffer {
  w.int64Field(1, ttlSec);
  w.int64Field(2, id);
  return w.finish();
}

/** LeaseRevokeRequest, LeaseKeepAliveRequest (both carry only ID = field 1). */
export function encodeLeaseId(w: ProtoWriter, id: number): Buffer {
  w.int64Field(1, id);
  return w.finish();
}

/** LeaseTimeToLiveRequest; `keys` asks for the keys attached to the lease. */
export function encodeLeaseTimeToLive(w: ProtoWriter, id: number, keys = false): Buffer {
  w.int64Field(1, id);
  w.boolField(2, keys);
  return w.finish();
}

/** A decoded LeaseGrantResponse or LeaseKeepAliveResponse (`error` only in the former). */
export interface LeaseResponseMsg {
  readonly header: ResponseHeader;
  readonly id: number;
  /** Seconds; in a keep-alive response, 0 or less means the lease is gone. */
  readonly ttlSec: number;
  /** LeaseGrantResponse.error ('' when none). */
  readonly error: string;
}

/** LeaseGrantResponse or LeaseKeepAliveResponse bytes (same field numbers 1-3). */
export function decodeLeaseResponse(b: Buffer): LeaseResponseMsg {
  const r = new ProtoReader(b);
  let header = NO_HEADER;
  let id = 0;
  let ttlSec = 0;
  let error = '';
  while (r.more()) {
    const tag = r.uint32();
    switch (tag) {
      case (1 << 3) | 2: header = readHeader(r.sub()); break;
      case (2 << 3) | 0: id = r.int64(); break;
      case (3 << 3) | 0: ttlSec = r.int64(); break;
      case (4 << 3) | 2: error = r.string(); break;
      default: r.skip(tag & 7, tag >>> 3);
    }
  }
  return { header, id, ttlSec, error };
}

/** LeaseTimeToLiveResponse bytes; keys are subarrays of `b`. */
export function decodeLeaseTimeToLive(b: Buffer): LeaseTtlResult & { readonly header: ResponseHeader } {
  const r = new ProtoReader(b);
  let header = NO_HEADER;
  let id = 0;
  let ttlSec = 0;
  let grantedTtlSec = 0;
  const keys: Buffer[] = [];
  while (r.more()) {
    const tag = r.uint32();
    switch (tag) {
      case (1 << 3) | 2: header = readHeader(r.sub()); break;
      case (2 << 3) | 0: id = r.int64(); break;
      case (3 << 3) | 0: ttlSec = r.int64(); break;
      case (4 << 3) | 0: grantedTtlSec = r.int64(); break;
      case (5 << 3) | 2: keys.push(r.bytes()); break;
      default: r.skip(tag & 7, tag >>> 3);
    }
  }
  return { header, id, ttlSec, grantedTtlSec, keys };
}
