/**
 * The micro-benchmark cases: single engine operations, in-process, one at a time (no gRPC, no
 * concurrency, so no group commit). Each names what one measured iteration does; setup that
 * must not be timed (putting the key a Delete removes, the garbage a compaction drops) happens in
 * `beforeEach`, which tinybench does not time.
 *
 * Stores: the main store is opened with `sync: none` so the figures show the engine's own cost
 * (index, MVCC, encoding, log write without fsync); a second store opened with `sync: always`
 * serves only `log-append-fsync`, which shows what durability adds: for the memory engine a WAL
 * append plus fdatasync, for RocksDB a synced WriteBatch.
 */
import type { MetaStore } from '../../engine/index.ts';

/** What a case works with. */
export interface CaseContext {
  /**
   * The store: opened with `sync: none` and preloaded with {@link RANGE_KEYS} keys under
   * `/micro/range/`, or, for a case marked `synced`, a fresh store opened with `sync: always`.
   */
  readonly store: MetaStore;
}

/** One micro-benchmark case. */
export interface MicroCase {
  /** Stable name: the `case` field of the `micro` event and the report's row. */
  readonly name: string;
  /** What one measured iteration does. */
  readonly what: string;
  /** Runs on a store opened with `sync: always` instead of the main one. */
  readonly synced?: boolean;
  /** Builds the iteration (and its untimed hooks) for a context. */
  readonly make: (ctx: CaseContext) => CaseRun;
}

/** The functions handed to tinybench for one case. */
export interface CaseRun {
  fn: () => Promise<unknown>;
  beforeEach?: () => Promise<void>;
  afterEach?: () => Promise<void>;
  /** Runs once after the case (free what it accumulated). */
  cleanup?: () => Promise<void>;
}

/** Keys preloaded under `/micro/range/` (the Range and Get-hit cases read them). */
export const RANGE_KEYS = 1000;

const b = (s: string): Buffer => Buffer.from(s);
const RANGE_PREFIX = b('/micro/range/');
// The prefix's range end: the prefix with its last byte incremented ('/' + 1 = '0').
const RANGE_END = b('/micro/range0');
const VALUE_64 = Buffer.alloc(64, 0x61);
const VALUE_100 = Buffer.alloc(100, 0x62);
const VALUE_1MIB = Buffer.alloc(1024 * 1024, 0x63);
/** Overwrites a key space of this many keys, so the Put cases do not only ever create keys. */
const PUT_KEYS = 10_000;
/** Revisions of garbage each compaction iteration drops. */
const COMPACT_GARBAGE = 100;
/** The 1 MiB case compacts its history every this many iterations (untimed) to bound memory. */
const LARGE_VALUE_COMPACT_EVERY = 16;

/** Name of the range key `i` (zero-padded so keys sort in numeric order). */
export function rangeKey(i: number): Buffer {
  return b(`/micro/range/${String(i).padStart(6, '0')}`);
}

function putCase(name: string, what: string, prefix: string, value: Buffer, compactEvery = 0): MicroCase {
  return {
    name,
    what,
    make: ({ store: main }) => {
      let i = 0;
      return {
        fn: () => main.put({ key: b(`${prefix}${i++ % PUT_KEYS}`), value }),
        afterEach:
          compactEvery > 0
            ? async () => {
                if (i % compactEvery === 0) await compactAll(main);
              }
            : undefined,
        cleanup: () => compactAll(main),
      };
    },
  };
}

function rangeCase(limit: number): MicroCase {
  return {
    name: `range-${limit}`,
    what: `Range over ${RANGE_KEYS} keys of a prefix with limit ${limit}`,
    make: ({ store: main }) => ({ fn: () => main.range({ key: RANGE_PREFIX, rangeEnd: RANGE_END, limit }) }),
  };
}

/**
 * Drops all history up to the newest revision (untimed housekeeping between cases). Compacting a
 * revision that is already compacted is an error in etcd's semantics, so it is skipped then.
 */
export async function compactAll(store: MetaStore): Promise<void> {
  const { header, compactRevision } = await store.status();
  if (compactRevision < header.revision) await store.compact({ revision: header.revision });
}

