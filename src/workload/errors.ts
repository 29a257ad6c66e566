/**
 * Error classification for counting errors by kind. The etcd3 client turns gRPC failures into
 * typed errors (`GRPCUnavailableError`, `GRPCDeadlineExceededError`, …) and etcd's own refusals
 * into `EtcdError` with etcd's message; the kind is the class name, plus etcd's reason for
 * generic classes, so that "compacted" and "too many operations" stay distinct.
 */

/** A short, bounded-cardinality name for an error (never the whole message of arbitrary text). */
export function errorKind(err: unknown): string {
  if (!(err instanceof Error)) return 'NonError';
  const name = err.constructor?.name && err.constructor.name !== 'Error' ? err.constructor.name : err.name || 'Error';
  if (name === 'EtcdError' || name === 'GRPCGenericError' || name === 'Error') {
    const reason = /etcdserver: ([a-z :]+)/i.exec(err.message)?.[1]?.trim();
    if (reason) return `${name}: ${reason.slice(0, 60)}`;
  }
  return name;
}

/** True for etcd's "required revision has been compacted" refusal. */
export function isCompactedError(err: unknown): boolean {
  return err instanceof Error && /required revision has been compacted/.test(err.message);
}

/** Raised when an operation outlives its deadline; counted as `DeadlineExceeded`. */
export class OpTimeoutError extends Error {
  constructor(
    readonly op: string,
    readonly timeoutMs: number,
  ) {
    super(`${op}: no answer within ${timeoutMs} ms`);
    this.name = 'OpTimeoutError';
  }
}
