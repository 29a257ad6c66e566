/**
 * etcd's KV service (Range, Put, DeleteRange, Txn, Compact) over the store. The store checks
 * requests as etcd does; this layer adds the request size limit and maps enums (`convert.ts`).
 */
import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import type { CompactionRequest, DeleteRangeRequest, PutRequest } from '../../engine/mvcc/types.ts';
import { unary, type ServiceContext } from './context.ts';
import { toRangeRequest, toTxnRequest, type WireRangeRequest, type WireTxnRequest } from './convert.ts';
import { requestSize } from './proto.ts';
import { checkRequestSize } from './validate.ts';

/** Handlers for `etcdserverpb.KV`. */
export function kvService(ctx: ServiceContext): UntypedServiceImplementation {
  const { store, limits } = ctx;
  return {
    Range: unary(ctx, (req: WireRangeRequest) => {
      return store.range(toRangeRequest(req));
    }),
    Put: unary(ctx, (req: PutRequest) => {
      checkRequestSize(requestSize(req), limits);
      return store.put(req);
    }),
    DeleteRange: unary(ctx, (req: DeleteRangeRequest) => {
      checkRequestSize(requestSize(req), limits);
      return store.deleteRange(req);
    }),
    Txn: unary(ctx, (req: WireTxnRequest) => {
      checkRequestSize(requestSize(req), limits);
      return store.txn(toTxnRequest(req));
    }),
    Compact: unary(ctx, (req: CompactionRequest) => store.compact(req)),
  };
}
