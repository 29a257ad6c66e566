/**
 * Maintenance and Auth messages (etcd `rpc.proto`): StatusRequest and DefragmentRequest (both
 * empty), StatusResponse, AuthenticateRequest and AuthenticateResponse.
 */
import type { StatusResult } from '../../types.ts';
import { NO_HEADER, readHeader } from './kv-decode.ts';
import { ProtoReader } from '../../../proto-wire/reader.ts';
import type { ProtoWriter } from '../../../proto-wire/writer.ts';

/** StatusRequest and DefragmentRequest: no fields, zero bytes. */
export const EMPTY_REQUEST: Buffer = Buffer.alloc(0);

/** StatusResponse bytes → StatusResult (`leader` as a decimal string: a uint64 member id). */
export function decodeStatus(b: Buffer): StatusResult {
  const r = new ProtoReader(b);
  let header = NO_HEADER;
  let version = '';
  let dbSize = 0;
  let leader = '0';
  let raftIndex = 0;
  while (r.more()) {
    const tag = r.uint32();
    switch (tag) {
      case (1 << 3) | 2: header = readHeader(r.sub()); break;
      case (2 << 3) | 2: version = r.string(); break;
      case (3 << 3) | 0: dbSize = r.int64(); break;
      case (4 << 3) | 0: leader = r.uint64String(); break;
      case (5 << 3) | 0: raftIndex = r.int64(); break;
      default: r.skip(tag & 7, tag >>> 3);
    }
  }
  return { header, version, dbSize, leader, raftIndex };
}

/** AuthenticateRequest{name, password}. */
export function encodeAuthenticate(w: ProtoWriter, name: string, password: string): Buffer {
  w.bytesField(1, name);
  w.bytesField(2, password);
  return w.finish();
}

/** AuthenticateResponse bytes → the token. */
export function decodeAuthenticate(b: Buffer): string {
  const r = new ProtoReader(b);
  let token = '';
  while (r.more()) {
    const tag = r.uint32();
    if (tag === ((2 << 3) | 2)) token = r.string();
    else r.skip(tag & 7, tag >>> 3);
  }
  return token;
}
