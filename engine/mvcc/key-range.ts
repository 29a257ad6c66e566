/**
 * Keys as the store handles them internally: latin1 strings, one char per byte, so that the
 * JavaScript string order is exactly etcd's byte order and a key can be a Map key without
 * copying it into a hex or base64 form.
 *
 * A key range follows etcd's `range_end` conventions:
 *   rangeEnd absent or empty  -> the single key `key`
 *   rangeEnd = "\0"           -> every key >= key (from-key; with key "\0" that is every key)
 *   otherwise                 -> [key, rangeEnd), empty when rangeEnd <= key
 */

/** A normalised range: `end` undefined = the single key `start`; `end` null = unbounded. */
export interface KeySpan {
  start: string;
  end: string | null | undefined;
}

/** The latin1 string form of a key (byte order = string order). */
export function keyString(key: Buffer): string {
  return key.toString('latin1');
}

/** The Buffer form of a latin1 key string. */
export function keyBuffer(key: string): Buffer {
  return Buffer.from(key, 'latin1');
}

/** Normalises etcd's (key, rangeEnd) pair. */
export function toSpan(key: Buffer, rangeEnd: Buffer | undefined): KeySpan {
  const start = keyString(key);
  if (rangeEnd === undefined || rangeEnd.length === 0) return { start, end: undefined };
  if (rangeEnd.length === 1 && rangeEnd[0] === 0) return { start, end: null };
  return { start, end: keyString(rangeEnd) };
}

/** True when `key` lies in the span. */
export function spanHas(span: KeySpan, key: string): boolean {
  if (span.end === undefined) return key === span.start;
  if (key < span.start) return false;
  return span.end === null || key < span.end;
}

/** True when the span selects more than (possibly) one key. */
export function isMultiKey(rangeEnd: Buffer | undefined): boolean {
  return rangeEnd !== undefined && rangeEnd.length > 0;
}
