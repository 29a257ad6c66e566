/**
 * Store errors to gRPC statuses. An `EtcdError` maps its `code` to the status etcd answers with
 * and keeps etcd's message, which clients match on (etcdctl/clientv3 and the etcd3 npm package
 * turn `etcdserver: …` messages back into typed errors). As etcd's own gRPC layer does
 * (`v3rpc.togRPCError`), the storage layer's `mvcc: …` messages go out prefixed with
 * `etcdserver: ` (`etcdserver: mvcc: required revision has been compacted`).
 * Anything else is a bug or an I/O failure: it is logged and answered as INTERNAL.
 */
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { EtcdError, type GrpcStatusName } from '../../engine/mvcc/errors.ts';

/** The status object grpc-js accepts in a unary callback or a stream's 'error' event. */
export type GrpcStatusError = Partial<ServiceError> & { code: status; details: string };

const CODES: Record<GrpcStatusName, status> = {
  INVALID_ARGUMENT: status.INVALID_ARGUMENT,
  OUT_OF_RANGE: status.OUT_OF_RANGE,
  NOT_FOUND: status.NOT_FOUND,
  FAILED_PRECONDITION: status.FAILED_PRECONDITION,
  RESOURCE_EXHAUSTED: status.RESOURCE_EXHAUSTED,
  UNAVAILABLE: status.UNAVAILABLE,
  INTERNAL: status.INTERNAL,
  CANCELLED: status.CANCELLED,
};

/** The gRPC status code for an etcd error code name. */
export function grpcCode(name: GrpcStatusName): status {
  return CODES[name];
}

/** The message etcd's gRPC layer sends for a store error message. */
export function grpcMessage(message: string): string {
  return message.startsWith('mvcc: ') ? `etcdserver: ${message}` : message;
}

/**
 * Converts any thrown value to a gRPC status. `log` receives the errors that are not
 * `EtcdError`s (unexpected failures) so they are never lost silently.
 */
export function toGrpcError(err: unknown, log: (message: string) => void): GrpcStatusError {
  if (err instanceof EtcdError) {
    const details = grpcMessage(err.message);
    return { code: grpcCode(err.code), details, message: details, metadata: new Metadata() };
  }
  const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
  log(`internal error: ${text}`);
  const details = err instanceof Error ? err.message : String(err);
  return { code: status.INTERNAL, details, message: details, metadata: new Metadata() };
}
