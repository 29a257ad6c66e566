/**
 * What a started (or connected) target offers the runner: how to reach it, which process serves
 * it, and how to let go of it. Implementations: `metastore.ts` (memory, rocksdb), `etcd.ts`,
 * `endpoint.ts`, `noop.ts`; `index.ts` picks one.
 */
import type { ClientKind, ConnectOptions } from '../client/types.ts';
import type { TargetKind } from '../events/schema.ts';

/** A target ready to take requests. */
export interface StartedTarget {
  readonly name: string;
  readonly kind: TargetKind;
  /** How clients reach this target (`client/factory.ts`'s `connect`): hosts, TLS, auth. */
  readonly clientOptions: ConnectOptions;
  /** Address and process of the server (absent for `endpoint`, which runs elsewhere). */
  readonly server?: { readonly address: string; readonly pid?: number; readonly version?: string };
  /** Stops the server the runner started (SIGTERM, then SIGKILL) and removes its data. */
  stop(): Promise<void>;
  /** How the server process ended (`exit code 1`, `signal SIGKILL`) if it has, before `stop()`. */
  exitedEarly?(): string | undefined;
}

/** Options every target starter takes. */
export interface StartOptions {
  /** Keep the temporary data directory after the run (default false). */
  readonly keepData: boolean;
  /** Parent folder of the temporary data directory (default the OS temp dir). */
  readonly tmpRoot?: string;
  /** Aborts a start in progress (Ctrl-C while waiting for readiness). */
  readonly signal: AbortSignal;
  /** Where diagnostics go (the runner turns them into log events). */
  log(level: 'info' | 'warn' | 'error', message: string): void;
  /** Milliseconds to wait for the server's readiness (default 30000). */
  readonly readyTimeoutMs?: number;
  /** Milliseconds between SIGTERM and SIGKILL when stopping (default 10000). */
  readonly stopGraceMs?: number;
  /** `--cpu-prof DIR`: Node servers write their CPU profile there when they stop. */
  readonly cpuProfDir?: string;
  /** The client that checks readiness, as the run's scenarios will use (default `native`). */
  readonly client?: ClientKind;
}

/** The target cannot run on this machine (binary missing); the other targets go on. */
export class TargetUnavailableError extends Error {
  override readonly name = 'TargetUnavailableError';
  constructor(
    message: string,
    /** What the user can do about it, e.g. `apt-get install etcd-server`. */
    readonly hint?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The server did not come up (exited early, timed out, refused requests). */
export class TargetStartError extends Error {
  override readonly name = 'TargetStartError';
  constructor(
    message: string,
    options?: ErrorOptions & {
      /** Why, without the target's name (for messages that name it themselves). */
      detail?: string;
      /** The server answered and refused (credentials), as opposed to not answering. */
      refused?: boolean;
    },
  ) {
    super(message, options);
    this.detail = options?.detail ?? message;
    this.refused = options?.refused ?? false;
  }
  readonly detail: string;
  readonly refused: boolean;
}
