/**
 * Error classification for counting errors by kind. Clients fail with a `StoreError` carrying the
 * gRPC status code; the kind is the code's name (`Unavailable`, `DeadlineExceeded`), plus etcd's
 * reason when the message is etcd's own (`OutOfRange: mvcc: required revision has been
 * compacted`, `InvalidArgument: too many operations in txn request`), so that distinct refusals
 * stay distinct while client-side messages (addresses, timings) never multiply the kinds. Both
 * clients name an error the same way, so their result files compare.
 */
import { StoreError } from '../client/types.ts';

/** etcd's own messages: `etcdserver: <reason>` or `mvcc: <reason>` (a fixed set, so bounded). */
const ETCD_REASON = /^(?:etcdserver: )?((?:mvcc|lease|auth): [a-z :]+|[a-z][a-z :]+)/i;

/** Longest reason kept in a kind. */
const MAX_REASON = 60;

/** A short, bounded-cardinality name for an error (never the whole message of arbitrary text). */
export function errorKind(err: unknown): string {
  if (err instanceof StoreError) {
    const etcds = /^(etcdserver|mvcc): /.test(err.message);
    const reason = etcds ? ETCD_REASON.exec(err.message)?.[1]?.trim() : undefined;
    return reason ? `${err.codeName}: ${reason.slice(0, MAX_REASON)}` : err.codeName;
  }
  if (!(err instanceof Error)) return 'NonError';
  const name = err.constructor?.name && err.constructor.name !== 'Error' ? err.constructor.name : err.name || 'Error';
  if (name === 'Error') {
    const reason = /etcdserver: ([a-z :]+)/i.exec(err.message)?.[1]?.trim();
    if (reason) return `${name}: ${reason.slice(0, MAX_REASON)}`;
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
