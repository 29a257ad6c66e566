/**
 * What a decoded request carries besides its fields, out of the store's sight (symbol keys):
 * its size on the wire, for etcd's `--max-request-bytes` check, and an error found while
 * decoding that etcd reports only once the request reaches its handler (a sort order or compare
 * enum outside the proto's values, a txn op with no request in it). Such an error must not be
 * thrown by the deserializer: the transports answer a deserializer's throw with INTERNAL
 * "Error deserializing request" (grpc-js's answer to bytes that are not protobuf), where etcd
 * answers these with INVALID_ARGUMENT and its own message.
 */
import type { EtcdError } from '../../../engine/mvcc/errors.ts';

const REQUEST_BYTES = Symbol('requestBytes');
const DEFERRED_ERROR = Symbol('deferredError');

interface Tagged {
  [REQUEST_BYTES]?: number;
  [DEFERRED_ERROR]?: EtcdError;
}

/** Records `bytes`, the wire size of the message `msg` was decoded from. */
export function tagRequestSize<T extends object>(msg: T, bytes: number): T {
  (msg as Tagged)[REQUEST_BYTES] = bytes;
  return msg;
}

/**
 * Size in bytes of the serialized write request a decoded message came from (0 if unknown).
 * etcd limits the size of a write request (`--max-request-bytes`) after decoding, so the KV
 * service's deserializers keep the size beside each Put, DeleteRange and Txn message.
 */
export function requestSize(msg: object): number {
  return (msg as Tagged)[REQUEST_BYTES] ?? 0;
}

/** Records the first error decoding found in `msg`, for `throwDeferred` (see the file comment). */
export function tagDeferredError<T extends object>(msg: T, err: EtcdError): T {
  (msg as Tagged)[DEFERRED_ERROR] = err;
  return msg;
}

/** Throws the error decoding recorded in `msg`, if any. */
export function throwDeferred(msg: object): void {
  const err = (msg as Tagged)[DEFERRED_ERROR];
  if (err !== undefined) throw err;
}
