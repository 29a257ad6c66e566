/**
 * Protocol errors found while reading a peer's frames: a connection error ends the whole
 * connection with GOAWAY, a stream error only one stream with RST_STREAM (RFC 9113 §5.4).
 */
import { errorCodeName } from './constants.ts';

/**
 * An HTTP/2 protocol error. `streamId` 0 means a connection error (send GOAWAY with `code`,
 * then close); a non-zero id is a stream error (send RST_STREAM with `code` on that stream).
 */
export class H2Error extends Error {
  override readonly name = 'H2Error';
  constructor(
    /** RFC 9113 error code, see `ErrorCode`. */
    readonly code: number,
    message: string,
    /** 0 for a connection error, else the stream to reset. */
    readonly streamId = 0,
    options?: ErrorOptions,
  ) {
    super(`${errorCodeName(code)}: ${message}`, options);
  }

  /** The name of `code`, e.g. `FRAME_SIZE_ERROR`. */
  get codeName(): string {
    return errorCodeName(this.code);
  }

  /** True when the whole connection must end. */
  get isConnectionError(): boolean {
    return this.streamId === 0;
  }
}
