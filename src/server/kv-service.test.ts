/**
 * The KV service through its hand-written codec on every transport (raw, h2, grpc-js), with
 * request bytes written by protobufjs (or by hand, for malformed ones) and answers read back by
 * proto-loader: what etcd refuses in a well-formed request is INVALID_ARGUMENT with etcd's
 * message (the request size first, then the content), bytes that are not protobuf are INTERNAL
 * "Error deserializing request" (grpc-js's answer), and answers carry what the store did.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { credentials, makeGenericClientConstructor, status, type Client, type MethodDefinition, type ServiceError } from '@grpc/grpc-js';
import { pbEncode } from '../client/native/codec/protobufjs.test-support.ts';
import { loadEtcdServices } from './proto.ts';
import { serveOnEveryTransport, TRANSPORTS, type EveryTransport } from './testing/every-transport.ts';

type Method = MethodDefinition<object, object>;
const KV = loadEtcdServices().KV as unknown as Record<string, Method>;

/** The KV service with requests sent as given bytes; answers decoded by proto-loader. */
const RAW_KV = Object.fromEntries(Object.entries(KV).map(([name, m]) => [name, { ...m, requestSerialize: (b: Buffer) => b }]));
const RawClient = makeGenericClientConstructor(RAW_KV as never, 'KV');

type Answer = { err: ServiceError | null; res: Record<string, unknown> | undefined };

function send(client: Client, method: string, bytes: Buffer): Promise<Answer> {
  return new Promise((resolve) => {
    (client as unknown as Record<string, (req: Buffer, cb: (err: ServiceError | null, res?: Record<string, unknown>) => void) => void>)[method]!(bytes, (err, res) => resolve({ err, res }));
  });
}

function refused(a: Answer, code: status, details: RegExp): void {
  assert.equal(a.err?.code, code, `code of ${a.err?.details ?? 'an answer'}`);
  assert.match(a.err?.details ?? '', details);
}

const k = (s: string): Buffer => Buffer.from(s);

describe('KV service through serve\'s codec', () => {
  let served: EveryTransport | undefined;
  let servers: EveryTransport['servers'];

  before(async () => {
    served = await serveOnEveryTransport('kv-service');
    ({ servers } = served);
  });
  after(async () => {
    await served?.stop();
  });

  for (const transport of TRANSPORTS) {
    describe(transport, () => {
      let client: Client;
      before(() => {
        client = new RawClient(servers.get(transport)!.address, credentials.createInsecure());
      });
      after(() => client.close());

      it('answers Put, Range, Txn (nested) and DeleteRange with what the store did', async () => {
        const put = await send(client, 'Put', pbEncode('PutRequest', { key: k(`/${transport}/a`), value: k('1') }));
        assert.equal(put.err, null);
        const rev = (put.res!.header as { revision: number }).revision;
        assert.ok(rev > 0);
        const again = await send(client, 'Put', pbEncode('PutRequest', { key: k(`/${transport}/a`), value: k('2'), prevKv: true }));
        assert.equal((again.res!.prevKv as { value: Buffer }).value.toString(), '1');
        const range = await send(client, 'Range', pbEncode('RangeRequest', { key: k(`/${transport}/`), rangeEnd: k(`/${transport}0`), sortOrder: 2 }));
        assert.deepEqual((range.res!.kvs as { key: Buffer; value: Buffer; version: number }[]).map((kv) => [kv.key.toString(), kv.value.toString(), kv.version]), [[`/${transport}/a`, '2', 2]]);
        const txn = await send(client, 'Txn', pbEncode('TxnRequest', {
          compare: [{ key: k(`/${transport}/a`), target: 0, result: 0, version: 2 }],
          success: [{ requestTxn: { success: [{ requestPut: { key: k(`/${transport}/b`), value: k('3') } }] } }, { requestRange: { key: k(`/${transport}/a`) } }],
        }));
        assert.equal(txn.err, null);
        assert.equal(txn.res!.succeeded, true);
        const ops = txn.res!.responses as { response: string; responseRange?: { kvs: { value: Buffer }[] } }[];
        assert.deepEqual(ops.map((o) => o.response), ['responseTxn', 'responseRange']);
        assert.equal(ops[1]!.responseRange!.kvs[0]!.value.toString(), '2');
        const del = await send(client, 'DeleteRange', pbEncode('DeleteRangeRequest', { key: k(`/${transport}/`), rangeEnd: k(`/${transport}0`) }));
        assert.equal(del.res!.deleted, 2);
      });

      it('refuses enums outside the proto and an empty txn op with etcd\'s messages', async () => {
        refused(await send(client, 'Range', pbEncode('RangeRequest', { key: k('/e'), sortTarget: 9 })), status.INVALID_ARGUMENT, /^etcdserver: invalid sort option$/);
        refused(await send(client, 'Txn', pbEncode('TxnRequest', { compare: [{ key: k('/e'), target: 9 }] })), status.INVALID_ARGUMENT, /^etcdserver: invalid compare target$/);
        refused(await send(client, 'Txn', pbEncode('TxnRequest', { failure: [{}] })), status.INVALID_ARGUMENT, /^etcdserver: key not found$/);
        // Size comes first, as etcd checks it before the request's content.
        refused(await send(client, 'Txn', pbEncode('TxnRequest', { success: [{}, { requestPut: { key: k('/e'), value: Buffer.alloc(2000) } }] })), status.INVALID_ARGUMENT, /^etcdserver: request is too large$/);
      });

      it('answers bytes that are not protobuf INTERNAL, and keeps serving', async () => {
        refused(await send(client, 'Put', Buffer.from([0x0a, 0x05, 0x6b])), status.INTERNAL, /^Error deserializing request/);
        refused(await send(client, 'Txn', Buffer.from([0x12, 0x02, 0x12, 0x09, 0, 0])), status.INTERNAL, /^Error deserializing request/);
        refused(await send(client, 'Range', Buffer.from([0x0f])), status.INTERNAL, /^Error deserializing request/);
        const ok = await send(client, 'Range', pbEncode('RangeRequest', { key: k('/after') }));
        assert.equal(ok.err, null);
        assert.equal(ok.res!.count, 0);
      });
    });
  }
});
