/**
 * Errors that etcd clients recognise. `code` is the gRPC status name that etcd answers with and
 * `message` is etcd's exact text, so clients (etcdctl, the etcd3 npm package) react as they do
 * against etcd.
 */
export type GrpcStatusName =
  | 'INVALID_ARGUMENT'
  | 'OUT_OF_RANGE'
  | 'NOT_FOUND'
  | 'FAILED_PRECONDITION'
  | 'RESOURCE_EXHAUSTED'
  | 'UNAVAILABLE'
  | 'INTERNAL'
  | 'CANCELLED';

export class EtcdError extends Error {
  override readonly name = 'EtcdError';
  constructor(
    readonly code: GrpcStatusName,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** etcd's messages, keyed by what went wrong. */
export const ErrorMessages = {
  emptyKey: 'etcdserver: key is not provided',
  compacted: 'mvcc: required revision has been compacted',
  futureRev: 'mvcc: required revision is a future revision',
  tooManyOps: 'etcdserver: too many operations in txn request',
  duplicateKey: 'etcdserver: duplicate key given in txn request',
  leaseNotFound: 'etcdserver: requested lease not found',
  leaseExists: 'etcdserver: lease already exists',
  leaseTtlTooLarge: 'etcdserver: too large lease TTL',
  valueProvided: 'etcdserver: value is provided',
  leaseProvided: 'etcdserver: lease is provided',
  requestTooLarge: 'etcdserver: request is too large',
  stopped: 'etcdserver: server stopped',
  keyNotFound: 'etcdserver: key not found',
} as const;

export const errEmptyKey = () => new EtcdError('INVALID_ARGUMENT', ErrorMessages.emptyKey);
export const errCompacted = () => new EtcdError('OUT_OF_RANGE', ErrorMessages.compacted);
export const errFutureRev = () => new EtcdError('OUT_OF_RANGE', ErrorMessages.futureRev);
export const errTooManyOps = () => new EtcdError('INVALID_ARGUMENT', ErrorMessages.tooManyOps);
export const errDuplicateKey = () => new EtcdError('INVALID_ARGUMENT', ErrorMessages.duplicateKey);
export const errLeaseNotFound = () => new EtcdError('NOT_FOUND', ErrorMessages.leaseNotFound);
export const errLeaseExists = () => new EtcdError('FAILED_PRECONDITION', ErrorMessages.leaseExists);
export const errValueProvided = () => new EtcdError('INVALID_ARGUMENT', ErrorMessages.valueProvided);
export const errLeaseProvided = () => new EtcdError('INVALID_ARGUMENT', ErrorMessages.leaseProvided);
export const errStopped = () => new EtcdError('UNAVAILABLE', ErrorMessages.stopped);
/** Put with ignore_value/ignore_lease on a key that does not exist. */
export const errKeyNotFound = () => new EtcdError('INVALID_ARGUMENT', ErrorMessages.keyNotFound);
/** Lease TTL above etcd's MaxLeaseTTL (9,000,000,000 s). */
export const errLeaseTtlTooLarge = () => new EtcdError('OUT_OF_RANGE', ErrorMessages.leaseTtlTooLarge);
/** A request above etcd's default request size limit. */
export const errRequestTooLarge = () => new EtcdError('INVALID_ARGUMENT', ErrorMessages.requestTooLarge);

/** etcd's default limits (embed.DefaultMaxTxnOps, embed.DefaultMaxRequestBytes). */
export const Limits = {
  maxTxnOps: 128,
  maxRequestBytes: 1.5 * 1024 * 1024,
} as const;
