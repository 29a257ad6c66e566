/**
 * etcd's KV service (Range, Put, DeleteRange, Txn, Compact) over the store, with etcd's edge
 * checks (`validate.ts`) in front of it.
 */
import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import type { CompactionRequest, DeleteRangeRequest, PutRequest } from '../../engine/mvcc/types.ts';
import { unary, type ServiceContext } from './context.ts';
import { toRangeRequest, toTxnRequest, type WireRangeRequest, type WireTxnRequest } from './convert.ts';
import { requestSize } from './proto.ts';
import { checkDelete, checkPut, checkRange, checkRequestSize, checkTxn } from './validate.ts';

/** Handlers for `etcdserverpb.KV`. */
export function kvService(ctx: ServiceContext): UntypedServiceImplementation {
  const { store, limits } = ctx;
  return {
    Range: unary(ctx, (req: WireRangeRequest) => {
      const r = toRangeRequest(req);
      checkRange(r);
      return store.range(r);
    }),
    Put: unary(ctx, (req: PutRequest) => {
      checkRequestSize(requestSize(req), limits);
      checkPut(req);
      return store.put(req);
    }),
    DeleteRange: unary(ctx, (req: DeleteRangeRequest) => {
      checkRequestSize(requestSize(req), limits);
      checkDelete(req);
      return store.deleteRange(req);
    }),
    Txn: unary(ctx, (req: WireTxnRequest) => {
      checkRequestSize(requestSize(req), limits);
      const r = toTxnRequest(req);
      checkTxn(r, limits);
      return store.txn(r);
    }),
    Compact: unary(ctx, (req: CompactionRequest) => store.compact(req)),
  };
}
