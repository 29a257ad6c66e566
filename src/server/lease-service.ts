/**
 * etcd's Lease service. The wire names lease fields `ID` and `TTL` (upper case in etcd's
 * protos); the store uses `id` and `ttl`, so responses are rebuilt here.
 *
 * As etcd does: a keep-alive for an unknown lease answers TTL 0 (not an error) and TimeToLive
 * of an unknown lease answers TTL -1, which is how clients learn that a lease has expired.
 */
import { status, type ServerDuplexStream, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { EtcdError, ErrorMessages } from '../../engine/mvcc/errors.ts';
import type { ResponseHeader } from '../../engine/mvcc/types.ts';
import { unary, type OpenStream, type ServiceContext } from './context.ts';
import { toGrpcError } from './grpc-errors.ts';

interface WireLeaseId {
  ID: number;
}

interface WireKeepAliveResponse {
  header: ResponseHeader;
  ID: number;
  TTL: number;
}

function isLeaseNotFound(err: unknown): boolean {
  return err instanceof EtcdError && err.message === ErrorMessages.leaseNotFound;
}

class KeepAliveStream implements OpenStream {
  private closed = false;
  // Renewals are answered in request order, one at a time.
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly call: ServerDuplexStream<WireLeaseId, WireKeepAliveResponse>,
    private readonly ctx: ServiceContext,
  ) {
    ctx.streams.add(this);
    call.on('data', (req: WireLeaseId) => {
      this.queue = this.queue.then(() => this.renew(req.ID));
    });
    call.on('end', () => {
      void this.queue.then(() => this.finish(() => call.end()));
    });
    call.on('cancelled', () => this.finish(() => undefined));
  }

  stop(): void {
    this.finish(() => this.call.emit('error', { code: status.UNAVAILABLE, details: ErrorMessages.stopped }));
  }

  private finish(end: () => void): void {
    if (this.closed) return;
    this.closed = true;
    this.ctx.streams.delete(this);
    end();
  }

  private async renew(id: number): Promise<void> {
    if (this.closed) return;
    let res: WireKeepAliveResponse;
    try {
      const r = await this.ctx.store.leaseKeepAlive(id);
      res = { header: r.header, ID: r.id, TTL: r.ttl };
    } catch (err) {
      if (!isLeaseNotFound(err)) {
        this.finish(() => this.call.emit('error', toGrpcError(err, (m) => this.ctx.log('error', m))));
        return;
      }
      res = { header: this.ctx.store.header(), ID: id, TTL: 0 };
    }
    if (!this.closed) this.call.write(res);
  }
}

/** Handlers for `etcdserverpb.Lease`. */
export function leaseService(ctx: ServiceContext): UntypedServiceImplementation {
  const { store } = ctx;
  return {
    LeaseGrant: unary(ctx, async (req: { TTL: number; ID: number }) => {
      const r = await store.leaseGrant(req.TTL, req.ID);
      return { header: r.header, ID: r.id, TTL: r.ttl, error: '' };
    }),
    LeaseRevoke: unary(ctx, (req: WireLeaseId) => store.leaseRevoke(req.ID)),
    LeaseKeepAlive: (call: ServerDuplexStream<WireLeaseId, WireKeepAliveResponse>) => {
      new KeepAliveStream(call, ctx);
    },
    LeaseTimeToLive: unary(ctx, async (req: { ID: number; keys: boolean }) => {
      try {
        const r = await store.leaseTimeToLive(req.ID, req.keys);
        return { header: r.header, ID: r.id, TTL: r.ttl, grantedTTL: r.grantedTtl, keys: r.keys };
      } catch (err) {
        if (!isLeaseNotFound(err)) throw err;
        return { header: store.header(), ID: req.ID, TTL: -1, grantedTTL: 0, keys: [] };
      }
    }),
    LeaseLeases: unary(ctx, async () => {
      const r = await store.leaseLeases();
      return { header: r.header, leases: r.leases.map((l) => ({ ID: l.id })) };
    }),
  };
}
