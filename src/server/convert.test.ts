import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MvccEvent } from '../../engine/mvcc/types.ts';
import { chunkEvents, toWatchCreateRequest, toWireEvents } from './convert.ts';

const key = Buffer.from('k');

function event(rev: number, valueBytes: number): MvccEvent {
  return { type: 'PUT', kv: { key, createRevision: rev, modRevision: rev, version: 1, value: Buffer.alloc(valueBytes), lease: 0 } };
}

describe('wire conversion', () => {
  it('maps watch filter numbers to the store\'s names, in etcd\'s proto order', () => {
    assert.deepEqual(toWatchCreateRequest({ key, filters: [0, 1], watchId: 7 }).filters, ['NOPUT', 'NODELETE']);
    assert.equal('watchId' in toWatchCreateRequest({ key, watchId: 7 }), false);
    assert.throws(() => toWatchCreateRequest({ key, filters: [2] }), /etcdserver: invalid watch filter/);
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
