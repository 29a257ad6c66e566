/**
 * Errors of the write-ahead log. Corruption is never repaired silently: it stops start-up with
 * an error that names the file and the byte offset, so an operator can look at the damage.
 */

/**
 * Durable data in a WAL segment or snapshot is damaged (a bad checksum with valid records after
 * it, a damaged older segment, a gap in record indexes, or no usable snapshot).
 */
export class WalCorruptionError extends Error {
  override readonly name = 'WalCorruptionError';
  /** Absolute path of the damaged file. */
  readonly file: string;
  /** Byte offset in `file` where the damage starts. */
  readonly offset: number;

  constructor(file: string, offset: number, reason: string, options?: ErrorOptions) {
    super(`wal: ${file} is corrupt at byte offset ${offset}: ${reason}`, options);
    this.file = file;
    this.offset = offset;
  }
}

/** A write or sync failed; the log refuses further appends, since what reached disk is unknown. */
export class WalWriteError extends Error {
  override readonly name = 'WalWriteError';
}
