/**
 * The native client's end-to-end contract, one body run against every target (`metabench
 * serve` and the real etcd, see `client.test.ts`): KV with every option the scenarios use, txn
 * both branches and CAS, compaction, watch fan-out (100 watchers on one stream), cancel,
 * progress, leases, status, and etcd's refusals as StoreErrors with etcd's codes and messages.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { GrpcCode, StoreError, prefixEnd, type StoreClient, type WatchEvent } from '../types.ts';
import type { NativeClient } from './client.ts';

/** What the contract needs: a connected client (created in the suite's `before`). */
export interface ContractTarget {
  client(): StoreClient;
}

const str = (b: Buffer): string => b.toString();

/** Rejects with a StoreError of `code` whose message includes `text`. */
async function refused(p: Promise<unknown>, code: number, text: string): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof StoreError, `expected a StoreError, got ${String(err)}`);
    assert.equal(err.codeName, new StoreError(code, '').codeName, err.message);
    assert.ok(err.message.includes(text), `message ${JSON.stringify(err.message)} should include ${JSON.stringify(text)}`);
    return true;
  });
}

/** Resolves once `pred()` holds, checking after each event; fails after `ms` with `what`. */
function until(pred: () => boolean, what: () => string, ms = 20000): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => {
      clearInterval(poll);
      reject(new Error(`timed out waiting: ${what()}`));
    }, ms);
    const poll = setInterval(() => {
      if (!pred()) return;
      clearInterval(poll);
      clearTimeout(deadline);
      resolve();
    }, 5);
  });
}

