/**
 * The retained versions of one key, oldest first, as the changes that made them. Reads at a
 * revision pick the newest change with main <= revision; a delete change is a tombstone.
 *
 * Worked example (etcd's keyIndex generations, flattened). After put@2, put@3, del@4, put@5:
 *   changes [put@2, put@3, del@4, put@5]
 *   at(3) -> put@3    at(4) -> del@4 (absent)    at(1) -> none
 * compact(3) keeps the newest change <= 3 unless it is a tombstone:  [put@3, del@4, put@5]
 * compact(4) drops everything <= 4 because the newest is a tombstone: [put@5]
 */
import type { Change } from '../backend.ts';
import type { KeyValue } from '../../mvcc/types.ts';

/** The history of one key (latin1 `key`). */
export class KeyHistory {
  /** Retained changes, oldest first. */
  changes: Change[];

  /**
   * A key's history starts with its first change. The array is created as a one-element
   * literal: `[]` followed by `push` would reserve 17 slots (~150 bytes) for every key, most of
   * which (distinct-key writes) never get a second version, and every one of those bytes is
   * copied twice by the young-generation GC before it reaches old space.
   */
  constructor(
    readonly key: string,
    first: Change,
  ) {
    this.changes = [first];
  }

  /** The newest change with main <= `revision`, or undefined. */
  at(revision: number): Change | undefined {
    const changes = this.changes;
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
    const c = this.changes[this.changes.length - 1];
    return c !== undefined && c.type === 'put' ? c.kv : undefined;
  }

  /** Drops history below `revision` as etcd's keyIndex.compact does. */
  compact(revision: number): void {
    const changes = this.changes;
    let keepFrom = -1;
    for (let i = changes.length - 1; i >= 0; i--) {
      if (changes[i].main <= revision) {
        keepFrom = changes[i].type === 'delete' ? i + 1 : i;
        break;
      }
    }
    if (keepFrom > 0) this.changes = changes.slice(keepFrom);
  }

  /** True when nothing is retained (the key can leave the index). */
  get empty(): boolean {
    return this.changes.length === 0;
  }
}
