/**
 * `Etcd3Client`: the client interface over the etcd3 npm package (`--client etcd3`), kept as a
 * cross-check of the native client: same calls, same results, errors as `StoreError` with the
 * gRPC code. One `Etcd3` (one gRPC channel) per client; calls go through its raw `.kv`,
 * `.leaseClient` and `.maintenance` stubs (etcd3's retries and circuit breaker included), watches
 * through its watch manager.
 */
import { Etcd3 } from 'etcd3';
import type { CallOptions, ConnectOptions, DeleteOptions, DeleteResult, Bytes, LeaseGrantResult, LeaseTtlResult, PutOptions, PutResult, RangeOptions, RangeResult, StatusResult, StoreClient, TxnRequest, TxnResult, Watch, WatchHandlers, WatchOptions } from '../types.ts';
import { GrpcCode, StoreError } from '../types.ts';
import { compare, deleteRequest, deleteResult, header, putRequest, putResult, rangeRequest, rangeResult, requestOp, txnResult } from './convert.ts';
import { toStoreError } from './errors.ts';
import { etcd3Options } from './options.ts';
import { createWatch } from './watch.ts';

/** gRPC call options for `call`: its timeout as a deadline. */
function grpcOptions(call: CallOptions | undefined): { deadline: number } | undefined {
  return call?.timeoutMs !== undefined ? { deadline: Date.now() + call.timeoutMs } : undefined;
}

/** Runs an etcd3 call: errors become StoreErrors; an aborted `call.signal` rejects with `Cancelled`. */
async function invoke<T>(call: CallOptions | undefined, run: () => Promise<T>): Promise<T> {
  const signal = call?.signal;
  if (signal?.aborted) throw new StoreError(GrpcCode.Cancelled, 'call cancelled before it started');
  const p = run().catch((err: unknown) => {
    throw toStoreError(err);
  });
  if (!signal) return p;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new StoreError(GrpcCode.Cancelled, 'call cancelled'));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** A client of one target through the etcd3 package. */
export class Etcd3Client implements StoreClient {
  readonly kind = 'etcd3' as const;
  private closed = false;

  /** Does not connect yet: etcd3 dials on the first call. See {@link openEtcd3Client}. */
  constructor(private readonly client: Etcd3) {}

  range(key: Bytes, opts?: RangeOptions, call?: CallOptions): Promise<RangeResult> {
    return invoke(call, async () => rangeResult(await this.client.kv.range(rangeRequest(key, opts), grpcOptions(call))));
  }

  put(key: Bytes, value: Bytes, opts?: PutOptions, call?: CallOptions): Promise<PutResult> {
    return invoke(call, async () => putResult(await this.client.kv.put(putRequest(key, value, opts), grpcOptions(call))));
  }

  delete(key: Bytes, opts?: DeleteOptions, call?: CallOptions): Promise<DeleteResult> {
    return invoke(call, async () => deleteResult(await this.client.kv.deleteRange(deleteRequest(key, opts), grpcOptions(call))));
  }

  txn(req: TxnRequest, call?: CallOptions): Promise<TxnResult> {
    const r = { compare: req.compare.map(compare), success: req.success.map(requestOp), failure: (req.failure ?? []).map(requestOp) };
    return invoke(call, async () => txnResult(await this.client.kv.txn(r, grpcOptions(call))));
  }

  compact(revision: number, physical = false, call?: CallOptions): Promise<void> {
    return invoke(call, async () => void (await this.client.kv.compact({ revision, physical }, grpcOptions(call))));
  }

  watch(key: Bytes, opts: WatchOptions, handlers: WatchHandlers, call?: CallOptions): Promise<Watch> {
    return invoke(call, () => createWatch(this.client, key, opts, handlers));
  }

  leaseGrant(ttlSec: number, call?: CallOptions): Promise<LeaseGrantResult> {
    return invoke(call, async () => {
      const r = await this.client.leaseClient.leaseGrant({ TTL: ttlSec }, grpcOptions(call));
      if (r.error) throw new StoreError(GrpcCode.Unknown, r.error);
      return { id: Number(r.ID), ttlSec: Number(r.TTL) };
    });
  }

  leaseRevoke(id: number, call?: CallOptions): Promise<void> {
    return invoke(call, async () => void (await this.client.leaseClient.leaseRevoke({ ID: id }, grpcOptions(call))));
  }

  leaseKeepAliveOnce(id: number, call?: CallOptions): Promise<number> {
    return invoke(call, async () => {
      const stream = await this.client.leaseClient.leaseKeepAlive(grpcOptions(call));
      try {
        const ttl = new Promise<number>((resolve, reject) => {
          stream.on('data', (res: { TTL: string }) => resolve(Number(res.TTL)));
          stream.on('error', reject);
          stream.on('end', () => reject(new StoreError(GrpcCode.Unavailable, 'lease keep-alive stream ended without an answer')));
        });
        stream.write({ ID: id });
        return await ttl;
      } finally {
        stream.end();
      }
    });
  }

  leaseTimeToLive(id: number, keys = false, call?: CallOptions): Promise<LeaseTtlResult> {
    return invoke(call, async () => {
      const r = await this.client.leaseClient.leaseTimeToLive({ ID: id, keys }, grpcOptions(call));
      return { id: Number(r.ID), ttlSec: Number(r.TTL), grantedTtlSec: Number(r.grantedTTL), keys: r.keys ?? [] };
    });
  }

  status(call?: CallOptions): Promise<StatusResult> {
    return invoke(call, async () => {
      const r = await this.client.maintenance.status(grpcOptions(call));
      return { header: header(r.header), version: r.version, dbSize: Number(r.dbSize), leader: String(r.leader), raftIndex: Number(r.raftIndex) };
    });
  }

  defragment(call?: CallOptions): Promise<void> {
    return invoke(call, async () => void (await this.client.maintenance.defragment(grpcOptions(call))));
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.client.close();
    }
    return Promise.resolve();
  }
}

/** A client through the etcd3 package; it dials lazily, as etcd3 does. */
export function openEtcd3Client(opts: ConnectOptions): Promise<StoreClient> {
  return Promise.resolve(new Etcd3Client(new Etcd3(etcd3Options(opts))));
}
