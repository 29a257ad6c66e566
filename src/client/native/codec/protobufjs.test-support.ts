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
