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
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

/** The services this server implements, by their short name. */
export type EtcdServiceName = 'KV' | 'Watch' | 'Lease' | 'Cluster' | 'Maintenance';

/** Service definitions ready for `grpc.Server.addService`. */
export type EtcdServices = Record<EtcdServiceName, ServiceDefinition>;

/** Absolute path of `rpc.proto` inside the installed `etcd3` package. */
export function etcdProtoPath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('etcd3/package.json')), 'proto', 'rpc.proto');
}

const requestBytes = new WeakMap<object, number>();

/**
 * Size in bytes of the serialized request a decoded message came from (0 if unknown). etcd
 * limits the size of a write request (`--max-request-bytes`) after decoding, so the gRPC layer
 * keeps the size beside each message.
 */
export function requestSize(msg: object): number {
  return requestBytes.get(msg) ?? 0;
}

function withRequestSizes(service: ServiceDefinition): ServiceDefinition {
  const out: Record<string, MethodDefinition<object, object>> = {};
  for (const [name, method] of Object.entries(service) as [string, MethodDefinition<object, object>][]) {
    const decode = method.requestDeserialize;
    out[name] = {
      ...method,
      requestDeserialize: (buf: Buffer) => {
        const msg = decode(buf);
        requestBytes.set(msg, buf.length);
        return msg;
      },
    };
  }
  return out as ServiceDefinition;
}

let cached: EtcdServices | undefined;

/** Loads (once per process) and returns etcd's service definitions. */
export function loadEtcdServices(): EtcdServices {
  if (cached) return cached;
  const path = etcdProtoPath();
  let def: ReturnType<typeof loadSync>;
  try {
    def = loadSync(path, { keepCase: false, longs: Number, enums: Number, defaults: true, oneofs: true });
  } catch (cause) {
    throw new Error(`cannot load etcd's protos from ${path} (is the etcd3 package installed?)`, { cause });
  }
  const pick = (name: EtcdServiceName): ServiceDefinition => {
    const service = def[`etcdserverpb.${name}`];
    if (!service || 'format' in service) throw new Error(`${path} defines no service etcdserverpb.${name}`);
    return withRequestSizes(service as ServiceDefinition);
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
