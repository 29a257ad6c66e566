/**
 * etcd's Maintenance service, as far as one member without raft has it: Status (etcdctl
 * `endpoint status`), Hash and HashKV (a CRC-32 of the key space, for comparing two
 * MetaStore-TS servers; not comparable with etcd's hash of its bolt file), Defragment (the
 * store's optional `defragment`), and Alarm (no alarms are ever raised: GET answers none).
 * Snapshot, MoveLeader and Downgrade are not offered (gRPC UNIMPLEMENTED).
 *
 * Also etcd's Cluster service: MemberList answers the single member.
 */
import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import { crc32 } from '@node-rs/crc32';
import type { MetaStore } from '../../engine/mvcc/kv.ts';
import { unary, type ServiceContext } from './context.ts';

/** Name this member reports in MemberList (etcd's default member name is `default`). */
export const MEMBER_NAME = 'metastore-ts';
const HASH_PAGE_KEYS = 1000;

/**
 * CRC-32 of every key-value (key, value, create/mod revision, version, lease) visible at
 * `revision` (0 = current), read in pages of 1,000 keys in key order.
 */
export async function hashKeySpace(store: MetaStore, revision: number): Promise<{ hash: number; revision: number }> {
  let hash = 0;
  let key = Buffer.from([0]);
  const end = Buffer.from([0]);
  let rev = revision;
  const nums = Buffer.alloc(32);
  for (;;) {
    const page = await store.range({ key, rangeEnd: end, revision: rev, limit: HASH_PAGE_KEYS });
    // Later pages read at the first page's revision, so the hash is of one consistent state.
    rev = page.header.revision;
    for (const kv of page.kvs) {
      hash = crc32(kv.key, hash);
      hash = crc32(kv.value, hash);
      nums.writeDoubleLE(kv.createRevision, 0);
      nums.writeDoubleLE(kv.modRevision, 8);
      nums.writeDoubleLE(kv.version, 16);
      nums.writeDoubleLE(kv.lease, 24);
      hash = crc32(nums, hash);
    }
    if (!page.more || page.kvs.length === 0) break;
    key = Buffer.concat([page.kvs[page.kvs.length - 1].key, Buffer.from([0])]);
  }
  return { hash: hash >>> 0, revision: rev };
}

/** Handlers for `etcdserverpb.Maintenance`. */
export function maintenanceService(ctx: ServiceContext): UntypedServiceImplementation {
  const { store } = ctx;
  return {
    Status: unary(ctx, async () => {
      const s = await store.status();
      return {
        header: s.header,
        version: s.version,
        dbSize: s.dbSize,
        // The one member is always the leader.
        leader: s.header.memberId,
        raftIndex: s.header.revision,
        raftTerm: s.header.raftTerm,
        raftAppliedIndex: s.header.revision,
        errors: [],
        dbSizeInUse: s.dbSizeInUse,
        isLearner: false,
      };
    }),
    Hash: unary(ctx, async () => {
      const { hash } = await hashKeySpace(store, 0);
      return { header: store.header(), hash };
    }),
    HashKV: unary(ctx, async (req: { revision: number }) => {
      const { hash } = await hashKeySpace(store, req.revision);
      const { compactRevision } = await store.status();
      return { header: store.header(), hash, compactRevision };
    }),
    Defragment: unary(ctx, async () => {
      if (store.defragment) {
        const { beforeBytes, afterBytes } = await store.defragment();
        ctx.log('info', `defragment: ${beforeBytes} -> ${afterBytes} bytes on disk`);
      } else {
        ctx.log('info', 'defragment: this store has nothing to defragment');
      }
      return { header: store.header() };
    }),
    Alarm: unary(ctx, () => ({ header: store.header(), alarms: [] })),
  };
}

/** Handlers for `etcdserverpb.Cluster` (MemberList only; membership changes are refused). */
export function clusterService(ctx: ServiceContext): UntypedServiceImplementation {
  return {
    MemberList: unary(ctx, () => {
      const header = ctx.store.header();
      return {
        header,
        members: [{ ID: header.memberId, name: MEMBER_NAME, peerURLs: [], clientURLs: [ctx.clientUrl()], isLearner: false }],
      };
    }),
  };
}
