/**
 * Nanoseconds per message of the hand-written codec next to protobufjs (the library the etcd3
 * package uses through grpc-js), for the messages of the hot path: PutRequest, the txn of
 * txn-throughput, RangeResponse of one key, WatchResponse of one event.
 * `node --import tsx src/client/native/codec/codec-bench.ts` (figures are printed, not asserted).
 */
import { Bench } from 'tinybench';
import { ProtoWriter, decodeRange, decodeWatchResponse, encodePut, encodeTxn } from './index.ts';
import { pbDecode, pbEncode } from './test-proto.ts';
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

const bench = new Bench({ time: 500 });
bench
  .add('encode PutRequest (ours)', () => encodePut(w, key, value))
  .add('encode PutRequest (protobufjs)', () => PutRequest.encode(PutRequest.fromObject({ key: Buffer.from(key), value })).finish())
  .add('encode TxnRequest (ours)', () => encodeTxn(w, txn))
  .add('encode TxnRequest (protobufjs)', () => TxnRequest.encode(TxnRequest.fromObject(pbTxn)).finish())
  .add('decode RangeResponse, 1 kv (ours)', () => decodeRange(rangeBytes))
  .add('decode RangeResponse, 1 kv (protobufjs, toObject)', () => pbDecode('RangeResponse', rangeBytes))
  .add('decode WatchResponse, 1 event (ours)', () => decodeWatchResponse(watchBytes))
  .add('decode WatchResponse, 1 event (protobufjs, toObject)', () => pbDecode('WatchResponse', watchBytes));
await bench.run();
for (const t of bench.tasks) {
  const r = t.result as { latency?: { mean: number }; mean?: number } | undefined;
  const meanMs = r?.latency?.mean ?? r?.mean ?? NaN;
  console.log(`${t.name.padEnd(52)} ${(meanMs * 1e6).toFixed(0).padStart(6)} ns`);
}