/** Registers the contract's tests (call inside a `describe`). */
export function clientContract(t: ContractTarget): void {
  const c = (): StoreClient => t.client();

  it('put and range: one key, prefix, limit, revision, count only, keys only', async () => {
    const first = await c().put('/kv/a', '1');
    await c().put('/kv/b', '2');
    await c().put('/kv/c', '3');
    const second = await c().put('/kv/a', '1b', { prevKv: true });
    assert.equal(str(second.prevKv!.value), '1');
    assert.ok(second.header.revision > first.header.revision);

    const one = await c().range('/kv/a');
    assert.deepEqual(one.kvs.map((kv) => [str(kv.key), str(kv.value), kv.version]), [['/kv/a', '1b', 2]]);
    assert.equal(one.kvs[0]!.modRevision, second.header.revision);

    const all = await c().range('/kv/', { end: prefixEnd('/kv/') });
    assert.deepEqual(all.kvs.map((kv) => str(kv.key)), ['/kv/a', '/kv/b', '/kv/c']);
    assert.equal(all.count, 3);

    const limited = await c().range('/kv/', { end: prefixEnd('/kv/'), limit: 2 });
    assert.deepEqual([limited.kvs.length, limited.more, limited.count], [2, true, 3]);

    const old = await c().range('/kv/a', { revision: first.header.revision });
    assert.equal(str(old.kvs[0]!.value), '1');

    const counted = await c().range('/kv/', { end: prefixEnd('/kv/'), countOnly: true });
    assert.deepEqual([counted.kvs.length, counted.count], [0, 3]);

    const keys = await c().range('/kv/', { end: prefixEnd('/kv/'), keysOnly: true, sortOrder: 'descend', sortTarget: 'key' });
    assert.deepEqual(keys.kvs.map((kv) => [str(kv.key), kv.value.length]), [['/kv/c', 0], ['/kv/b', 0], ['/kv/a', 0]]);

    assert.deepEqual((await c().range('/kv/none')).kvs, []);
  });

  it('delete with prev kv, one key and a prefix', async () => {
    await c().put('/del/a', 'x');
    await c().put('/del/b', 'y');
    const one = await c().delete('/del/a', { prevKv: true });
    assert.deepEqual([one.deleted, one.prevKvs.map((kv) => str(kv.value))], [1, ['x']]);
    const rest = await c().delete('/del/', { end: prefixEnd('/del/'), prevKv: true });
    assert.deepEqual([rest.deleted, rest.prevKvs.map((kv) => str(kv.key))], [1, ['/del/b']]);
    assert.equal((await c().delete('/del/a')).deleted, 0);
  });

  it('txn: If(Version = 0) Then Put Else Get takes Then, then Else', async () => {
    const txn = () => c().txn({ compare: [{ key: '/txn/k', target: 'version', result: '==', value: 0 }], success: [{ put: { key: '/txn/k', value: 'first' } }], failure: [{ range: { key: '/txn/k' } }] });
    const a = await txn();
    assert.equal(a.succeeded, true);
    assert.ok('put' in a.responses[0]!);
    const b = await txn();
    assert.equal(b.succeeded, false);
    const r = b.responses[0]!;
    assert.ok('range' in r);
    assert.deepEqual(r.range.kvs.map((kv) => str(kv.value)), ['first']);
  });

  it('txn: compare-and-swap increments on mod revision, a stale one fails', async () => {
    const key = '/txn/counter';
    const incr = async (): Promise<boolean> => {
      const cur = (await c().range(key)).kvs[0];
      const value = cur ? Number(str(cur.value)) : 0;
      const res = await c().txn({ compare: [{ key, target: 'mod', result: '==', value: cur ? cur.modRevision : 0 }], success: [{ put: { key, value: String(value + 1) } }] });
      return res.succeeded;
    };
    const results = await Promise.all(Array.from({ length: 5 }, incr));
    let ok = results.filter(Boolean).length;
    while (ok < 10) if (await incr()) ok++;
    assert.equal(str((await c().range(key)).kvs[0]!.value), '10');
    const stale = await c().txn({ compare: [{ key, target: 'mod', result: '==', value: 1 }, { key, target: 'value', result: '==', value: '10' }], success: [{ deleteRange: { key } }] });
    assert.equal(stale.succeeded, false);
  });

  it('compact, then a read below it is refused with mvcc: required revision has been compacted', async () => {
    const a = await c().put('/cmp/k', 'old');
    const b = await c().put('/cmp/k', 'new');
    await c().compact(b.header.revision);
    await refused(c().range('/cmp/k', { revision: a.header.revision }), GrpcCode.OutOfRange, 'mvcc: required revision has been compacted');
    assert.equal(str((await c().range('/cmp/k')).kvs[0]!.value), 'new');
    await refused(c().compact(b.header.revision + 1000), GrpcCode.OutOfRange, 'mvcc: required revision is a future revision');
    const errors: Error[] = [];
    await c().watch('/cmp/k', { startRevision: a.header.revision }, { onEvents: () => undefined, onError: (e) => errors.push(e) });
    await until(() => errors.length > 0, () => 'the compacted watch to fail');
    assert.ok(errors[0] instanceof StoreError && errors[0].code === GrpcCode.OutOfRange && errors[0].message.includes('mvcc: required revision has been compacted'), errors[0]!.message);
  });

  it('100 watchers on one prefix, on one stream, each get every event exactly once and in order', async () => {
    const N = 100;
    const EVENTS = 300;
    const seen: string[][] = Array.from({ length: N }, () => []);
    const watches = await Promise.all(seen.map((list) => c().watch('/fan/', { end: prefixEnd('/fan/'), prevKv: true }, { onEvents: (evs: readonly WatchEvent[]) => { for (const e of evs) list.push(`${e.type} ${str(e.kv.key)} ${e.kv.modRevision}`); } })));
    assert.equal(new Set(watches.map((w) => w.id)).size, N, 'every watch has its own id');
    const want: string[] = [];
    for (let i = 0; i < EVENTS; i += 10) {
      const batch = await Promise.all(Array.from({ length: 10 }, (_, j) => (j === 9 ? c().delete(`/fan/${i % 7}`) : c().put(`/fan/${(i + j) % 7}`, `v${i + j}`))));
      // Revisions order the events; a delete of an absent key makes none.
      for (const [j, r] of batch.entries()) if (j !== 9 || (r as { deleted: number }).deleted > 0) want.push(`${j === 9 ? 'delete' : 'put'} /fan/${j === 9 ? i % 7 : (i + j) % 7} ${r.header.revision}`);
    }
    want.sort((x, y) => Number(x.split(' ')[2]) - Number(y.split(' ')[2]));
    await until(() => seen.every((s) => s.length >= want.length), () => `events: ${seen.map((s) => s.length).join(',')} of ${want.length}`);
    await new Promise((r) => setTimeout(r, 100)); // any duplicate would arrive now
    for (const s of seen) assert.deepEqual(s, want);
    await Promise.all(watches.map((w) => w.cancel()));
  });

  it('cancel stops a watch; the others on the stream go on', async () => {
    const a: string[] = [];
    const b: string[] = [];
    const wa = await c().watch('/cancel/k', {}, { onEvents: (evs) => a.push(...evs.map((e) => str(e.kv.value))) });
    await c().watch('/cancel/k', {}, { onEvents: (evs) => b.push(...evs.map((e) => str(e.kv.value))) });
    await c().put('/cancel/k', '1');
    await until(() => a.length === 1 && b.length === 1, () => `a=${a} b=${b}`);
    await wa.cancel();
    await wa.cancel();
    await c().put('/cancel/k', '2');
    await until(() => b.length === 2, () => `b=${b}`);
    assert.deepEqual(a, ['1']);
  });

  it('progress: a progress request is answered to every watch', async () => {
    let progress = 0;
    await c().watch('/progress/k', { progressNotify: true }, { onEvents: () => undefined, onProgress: () => progress++ });
    (c() as NativeClient).requestWatchProgress();
    await until(() => progress > 0, () => 'a progress notification');
  });

  it('watch with a start revision replays history, with prev kv and filters', async () => {
    const p1 = await c().put('/replay/k', 'a');
    await c().put('/replay/k', 'b');
    await c().delete('/replay/k');
    const got: string[] = [];
    await c().watch('/replay/k', { startRevision: p1.header.revision, prevKv: true, filters: ['nodelete'] }, { onEvents: (evs) => got.push(...evs.map((e) => `${e.type} ${str(e.kv.value)} prev=${e.prevKv ? str(e.prevKv.value) : '-'}`)) });
    await until(() => got.length >= 2, () => `got ${got}`);
    assert.deepEqual(got, ['put a prev=-', 'put b prev=a']);
  });

  it('lease: grant, attach, keep-alive, time-to-live with keys, revoke deletes the key', async () => {
    const lease = await c().leaseGrant(60);
    assert.equal(lease.ttlSec, 60);
    await c().put('/lease/k', 'v', { lease: lease.id });
    assert.equal((await c().range('/lease/k')).kvs[0]!.lease, lease.id);
    const ttls = await Promise.all([c().leaseKeepAliveOnce(lease.id), c().leaseKeepAliveOnce(lease.id)]);
    assert.deepEqual(ttls, [60, 60]);
    const ttl = await c().leaseTimeToLive(lease.id, true);
    assert.deepEqual([ttl.id, ttl.grantedTtlSec, ttl.keys.map(str)], [lease.id, 60, ['/lease/k']]);
    assert.ok(ttl.ttlSec > 0 && ttl.ttlSec <= 60);
    await c().leaseRevoke(lease.id);
    assert.deepEqual((await c().range('/lease/k')).kvs, []);
    assert.equal((await c().leaseTimeToLive(lease.id)).ttlSec, -1);
    await refused(c().leaseKeepAliveOnce(lease.id), GrpcCode.NotFound, 'etcdserver: requested lease not found');
    await refused(c().leaseRevoke(lease.id), GrpcCode.NotFound, 'etcdserver: requested lease not found');
  });

  it('status', async () => {
    const s = await c().status();
    assert.match(s.version, /^\d+\.\d+/);
    assert.ok(s.header.revision > 0);
    assert.ok(s.dbSize >= 0);
  });

  it("etcd's refusals come through as StoreErrors with etcd's codes and messages", async () => {
    await refused(c().put('', 'v'), GrpcCode.InvalidArgument, 'etcdserver: key is not provided');
    const ops = Array.from({ length: 129 }, (_, i) => ({ put: { key: `/many/${i}`, value: 'v' } }));
    await refused(c().txn({ compare: [], success: ops }), GrpcCode.InvalidArgument, 'etcdserver: too many operations in txn request');
    // etcd: InvalidArgument "etcdserver: request is too large"; metabench serve refuses it earlier,
    // in its gRPC layer (ResourceExhausted "Received message larger than max").
    await assert.rejects(c().put('/big', Buffer.alloc(2 * 1024 * 1024)), (e: unknown) => e instanceof StoreError && (e.code === GrpcCode.InvalidArgument || e.code === GrpcCode.ResourceExhausted));
    // The channel is still good afterwards.
    assert.ok((await c().put('/after-big', 'v')).header.revision > 0);
  });
}
