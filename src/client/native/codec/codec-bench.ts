/**
 * Nanoseconds per message of the hand-written codec next to protobufjs (the library the etcd3
 * package uses through grpc-js), for the messages of the hot path: PutRequest, the txn of
 * txn-throughput, RangeResponse of one key, WatchResponse of one event.
 * `node --import tsx src/client/native/codec/codec-bench.ts` (CPU time per call; printed, not asserted).
 */
import { ProtoWriter, decodeRange, decodeWatchResponse, encodePut, encodeTxn } from './index.ts';
import { pbDecode, pbEncode } from './protobufjs.test-support.ts';
import { protoType } from '../../../server/proto.ts';

const w = new ProtoWriter();
const value = Buffer.alloc(256, 0x61);
const key = '/load-test/client-12/key-345';
const txn = { compare: [{ key, target: 'version' as const, result: '==' as const, value: 0 }], success: [{ put: { key, value } }], failure: [{ range: { key } }] };
const rangeBytes = pbEncode('RangeResponse', { header: { clusterId: '14841639068965178418', memberId: '10276657743932975437', revision: 123456, raftTerm: 2 }, kvs: [{ key: Buffer.from(key), value, createRevision: 100, modRevision: 123456, version: 3 }], count: 1 });
const watchBytes = pbEncode('WatchResponse', { header: { revision: 123456 }, watchId: 3, events: [{ type: 0, kv: { key: Buffer.from(key), value, createRevision: 100, modRevision: 123456, version: 3 } }] });
const PutRequest = protoType('etcdserverpb.PutRequest') as unknown as { encode(m: object): { finish(): Uint8Array }; fromObject(o: object): object };
const TxnRequest = protoType('etcdserverpb.TxnRequest') as unknown as typeof PutRequest;
const pbTxn = { compare: [{ key: Buffer.from(key), version: 0 }], success: [{ requestPut: { key: Buffer.from(key), value } }], failure: [{ requestRange: { key: Buffer.from(key) } }] };

/**
 * CPU nanoseconds per call of `f` (process CPU time over `n` calls after a warm-up): CPU time,
 * not wall time, so that other processes on a shared machine disturb the figure less.
 */
function cpuNsPerCall(f: () => unknown, n = 300_000): number {
  for (let i = 0; i < n / 5; i++) f();
  const t0 = process.cpuUsage();
  for (let i = 0; i < n; i++) f();
  const t = process.cpuUsage(t0);
  return ((t.user + t.system) * 1000) / n;
}

const cases: [string, () => unknown][] = [
  ['encode PutRequest (ours)', () => encodePut(w, key, value)],
  ['encode PutRequest (protobufjs)', () => PutRequest.encode(PutRequest.fromObject({ key: Buffer.from(key), value })).finish()],
  ['encode TxnRequest (ours)', () => encodeTxn(w, txn)],
  ['encode TxnRequest (protobufjs)', () => TxnRequest.encode(TxnRequest.fromObject(pbTxn)).finish()],
  ['decode RangeResponse, 1 kv (ours)', () => decodeRange(rangeBytes)],
  ['decode RangeResponse, 1 kv (protobufjs, toObject)', () => pbDecode('RangeResponse', rangeBytes)],
  ['decode WatchResponse, 1 event (ours)', () => decodeWatchResponse(watchBytes)],
  ['decode WatchResponse, 1 event (protobufjs, toObject)', () => pbDecode('WatchResponse', watchBytes)],
];
for (const [name, f] of cases) console.log(`${name.padEnd(52)} ${cpuNsPerCall(f).toFixed(0).padStart(6)} ns CPU`);
