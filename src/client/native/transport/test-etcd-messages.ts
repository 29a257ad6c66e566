/**
 * etcd request/response bytes for the transport's end-to-end tests and bench, encoded and
 * decoded with protobufjs from the etcd3 package's protos (`src/server/proto.ts`), so the
 * transport is tested without the native codec.
 */
import { protoType } from '../../../server/proto.ts';

interface Codec {
  encode(message: object): { finish(): Uint8Array };
  decode(bytes: Uint8Array): object;
  toObject(message: object, options: object): Record<string, unknown>;
}

const codec = (name: string) => protoType(`etcdserverpb.${name}`) as unknown as Codec;
const TO_OBJECT = { longs: Number, enums: Number, defaults: false, bytes: String };

/** Encodes `etcdserverpb.<type>` from a plain object (bytes as Buffers). */
export function encodeEtcd(type: string, value: object): Uint8Array {
  return codec(type).encode(value).finish();
}

/** Decodes `etcdserverpb.<type>` into a plain object (int64 as numbers, bytes as base64). */
export function decodeEtcd(type: string, bytes: Uint8Array): Record<string, unknown> {
  const c = codec(type);
  return c.toObject(c.decode(bytes), TO_OBJECT);
}

/** A base64 string's text (protobufjs renders bytes fields as base64). */
export function b64(s: unknown): string {
  return Buffer.from(String(s), 'base64').toString('utf8');
}
