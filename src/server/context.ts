/**
 * What every service handler shares: the store, the limits, the logger and the set of open
 * streams (watch and lease keep-alive) that shutdown has to end, plus the unary-call adapter
 * that turns a promise into a gRPC answer.
 */
import type { handleUnaryCall, sendUnaryData } from '@grpc/grpc-js';
import type { MetaStore } from '../../engine/mvcc/kv.ts';
import { toGrpcError } from './grpc-errors.ts';
import type { RequestLimits } from './validate.ts';

/** Where the server's log lines go (stderr in `metabench serve`). */
export type Logger = (level: 'info' | 'warn' | 'error', message: string) => void;

/** A long-lived stream that must be ended when the server stops. */
export interface OpenStream {
  /** Releases the stream's resources and ends it with `etcdserver: server stopped`. */
  stop(): void;
}

/** Shared state of one server. */
export interface ServiceContext {
  readonly store: MetaStore;
  readonly limits: RequestLimits;
  readonly log: Logger;
  /** Streams currently open; each removes itself when it ends. */
  readonly streams: Set<OpenStream>;
  /** The URL clients reach this server at (`http://host:port`), for MemberList. */
  clientUrl(): string;
  /** How often a watch created with `progress_notify` gets an empty progress response, in ms. */
  readonly progressNotifyIntervalMs: number;
}

/**
 * Adapts `fn` (which may throw or reject) to a grpc-js unary handler: a result is sent as the
 * response, a failure as the mapped gRPC status (`grpc-errors.ts`).
 */
export function unary<Req, Res>(ctx: ServiceContext, fn: (req: Req) => Promise<Res> | Res): handleUnaryCall<Req, Res> {
  return (call, callback: sendUnaryData<Res>) => {
    let result: Promise<Res> | Res;
    try {
      result = fn(call.request);
    } catch (err) {
      callback(toGrpcError(err, (m) => ctx.log('error', m)));
      return;
    }
    Promise.resolve(result).then(
      (res) => callback(null, res),
      (err: unknown) => callback(toGrpcError(err, (m) => ctx.log('error', m))),
    );
  };
}
