/**
 * The etcd3 package's errors → `StoreError` with the gRPC status code. etcd3 turns a gRPC failure
 * into a class per code (`GRPCUnavailableError`, …) or, when etcd's message is one it knows, a
 * class per message (`EtcdPermissionDeniedError`, …), and drops the code on the way; the class
 * gives it back. Messages lose grpc-js's `14 UNAVAILABLE: ` prefix, so that the server's own text
 * (`etcdserver: …`, `mvcc: …`) reads the same as through the native client.
 */
import { GrpcCode, StoreError } from '../types.ts';

/** The code of each etcd3 error class (etcd's codes for the message classes, rpctypes/error.go). */
const CODE_OF_CLASS: Readonly<Record<string, number>> = {
  GRPCCancelledError: GrpcCode.Cancelled,
  GRPCUnknownError: GrpcCode.Unknown,
  GRPCInvalidArgumentError: GrpcCode.InvalidArgument,
  GRPCDeadlineExceededError: GrpcCode.DeadlineExceeded,
  GRPCNotFoundError: GrpcCode.NotFound,
  GRPCAlreadyExistsError: GrpcCode.AlreadyExists,
  GRPCResourceExhastedError: GrpcCode.ResourceExhausted,
  GRPCFailedPreconditionError: GrpcCode.FailedPrecondition,
  GRPCAbortedError: GrpcCode.Aborted,
  GRPCOutOfRangeError: GrpcCode.OutOfRange,
  GRPCNotImplementedError: GrpcCode.Unimplemented,
  GRPCInternalError: GrpcCode.Internal,
  GRPCUnavailableError: GrpcCode.Unavailable,
  GRPCDataLossError: GrpcCode.DataLoss,
  GRPCUnauthenticatedError: GrpcCode.Unauthenticated,
  GRPCProtocolError: GrpcCode.Internal,
  GRPCGenericError: GrpcCode.Unknown,
  EtcdRoleExistsError: GrpcCode.FailedPrecondition,
  EtcdUserExistsError: GrpcCode.FailedPrecondition,
  EtcdRoleNotGrantedError: GrpcCode.FailedPrecondition,
  EtcdRoleNotFoundError: GrpcCode.FailedPrecondition,
  EtcdUserNotFoundError: GrpcCode.FailedPrecondition,
  EtcdAuthenticationFailedError: GrpcCode.InvalidArgument,
  EtcdPermissionDeniedError: GrpcCode.PermissionDenied,
  EtcdInvalidAuthTokenError: GrpcCode.Unauthenticated,
  EtcdLeaseInvalidError: GrpcCode.NotFound,
  // cockatiel's circuit breaker (etcd3's fault handling): the host was failing, nothing was sent.
  BrokenCircuitError: GrpcCode.Unavailable,
  EtcdWatchStreamEnded: GrpcCode.Unavailable,
};

/** etcd messages that arrive without a code (watch cancellations): their code in etcd. */
const CODE_OF_MESSAGE: readonly (readonly [RegExp, number])[] = [
  [/required revision has been compacted|required revision is a future revision/, GrpcCode.OutOfRange],
  [/permission denied/, GrpcCode.PermissionDenied],
];

/** grpc-js's `<code> <NAME>: ` message prefix. */
const GRPC_PREFIX = /^\d+ [A-Z_]+: /;

/** `err` as a StoreError (itself if it already is one); keeps the original as `cause`. */
export function toStoreError(err: unknown): StoreError {
  if (err instanceof StoreError) return err;
  if (!(err instanceof Error)) return new StoreError(GrpcCode.Unknown, `etcd3 client: ${String(err)}`);
  const message = err.message.replace(GRPC_PREFIX, '').replace(/^Watcher canceled: /, '');
  const name = err.constructor?.name ?? err.name;
  const own = (err as Error & { code?: unknown }).code;
  let code = CODE_OF_CLASS[name] ?? (typeof own === 'number' ? own : undefined);
  if (code === undefined || code === GrpcCode.Unknown) code = CODE_OF_MESSAGE.find(([re]) => re.test(message))?.[1] ?? code ?? GrpcCode.Unknown;
  return new StoreError(code, message, { cause: err, retryable: name === 'BrokenCircuitError' });
}
