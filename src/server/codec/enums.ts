/**
 * etcd's enums, from their wire numbers (in the order of etcd's rpc.proto) to the store's names
 * (`engine/mvcc/types.ts`). A number outside an enum is etcd's INVALID_ARGUMENT with etcd's
 * message for that enum (proto3 enums are open: the bytes decode, the handler refuses them).
 */
import { EtcdError } from '../../../engine/mvcc/errors.ts';
import type { CompareResult, CompareTarget, SortOrder, SortTarget, WatchFilter } from '../../../engine/mvcc/types.ts';

/** RangeRequest.SortOrder by wire number. */
export const SORT_ORDERS: readonly SortOrder[] = ['NONE', 'ASCEND', 'DESCEND'];
/** RangeRequest.SortTarget by wire number. */
export const SORT_TARGETS: readonly SortTarget[] = ['KEY', 'VERSION', 'CREATE', 'MOD', 'VALUE'];
/** Compare.CompareResult by wire number. */
export const COMPARE_RESULTS: readonly CompareResult[] = ['EQUAL', 'GREATER', 'LESS', 'NOT_EQUAL'];
/** Compare.CompareTarget by wire number. */
export const COMPARE_TARGETS: readonly CompareTarget[] = ['VERSION', 'CREATE', 'MOD', 'VALUE', 'LEASE'];
/** WatchCreateRequest.FilterType by wire number. */
export const WATCH_FILTERS: readonly WatchFilter[] = ['NOPUT', 'NODELETE'];

/** etcd's answer to a sort order or target outside the enum (rpctypes.ErrGRPCInvalidSortOption). */
export const INVALID_SORT_OPTION = 'etcdserver: invalid sort option';
/** The store's answer to a compare result outside the enum. */
export const INVALID_COMPARE_RESULT = 'etcdserver: invalid compare result';
/** The store's answer to a compare target outside the enum. */
export const INVALID_COMPARE_TARGET = 'etcdserver: invalid compare target';
/** The store's answer to a watch filter outside the enum. */
export const INVALID_WATCH_FILTER = 'etcdserver: invalid watch filter';

/** The error for enum value `value` (of `what`) outside its table. */
export function enumError(what: string, value: number | undefined, message: string): EtcdError {
  return new EtcdError('INVALID_ARGUMENT', message, { cause: new Error(`${what} ${String(value)} is not defined`) });
}

/** `table[value]` (0 when unset); throws `enumError` for a number outside the table. */
export function pick<T>(table: readonly T[], value: number | undefined, what: string, message: string): T {
  const name = table[value ?? 0];
  if (name === undefined) throw enumError(what, value, message);
  return name;
}
