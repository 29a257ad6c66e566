/**
 * etcd's v3 API definitions, loaded at run time from the `.proto` files that ship with the
 * `etcd3` npm package (never copied into this repository), so the server speaks exactly the
 * wire format that the etcd3 client it is benchmarked with speaks.
 *
 * Loader options: camelCase field names, int64 as JS numbers (exact up to 2^53, see
 * `engine/mvcc/types.ts`), defaults filled in, and enums as their wire *numbers*: the etcd3
 * package renamed etcd's enum values (`Ascend`, `NotEqual`, `Noput` instead of `ASCEND`,
 * `NOT_EQUAL`, `NOPUT`), so names would tie us to one copy of the protos while numbers are
 * etcd's wire contract. `convert.ts` maps them to the store's names.
 *
 * Responses are encoded straight from the handlers' plain objects (protobufjs `encode`), not
 * through proto-loader's serializer, which first copies every message with `fromObject` (a
 * `Long` object per int64 field: five per key-value, four per header) only to encode the copy.
 * The bytes are the same: both encode the fields an object has (`responseEncodesAsProtoLoader`
 * in proto.test.ts checks it), so handlers must answer with wire types, never enum names.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';
import { loadSync, type Options } from '@grpc/proto-loader';

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

/** Where the request's wire size rides on a decoded message (see `requestSize`). */
const REQUEST_BYTES = Symbol('requestBytes');

/**
 * Size in bytes of the serialized write request a decoded message came from (0 if unknown).
 * etcd limits the size of a write request (`--max-request-bytes`) after decoding, so the gRPC
 * layer keeps the size beside each Put, DeleteRange and Txn message.
 */
export function requestSize(msg: object): number {
  return (msg as { [REQUEST_BYTES]?: number })[REQUEST_BYTES] ?? 0;
}

/** The KV methods whose request size `requestSize` reports. */
const SIZED_METHODS = new Set(['Put', 'DeleteRange', 'Txn']);

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

function tuned(service: ServiceDefinition, root: ProtoRoot, sized: boolean): ServiceDefinition {
  const out: Record<string, MethodDefinition<object, object>> = {};
  for (const [name, method] of Object.entries(service) as [string, MethodDefinition<object, object>][]) {
    const responseType = (method as unknown as { responseType: { type: { name: string } } }).responseType.type.name;
    const m: MethodDefinition<object, object> = { ...method, responseSerialize: directEncoder(root.lookupType(`etcdserverpb.${responseType}`)) };
    if (sized && SIZED_METHODS.has(name)) {
      const decode = method.requestDeserialize;
      m.requestDeserialize = (buf: Buffer) => {
        const msg = decode(buf) as { [REQUEST_BYTES]?: number };
        msg[REQUEST_BYTES] = buf.length;
        return msg;
      };
    }
    out[name] = m;
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
    return tuned(service as ServiceDefinition, root, name === 'KV');
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
