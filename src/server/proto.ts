/**
 * etcd's v3 API definitions, loaded at run time from the `.proto` files that ship with the
 * `etcd3` npm package (never copied into this repository), so the server speaks exactly the
 * wire format that the etcd3 client it is benchmarked with speaks.
 *
 * Loader options: camelCase field names, int64 as JS numbers (exact up to 2^53, see
 * `engine/mvcc/types.ts`), defaults filled in, and enums as their wire *numbers*: the etcd3
 * package renamed etcd's enum values (`Ascend`, `NotEqual`, `Noput` instead of `ASCEND`,
 * `NOT_EQUAL`, `NOPUT`), so names would tie us to one copy of the protos while numbers are
 * etcd's wire contract. `convert.ts` maps the Watch service's to the store's names.
 *
 * The KV service (every request on the hot path) has hand-written codecs (`codec/`): requests
 * are decoded straight into the store's types and responses encoded straight from the store's
 * answers, for every transport (raw, h2 and grpc-js all call a method's `requestDeserialize` and
 * `responseSerialize`). The other services keep protobufjs.
 *
 * Their responses are encoded straight from the handlers' plain objects (protobufjs `encode`), not
 * through proto-loader's serializer, which first copies every message with `fromObject` (a
 * `Long` object per int64 field: five per key-value, four per header) only to encode the copy.
 * The bytes are the same: both encode the fields an object has (`responseEncodesAsProtoLoader`
 * in proto.test.ts checks it), so handlers must answer with wire types, never enum names.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';
import { loadSync, type Options } from '@grpc/proto-loader';
import { decodeCompactionRequest, decodeDeleteRangeRequest, decodePutRequest, decodeRangeRequest, decodeTxnRequest } from './codec/kv-requests.ts';
import { encodeCompactionResponse, encodeDeleteRangeResponse, encodePutResponse, encodeRangeResponse, encodeTxnResponse } from './codec/kv-responses.ts';

export { requestSize } from './codec/request-tags.ts';

/** The services this server implements, by their short name. */
export type EtcdServiceName = 'KV' | 'Watch' | 'Lease' | 'Cluster' | 'Maintenance';

/** Service definitions ready for `grpc.Server.addService`. */
export type EtcdServices = Record<EtcdServiceName, ServiceDefinition>;

const require = createRequire(import.meta.url);

/** Absolute path of `rpc.proto` inside the installed `etcd3` package. */
export function etcdProtoPath(): string {
  return join(dirname(require.resolve('etcd3/package.json')), 'proto', 'rpc.proto');
}

/** The part of a protobufjs message type this server uses. */
export interface ProtoType {
  encode(message: object): { finish(): Uint8Array };
  fromObject(object: object): object;
}

interface ProtoRoot {
  loadSync(path: string, options: object): ProtoRoot;
  resolveAll(): ProtoRoot;
  lookupType(name: string): ProtoType;
}

const LOADER_OPTIONS: Options = { keepCase: false, longs: Number, enums: Number, defaults: true, oneofs: true };

/**
 * protobufjs as proto-loader itself resolves it (it is proto-loader's dependency, not ours), so
 * the encoders here and proto-loader's decoders come from one copy of the library.
 */
function loadRoot(path: string): ProtoRoot {
  const protobuf = createRequire(require.resolve('@grpc/proto-loader'))('protobufjs') as { Root: new () => ProtoRoot };
  return new protobuf.Root().loadSync(path, LOADER_OPTIONS).resolveAll();
}

/** A hand-written codec of one method: request bytes to the store's type, its answer to bytes. */
interface MethodCodec {
  decode(bytes: Buffer): object;
  encode(response: never): Buffer;
}

/** The KV service's codecs (`codec/`), by method name. */
const KV_CODECS: Record<string, MethodCodec> = {
  Range: { decode: decodeRangeRequest, encode: encodeRangeResponse },
  Put: { decode: decodePutRequest, encode: encodePutResponse },
  DeleteRange: { decode: decodeDeleteRangeRequest, encode: encodeDeleteRangeResponse },
  Txn: { decode: decodeTxnRequest, encode: encodeTxnResponse },
  Compact: { decode: decodeCompactionRequest, encode: encodeCompactionResponse },
};

/** Where a response that a handler encoded itself carries its bytes (see `preEncoded`). */
const ENCODED = Symbol('encoded');

/**
 * A response already encoded by the handler (the Watch service encodes an event once for all
 * the watchers it goes to); the method's serializer sends `bytes` as they are.
 */
export function preEncoded(bytes: Buffer): object {
  return { [ENCODED]: bytes };
}

/** protobufjs output as a Buffer, without copying. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A response encoder that skips proto-loader's `fromObject` copy (see the file comment). */
export function directEncoder(type: ProtoType): (value: object) => Buffer {
  return (value) => (value as { [ENCODED]?: Buffer })[ENCODED] ?? asBuffer(type.encode(value).finish());
}

/**
 * The server's side of each method: the hand-written codec where `codecs` has one, else
 * proto-loader's decoder and the direct protobufjs encoder. The client's side (`requestSerialize`,
 * `responseDeserialize`, for tests and tools that call serve) stays proto-loader's.
 */
function tuned(service: ServiceDefinition, root: ProtoRoot, codecs: Record<string, MethodCodec>): ServiceDefinition {
  const out: Record<string, MethodDefinition<object, object>> = {};
  for (const [name, method] of Object.entries(service) as [string, MethodDefinition<object, object>][]) {
    const codec = codecs[name];
    if (codec !== undefined) {
      out[name] = { ...method, requestDeserialize: codec.decode, responseSerialize: codec.encode as (value: object) => Buffer };
      continue;
    }
    const responseType = (method as unknown as { responseType: { type: { name: string } } }).responseType.type.name;
    out[name] = { ...method, responseSerialize: directEncoder(root.lookupType(`etcdserverpb.${responseType}`)) };
  }
  return out as ServiceDefinition;
}

let cached: EtcdServices | undefined;
let cachedRoot: ProtoRoot | undefined;

/** The protobufjs type `etcdserverpb.<name>` (or `mvccpb.<name>`), for tests and tools. */
export function protoType(fullName: string): ProtoType {
  cachedRoot ??= loadRoot(etcdProtoPath());
  return cachedRoot.lookupType(fullName);
}

/** Loads (once per process) and returns etcd's service definitions. */
export function loadEtcdServices(): EtcdServices {
  if (cached) return cached;
  const path = etcdProtoPath();
  let def: ReturnType<typeof loadSync>;
  try {
    def = loadSync(path, LOADER_OPTIONS);
    cachedRoot ??= loadRoot(path);
  } catch (cause) {
    throw new Error(`cannot load etcd's protos from ${path} (is the etcd3 package installed?)`, { cause });
  }
  const root = cachedRoot;
  const pick = (name: EtcdServiceName): ServiceDefinition => {
    const service = def[`etcdserverpb.${name}`];
    if (!service || 'format' in service) throw new Error(`${path} defines no service etcdserverpb.${name}`);
    return tuned(service as ServiceDefinition, root, name === 'KV' ? KV_CODECS : {});
  };
  cached = {
    KV: pick('KV'),
    Watch: pick('Watch'),
    Lease: pick('Lease'),
    Cluster: pick('Cluster'),
    Maintenance: pick('Maintenance'),
  };
  return cached;
}
