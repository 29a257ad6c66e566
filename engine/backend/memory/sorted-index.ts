/**
 * An ordered set of items keyed by latin1 strings (so string order = byte order), as a list of
 * sorted leaves: the shape of Python's `sortedcontainers`. Each leaf holds up to
 * `2 * LEAF_SIZE` items; a parallel array holds each leaf's first key for a binary search.
 *
 * Worked example with LEAF_SIZE 2 (splitting at 4): inserting a..e gives
 *   leaves [[a, b], [c, d, e]]   firsts [a, c]
 * A lookup of "d" binary-searches `firsts` (-> leaf 1) then the leaf (-> index 1).
 *
 * Why not a B-tree: with a few hundred items per leaf both levels are plain array splices
 * (memmove) that stay cheap up to millions of keys, and range scans walk arrays, which is what
 * V8 is fastest at. No dependency to vet either.
 */

const LEAF_SIZE = 512;

/** An item the index orders by its `key`. */
export interface Keyed {
  readonly key: string;
}

/** Ordered set of `T` by `key` (latin1 strings; unique). */
export class SortedIndex<T extends Keyed> {
  private leaves: T[][] = [];
  private firsts: string[] = [];
  private count = 0;

  /** Number of items. */
  get size(): number {
    return this.count;
  }

  /** Index of the leaf that holds (or would hold) `key`. */
  private leafOf(key: string): number {
    const firsts = this.firsts;
    let lo = 0;
    let hi = firsts.length - 1;
    // Last leaf whose first key <= key; leaf 0 when key sorts before everything.
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (firsts[mid] <= key) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** First position in `leaf` whose key is >= `key`. */
  private static lowerBound<T extends Keyed>(leaf: T[], key: string): number {
    let lo = 0;
    let hi = leaf.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (leaf[mid].key < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Inserts `item`; the caller guarantees that its key is not present yet. */
  insert(item: T): void {
    this.count++;
    if (this.leaves.length === 0) {
      this.leaves.push([item]);
      this.firsts.push(item.key);
      return;
    }
    const li = this.leafOf(item.key);
    const leaf = this.leaves[li];
    const pos = SortedIndex.lowerBound(leaf, item.key);
    if (pos === leaf.length) leaf.push(item);
    else leaf.splice(pos, 0, item);
    if (pos === 0) this.firsts[li] = item.key;
    if (leaf.length > 2 * LEAF_SIZE) {
      const right = leaf.splice(LEAF_SIZE);
      this.leaves.splice(li + 1, 0, right);
      this.firsts.splice(li + 1, 0, right[0].key);
    }
  }

  /** Removes the item with `key`; returns whether it was present. */
  remove(key: string): boolean {
    if (this.leaves.length === 0) return false;
    const li = this.leafOf(key);
    const leaf = this.leaves[li];
    const pos = SortedIndex.lowerBound(leaf, key);
    if (pos === leaf.length || leaf[pos].key !== key) return false;
    this.count--;
    leaf.splice(pos, 1);
    if (leaf.length === 0) {
      this.leaves.splice(li, 1);
      this.firsts.splice(li, 1);
    } else if (pos === 0) {
      this.firsts[li] = leaf[0].key;
    }
    return true;
  }

  /**
   * Visits items with start <= key < end (end null = unbounded) in key order until `visit`
   * returns false.
   */
  scan(start: string, end: string | null, visit: (item: T) => boolean | void): void {
    const leaves = this.leaves;
    if (leaves.length === 0) return;
    let li = this.leafOf(start);
    let pos = SortedIndex.lowerBound(leaves[li], start);
    for (; li < leaves.length; li++, pos = 0) {
      const leaf = leaves[li];
      for (; pos < leaf.length; pos++) {
        const item = leaf[pos];
        if (end !== null && item.key >= end) return;
        if (visit(item) === false) return;
      }
    }
  }

  /** Every item in key order (for tests and snapshots). */
  *values(): IterableIterator<T> {
    for (const leaf of this.leaves) yield* leaf;
  }
}
