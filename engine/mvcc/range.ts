/**
 * Shaping a Range answer the way etcd's `rangeKeys` does (server/etcdserver/apply.go, 3.4):
 * the limit is pushed down to the engine (plus one, to tell `more`) only when the answer is in
 * plain key order and unfiltered; otherwise everything in the range is fetched, filtered by
 * min/max mod/create revision, sorted, and only then cut to `limit`. `count` is the number of
 * keys in the range before filtering and limiting.
 */
import type { KeyValue, RangeRequest, RangeResponse, ResponseHeader, SortTarget } from './types.ts';

const EMPTY = Buffer.alloc(0);

/** True when the request needs everything in the range before it can be cut to `limit`. */
function fetchesAll(req: RangeRequest): boolean {
  return (
    (req.sortOrder !== undefined && req.sortOrder !== 'NONE') ||
    (req.sortTarget !== undefined && req.sortTarget !== 'KEY') ||
    !!req.minModRevision ||
    !!req.maxModRevision ||
    !!req.minCreateRevision ||
    !!req.maxCreateRevision
  );
}

/** The limit to ask the engine for: 0 = everything. */
export function engineLimit(req: RangeRequest): number {
  const limit = req.limit ?? 0;
  if (limit <= 0 || fetchesAll(req)) return 0;
  return limit + 1;
}

function compareBy(target: SortTarget): (a: KeyValue, b: KeyValue) => number {
  switch (target) {
    case 'KEY':
      return (a, b) => Buffer.compare(a.key, b.key);
    case 'VERSION':
      return (a, b) => a.version - b.version;
    case 'CREATE':
      return (a, b) => a.createRevision - b.createRevision;
    case 'MOD':
      return (a, b) => a.modRevision - b.modRevision;
    case 'VALUE':
      return (a, b) => Buffer.compare(a.value, b.value);
  }
}

/** Turns what the engine returned (ascending key order) into etcd's RangeResponse. */
export function shapeRange(
  req: RangeRequest,
  fetched: KeyValue[],
  count: number,
  header: ResponseHeader,
): RangeResponse {
  if (req.countOnly) return { header, kvs: [], more: false, count };
  let kvs = fetched;
  const { minModRevision: minMod, maxModRevision: maxMod, minCreateRevision: minCreate, maxCreateRevision: maxCreate } = req;
  if (minMod || maxMod || minCreate || maxCreate) {
    kvs = kvs.filter(
      (kv) =>
        !(minMod && kv.modRevision < minMod) &&
        !(maxMod && kv.modRevision > maxMod) &&
        !(minCreate && kv.createRevision < minCreate) &&
        !(maxCreate && kv.createRevision > maxCreate),
    );
  }
  const target = req.sortTarget ?? 'KEY';
  let order = req.sortOrder ?? 'NONE';
  // etcd sorts ascending by default when a non-key target is named without an order.
  if (target !== 'KEY' && order === 'NONE') order = 'ASCEND';
  if (order !== 'NONE' && !(order === 'ASCEND' && target === 'KEY')) {
    const cmp = compareBy(target);
    // Stable sort over key-ordered input: ties stay in key order (both directions).
    kvs = kvs === fetched ? kvs.slice() : kvs;
    kvs.sort(order === 'ASCEND' ? cmp : (a, b) => cmp(b, a));
  }
  let more = false;
  const limit = req.limit ?? 0;
  if (limit > 0 && kvs.length > limit) {
    kvs = kvs.slice(0, limit);
    more = true;
  }
  if (req.keysOnly) {
    kvs = kvs.map((kv) => ({ ...kv, value: EMPTY }));
  }
  return { header, kvs, more, count };
}
