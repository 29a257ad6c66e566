/**
 * The retained versions of one key, oldest first, as the changes that made them. Reads at a
 * revision pick the newest change with main <= revision; a delete change is a tombstone.
 *
 * Worked example (etcd's keyIndex generations, flattened). After put@2, put@3, del@4, put@5:
 *   changes [put@2, put@3, del@4, put@5]
 *   at(3) -> put@3    at(4) -> del@4 (absent)    at(1) -> none
 * compact(3) keeps the newest change <= 3 unless it is a tombstone:  [put@3, del@4, put@5]
 * compact(4) drops everything <= 4 because the newest is a tombstone: [put@5]
 *
 * Storage: a key with one retained change (every key written once, the common case of
 * distinct-key writes) holds that change directly, with no array; a second change turns it
 * into an array. What each write keeps is copied twice by V8's young-generation collector
 * before it settles in old space, so the ~56 bytes of a one-element array per key count.
 */
import type { Change } from '../backend.ts';
import type { KeyValue } from '../../mvcc/types.ts';

/** The history of one key (latin1 `key`). */
export class KeyHistory {
  /** The only retained change, or all of them oldest first (an empty array: none). */
  private versions: Change | Change[];

  /** A key's history starts with its first change. */
  constructor(
    readonly key: string,
    first: Change,
  ) {
    this.versions = first;
  }

  /** Retained changes, oldest first (a fresh array when there is one). */
  get changes(): readonly Change[] {
    const v = this.versions;
    return Array.isArray(v) ? v : [v];
  }

  /** The oldest retained change, or undefined. */
  get oldest(): Change | undefined {
    const v = this.versions;
    return Array.isArray(v) ? v[0] : v;
  }

  /** Appends the newest change (main above every retained one). */
  push(c: Change): void {
    const v = this.versions;
    if (Array.isArray(v)) v.push(c);
    else this.versions = [v, c];
  }

  /** The newest change with main <= `revision`, or undefined. */
  at(revision: number): Change | undefined {
    const changes = this.versions;
    if (!Array.isArray(changes)) return changes.main <= revision ? changes : undefined;
    const last = changes.length - 1;
    if (last < 0) return undefined;
    if (changes[last].main <= revision) return changes[last];
    let lo = 0;
    let hi = last - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (changes[mid].main <= revision) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found < 0 ? undefined : changes[found];
  }

  /** The live value at `revision`, or undefined when absent or deleted. */
  valueAt(revision: number): KeyValue | undefined {
    const c = this.at(revision);
    return c !== undefined && c.type === 'put' ? c.kv : undefined;
  }

  /** The newest value, or undefined when the key is deleted. */
  latest(): KeyValue | undefined {
    const v = this.versions;
    const c = Array.isArray(v) ? v[v.length - 1] : v;
    return c !== undefined && c.type === 'put' ? c.kv : undefined;
  }

  /** Drops history below `revision` as etcd's keyIndex.compact does. */
  compact(revision: number): void {
    const v = this.versions;
    if (!Array.isArray(v)) {
      // A lone tombstone at or below the compaction point goes; a lone put stays.
      if (v.main <= revision && v.type === 'delete') this.versions = [];
      return;
    }
    let keepFrom = -1;
    for (let i = v.length - 1; i >= 0; i--) {
      if (v[i].main <= revision) {
        keepFrom = v[i].type === 'delete' ? i + 1 : i;
        break;
      }
    }
    if (keepFrom > 0) this.versions = v.slice(keepFrom);
  }

  /** True when nothing is retained (the key can leave the index). */
  get empty(): boolean {
    const v = this.versions;
    return Array.isArray(v) && v.length === 0;
  }
}
