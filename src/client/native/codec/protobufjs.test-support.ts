/**
 * protobufjs types of etcd's messages for the codec tests, loaded from the etcd3 package's
 * `.proto` files the way the server loads them (`server/proto.ts`), so the hand-written codec is
 * checked against etcd's definitions, not against itself.
 */
import { protoType } from '../../../server/proto.ts';

/** The protobufjs message-type methods the tests use. */
interface PbType {
  encode(message: object): { finish(): Uint8Array };
  decode(bytes: Uint8Array): object;
  fromObject(object: object): object;
  toObject(message: object, options: object): Record<string, unknown>;
}

/** `etcdserverpb.<name>` or a full name with a package (`mvccpb.KeyValue`). */
function pb(name: string): PbType {
  return protoType(name.includes('.') ? name : `etcdserverpb.${name}`) as unknown as PbType;
}

/** Decodes `bytes` as message `name` with protobufjs: int64 as numbers, enums as numbers, defaults filled. */
export function pbDecode(name: string, bytes: Uint8Array): Record<string, unknown> {
  const t = pb(name);
  return t.toObject(t.decode(bytes), { longs: Number, enums: Number, defaults: true, oneofs: true });
}

/**
 * Encodes plain object `obj` as message `name` with protobufjs (`fromObject`, which takes
 * uint64 as decimal strings; a misspelt field is dropped there, and the decoded result then
 * differs from what the test expects).
 */
export function pbEncode(name: string, obj: object): Buffer {
  const t = pb(name);
  const bytes = t.encode(t.fromObject(obj)).finish();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Bytes of a string (UTF-8) or byte array, for comparisons. */
export function bytesOf(v: string | Uint8Array | undefined | null): Buffer {
  if (v === undefined || v === null) return Buffer.alloc(0);
  return typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(v);
}

/**
 * Unknown fields of all wire types (a varint, fixed64, bytes, group with a nested field, fixed32)
 * at field numbers no etcd message uses here, which every decoder (the client's and serve's) must skip.
 */
export const UNKNOWN = Buffer.from([
  (900 << 3 | 0) & 0x7f | 0x80, (900 << 3) >> 7, 0x96, 0x01, // field 900 varint 150
  (901 << 3 | 1) & 0x7f | 0x80, (901 << 3) >> 7, 1, 2, 3, 4, 5, 6, 7, 8, // fixed64
  (902 << 3 | 2) & 0x7f | 0x80, (902 << 3) >> 7, 3, 0xff, 0xff, 0xff, // bytes
  (903 << 3 | 3) & 0x7f | 0x80, (903 << 3) >> 7, (1 << 3) | 0, 5, (903 << 3 | 4) & 0x7f | 0x80, (903 << 3) >> 7, // group { 1: 5 }
  (904 << 3 | 5) & 0x7f | 0x80, (904 << 3) >> 7, 9, 9, 9, 9, // fixed32
]);
