/**
 * serve's method definitions (`proto.ts`) against proto-loader's own: for answers a real memory
 * store produced (ranges, puts and deletes with previous values, nested txns), the KV codec's
 * bytes decode as proto-loader's encoding of them does (they leave proto3 defaults out, so the
 * bytes differ); the direct protobufjs encoders of the other services (watch events, lease and
 * maintenance answers) give the same bytes. Requests: KV methods decode into the store's types.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { MethodDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { openStore, type MetaStore } from '../../engine/index.ts';
import { etcdProtoPath, loadEtcdServices, requestSize } from './proto.ts';
import { tempDir } from './test-support.ts';

type Method = MethodDefinition<object, object>;

const reference = loadSync(etcdProtoPath(), { keepCase: false, longs: Number, enums: Number, defaults: true, oneofs: true });
const ours = loadEtcdServices();

function referenceMethod(service: string, method: string): Method {
  return (reference[`etcdserverpb.${service}`] as unknown as Record<string, Method>)[method];
}

/** The KV codec's answer reads back, through proto-loader, as proto-loader's own encoding does. */
function sameAnswer(method: string, response: object): void {
  const mine = (ours.KV as unknown as Record<string, Method>)[method].responseSerialize(response);
  const ref = referenceMethod('KV', method);
  assert.deepEqual(ref.responseDeserialize(mine), ref.responseDeserialize(ref.responseSerialize(response)), `KV.${method}: same answer as proto-loader`);
}

function sameBytes(service: keyof typeof ours, method: string, response: object): void {
  const mine = (ours[service] as unknown as Record<string, Method>)[method].responseSerialize(response);
  const theirs = referenceMethod(service, method).responseSerialize(response);
  assert.ok(mine.length > 0, `${service}.${method}: encodes something`);
  assert.deepEqual(mine, theirs, `${service}.${method}: same bytes as proto-loader`);
}

describe('direct response encoders', () => {
  let store: MetaStore;
  let dir: Awaited<ReturnType<typeof tempDir>>;

  before(async () => {
    dir = await tempDir('proto');
    store = await openStore({ engine: 'memory', dataDir: join(dir.path, 'data'), sync: 'none', snapshotCount: 10000, log: () => undefined });
  });
  after(async () => {
    await store.close();
    await dir.remove();
  });

  it('encode KV answers that read back as proto-loader\'s encoding of them', async () => {
    const k = (s: string): Buffer => Buffer.from(s);
    const lease = await store.leaseGrant(60, 0);
    sameAnswer('Put', await store.put({ key: k('a'), value: k('1') }));
    sameAnswer('Put', await store.put({ key: k('a'), value: k('22'), prevKv: true, lease: lease.id }));
    await store.put({ key: k('b'), value: Buffer.alloc(300, 7) });
    sameAnswer('Range', await store.range({ key: k('a'), rangeEnd: k('z') }));
    sameAnswer('Range', await store.range({ key: k('a'), rangeEnd: k('z'), limit: 1, keysOnly: true }));
    sameAnswer('Range', await store.range({ key: k('nothing') }));
    sameAnswer('Txn', await store.txn({
      compare: [{ key: k('a'), result: 'EQUAL', target: 'VERSION', version: 2 }],
      success: [
        { requestRange: { key: k('a'), rangeEnd: k('z') } },
        { requestPut: { key: k('c'), value: k('3'), prevKv: true } },
        { requestTxn: { compare: [], success: [{ requestDeleteRange: { key: k('b'), prevKv: true } }], failure: [] } },
      ],
      failure: [],
    }));
    sameAnswer('DeleteRange', await store.deleteRange({ key: k('a'), rangeEnd: k('z'), prevKv: true }));
    sameAnswer('Compact', await store.compact({ revision: store.header().revision }));
  });

  it('encode watch, lease and maintenance answers exactly as proto-loader does', async () => {
    const kv = { key: Buffer.from('w'), createRevision: 2, modRevision: 5, version: 3, value: Buffer.from('v'), lease: 0 };
    const header = store.header();
    sameBytes('Watch', 'Watch', { header, watchId: 3, events: [{ type: 0, kv, prevKv: { ...kv, modRevision: 4, version: 2 } }, { type: 1, kv: { ...kv, value: Buffer.alloc(0) } }] });
    sameBytes('Watch', 'Watch', { header, watchId: -1, created: true, canceled: true, compactRevision: 7, cancelReason: 'etcdserver: mvcc: required revision has been compacted' });
    sameBytes('Lease', 'LeaseGrant', { header, ID: 2 ** 40 + 3, TTL: 60, error: '' });
    sameBytes('Lease', 'LeaseTimeToLive', { header, ID: 9, TTL: -1, grantedTTL: 0, keys: [Buffer.from('x')] });
    sameBytes('Lease', 'LeaseKeepAlive', { header, ID: 9, TTL: 0 });
    sameBytes('Maintenance', 'Status', { header, version: '3.4.0', dbSize: 12345, leader: header.memberId, raftIndex: 8, raftTerm: 1, raftAppliedIndex: 8, errors: [], dbSizeInUse: 100, isLearner: false });
    sameBytes('Cluster', 'MemberList', { header, members: [{ ID: header.memberId, name: 'metastore-ts', peerURLs: [], clientURLs: ['http://127.0.0.1:2379'], isLearner: false }] });
  });

  it('decodes KV requests into the store\'s types', () => {
    const kv = ours.KV as unknown as Record<string, Method>;
    const range = referenceMethod('KV', 'Range').requestSerialize({ key: Buffer.from('k'), sortOrder: 2 });
    assert.equal((kv.Range.requestDeserialize(range) as { sortOrder: string }).sortOrder, 'DESCEND');
  });

  it('tags write requests with their wire size, and only those', () => {
    const kv = ours.KV as unknown as Record<string, Method>;
    const put = referenceMethod('KV', 'Put').requestSerialize({ key: Buffer.from('k'), value: Buffer.alloc(100) });
    assert.equal(requestSize(kv.Put.requestDeserialize(put)), put.length);
    const range = referenceMethod('KV', 'Range').requestSerialize({ key: Buffer.from('k') });
    assert.equal(requestSize(kv.Range.requestDeserialize(range)), 0);
  });
});