/** Every case, in report order (at least the 14 DESIGN section 5 lists). */
export const MICRO_CASES: readonly MicroCase[] = [
  putCase('put', 'Put of a 64 B value over a 10,000-key space', '/micro/put/', VALUE_64),
  {
    name: 'get-hit',
    what: 'Get of an existing key',
    make: ({ store: main }) => {
      let i = 0;
      return { fn: () => main.range({ key: rangeKey(i++ % RANGE_KEYS) }) };
    },
  },
  {
    name: 'get-miss',
    what: 'Get of a key that does not exist',
    make: ({ store: main }) => {
      let i = 0;
      return { fn: () => main.range({ key: b(`/micro/absent/${i++}`) }) };
    },
  },
  {
    name: 'delete',
    what: 'DeleteRange of one existing key (its Put happens untimed before)',
    make: ({ store: main }) => {
      let i = 0;
      return {
        beforeEach: async () => {
          await main.put({ key: b(`/micro/del/${i}`), value: VALUE_64 });
        },
        fn: () => main.deleteRange({ key: b(`/micro/del/${i++}`) }),
        cleanup: () => compactAll(main),
      };
    },
  },
  rangeCase(10),
  rangeCase(100),
  rangeCase(1000),
  {
    name: 'range-count-only',
    what: `Range count_only over ${RANGE_KEYS} keys`,
    make: ({ store: main }) => ({ fn: () => main.range({ key: RANGE_PREFIX, rangeEnd: RANGE_END, countOnly: true }) }),
  },
  {
    name: 'txn',
    what: 'Txn If(Version(k)=0) Then Put(k) Else Get(k) on a fresh key (the Put branch)',
    make: ({ store: main }) => {
      let i = 0;
      return {
        fn: () => {
          const key = b(`/micro/txn/${i++}`);
          return main.txn({
            compare: [{ key, target: 'VERSION', result: 'EQUAL', version: 0 }],
            success: [{ requestPut: { key, value: VALUE_64 } }],
            failure: [{ requestRange: { key } }],
          });
        },
        cleanup: () => compactAll(main),
      };
    },
  },
  {
    name: 'watch-notify',
    what: 'Put to a watched key until the watcher has received the event',
    make: ({ store: main }) => {
      const key = b('/micro/watch/k');
      let notified: (() => void) | undefined;
      const handle = main.watch({ key }, (n) => {
        if (n.events.length > 0) notified?.();
      });
      return {
        fn: async () => {
          const seen = new Promise<void>((resolve) => {
            notified = resolve;
          });
          await main.put({ key, value: VALUE_64 });
          await seen;
        },
        cleanup: async () => {
          handle.cancel();
          await compactAll(main);
        },
      };
    },
  },
  {
    name: 'lease-grant-put-revoke',
    what: 'LeaseGrant, Put attached to the lease, LeaseRevoke (deletes the key)',
    make: ({ store: main }) => {
      let i = 0;
      return {
        fn: async () => {
          const { id } = await main.leaseGrant(60);
          await main.put({ key: b(`/micro/lease/${i++}`), value: VALUE_64, lease: id });
          await main.leaseRevoke(id);
        },
        cleanup: () => compactAll(main),
      };
    },
  },
  putCase('value-100B', 'Put of a 100 B value', '/micro/v100/', VALUE_100),
  putCase('value-1MiB', 'Put of a 1 MiB value (history compacted untimed every 16 puts)', '/micro/v1m/', VALUE_1MIB, LARGE_VALUE_COMPACT_EVERY),
  {
    name: 'compaction',
    what: `Compact at the newest revision, dropping ${COMPACT_GARBAGE} overwritten revisions (written untimed before)`,
    make: ({ store: main }) => {
      let round = 0;
      return {
        beforeEach: async () => {
          round++;
          await Promise.all(Array.from({ length: COMPACT_GARBAGE }, (_, k) => main.put({ key: b(`/micro/compact/${k}`), value: b(`v${round}`) })));
        },
        fn: () => main.compact({ revision: main.header().revision }),
      };
    },
  },
  {
    name: 'log-append-fsync',
    what: 'Put of a 64 B value with sync=always: WAL append + fdatasync (memory), synced WriteBatch (rocksdb)',
    synced: true,
    make: ({ store }) => {
      let i = 0;
      return { fn: () => store.put({ key: b(`/micro/sync/${i++ % PUT_KEYS}`), value: VALUE_64 }) };
    },
  },
];
