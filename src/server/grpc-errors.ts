/**
 * Store errors to gRPC statuses. An `EtcdError` keeps its etcd message unchanged (clients match
 * on it: etcdctl, clientv3 and the etcd3 npm package all turn `etcdserver: …` / `mvcc: …`
 * messages back into typed errors) and maps its `code` to the status etcd answers with.
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

/**
 * Converts any thrown value to a gRPC status. `log` receives the errors that are not
 * `EtcdError`s (unexpected failures) so they are never lost silently.
 */
export function toGrpcError(err: unknown, log: (message: string) => void): GrpcStatusError {
  if (err instanceof EtcdError) {
    return { code: grpcCode(err.code), details: err.message, message: err.message, metadata: new Metadata() };
  }
  const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
  log(`internal error: ${text}`);
  const details = err instanceof Error ? err.message : String(err);
  return { code: status.INTERNAL, details, message: details, metadata: new Metadata() };
}
