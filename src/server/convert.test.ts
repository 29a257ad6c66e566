import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EtcdError } from '../../engine/mvcc/errors.ts';
import type { MvccEvent } from '../../engine/mvcc/types.ts';
import { INVALID_SORT_OPTION, chunkEvents, toRangeRequest, toTxnRequest, toWatchCreateRequest, toWireEvents } from './convert.ts';

const key = Buffer.from('k');

function event(rev: number, valueBytes: number): MvccEvent {
  return { type: 'PUT', kv: { key, createRevision: rev, modRevision: rev, version: 1, value: Buffer.alloc(valueBytes), lease: 0 } };
}

describe('wire conversion', () => {
  it('maps enum numbers to the store\'s names, in etcd\'s proto order', () => {
    const r = toRangeRequest({ key, sortOrder: 2, sortTarget: 4 });
    assert.equal(r.sortOrder, 'DESCEND');
    assert.equal(r.sortTarget, 'VALUE');
    assert.deepEqual(toWatchCreateRequest({ key, filters: [0, 1], watchId: 7 }).filters, ['NOPUT', 'NODELETE']);
    assert.equal('watchId' in toWatchCreateRequest({ key, watchId: 7 }), false);
  });

  it('refuses an unknown sort option with etcd\'s message', () => {
    assert.throws(() => toRangeRequest({ key, sortOrder: 9 }), (err: unknown) => err instanceof EtcdError && err.message === INVALID_SORT_OPTION && err.code === 'INVALID_ARGUMENT');
  });

  it('maps nested txns and fills the compare target a client left at zero', () => {
    const t = toTxnRequest({
      compare: [{ key, result: 3, target: 0 }, { key, result: 1, target: 3 }],
      success: [{ requestTxn: { compare: [], success: [{ requestRange: { key, sortOrder: 1 } }], failure: [] } }],
      failure: [{ requestPut: { key } }],
    });
    assert.deepEqual(
      t.compare?.map((c) => [c.result, c.target, c.version, c.value]),
      [['NOT_EQUAL', 'VERSION', 0, undefined], ['GREATER', 'VALUE', undefined, Buffer.alloc(0)]],
    );
    assert.equal(t.success?.[0].requestTxn?.success?.[0].requestRange?.sortOrder, 'ASCEND');
    assert.deepEqual(t.failure, [{ requestPut: { key } }]);
    assert.throws(() => toTxnRequest({ success: [{}] }), /etcdserver: key not found/);
  });

  it('encodes event types as wire numbers', () => {
    const del: MvccEvent = { type: 'DELETE', kv: event(3, 0).kv };
    assert.deepEqual(toWireEvents([event(2, 0), del]).map((e) => e.type), [0, 1]);
  });

  it('cuts events into bounded responses, never inside a revision', () => {
    const events = [event(1, 600), event(2, 600), event(2, 600), event(3, 600), event(4, 10)];
    const chunks = chunkEvents(events, 1000);
    assert.deepEqual(chunks.map((c) => c.map((e) => e.kv.modRevision)), [[1], [2, 2], [3, 4]]);
    assert.deepEqual(chunks.flat(), events);
    assert.deepEqual(chunkEvents([], 1000), []);
  });
});
