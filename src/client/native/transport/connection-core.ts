/**
 * What the two halves of a client connection use of it: the sending side (`outbound.ts`) and
 * the frame handler (`inbound.ts`). `Connection` implements both; declaring them here keeps
 * the halves from importing the class that owns them (no import cycle).
 */
import type { HpackDecoder, Settings } from '../../../h2/index.ts';
import type { StoreError } from '../../types.ts';
import type { Call } from './call.ts';
import type { Outbox } from './outbox.ts';

/** What the sending side reads and updates. */
export interface SendSide {
  /** The server's settings as received so far. */
  readonly peer: Settings;
  /** Frames of this tick, written to the socket in one go. */
  readonly out: Outbox;
  /** Octets we may still send on the connection. */
  sendWindow: number;
  /** Frees a stream both sides have ended. */
  closeStream(call: Call): void;
}

/** The sending side's operations the frame handler triggers. */
export interface Pump {
  /** Sends what `call` has queued, as far as the windows allow. */
  pump(call: Call): void;
  /** Resumes calls that waited for the connection window. */
  resumeBlocked(): void;
}

/** What the frame handler reads and updates. */
export interface ConnectionCore extends SendSide {
  readonly streams: Map<number, Call>;
  readonly decoder: HpackDecoder;
  readonly outbound: Pump;
  readonly keepalive: { onAck(data: Buffer): void } | undefined;
  /** Octets the server may still send us on the connection, and those not yet acknowledged. */
  recvWindow: number;
  recvUnacked: number;
  nextStreamId: number;
  /** Ends `call` (no error: success); `rstCode` resets its stream first. */
  finish(call: Call, err: StoreError | undefined, rstCode?: number): void;
  /** The server's GOAWAY. */
  goaway(lastStreamId: number, code: number, debug: string): void;
  /** The server's first SETTINGS arrived. */
  opened(): void;
  /** Starts calls waiting for a free stream. */
  startWaiting(): void;
}
