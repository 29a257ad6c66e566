/**
 * etcd's KV service (Range, Put, DeleteRange, Txn, Compact) over the store. Requests arrive
 * already in the store's types (`codec/kv-requests.ts`); the store checks them as etcd does.
 * This layer adds the request size limit and the refusals decoding found (`codec/request-tags.ts`),
 * in etcd's order: size first, then the request's own content.
 */
import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import type { CompactionRequest, DeleteRangeRequest, PutRequest, RangeRequest, TxnRequest } from '../../engine/mvcc/types.ts';
import { requestSize, throwDeferred } from './codec/request-tags.ts';
import { unary, type ServiceContext } from './context.ts';
import { checkRequestSize } from './validate.ts';

/** Handlers for `etcdserverpb.KV`. */
export function kvService(ctx: ServiceContext): UntypedServiceImplementation {
  const { store, limits } = ctx;
  return {
    Range: unary(ctx, (req: RangeRequest) => {
      throwDeferred(req);
      return store.range(req);
    }),
    Put: unary(ctx, (req: PutRequest) => {
      checkRequestSize(requestSize(req), limits);
      return store.put(req);
    }),
    DeleteRange: unary(ctx, (req: DeleteRangeRequest) => {
      checkRequestSize(requestSize(req), limits);
      return store.deleteRange(req);
    }),
    Txn: unary(ctx, (req: TxnRequest) => {
      checkRequestSize(requestSize(req), limits);
      throwDeferred(req);
      return store.txn(req);
    }),
    Compact: unary(ctx, (req: CompactionRequest) => store.compact(req)),
  };
}
