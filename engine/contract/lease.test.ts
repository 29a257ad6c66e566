// Lease contract: grant (own or store-picked ID, minimum TTL, duplicates), attach keys,
// revoke (one revision for all attached keys), keep-alive, time-to-live, list and expiry.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorMessages } from '../mvcc/errors.ts';
import { engines } from '../testing/engines.ts';
import { b, WatchRecorder, withStore } from '../testing/harness.ts';

for (const engine of engines) {
  describe(`lease contract: ${engine.name}`, () => {
    it('grants leases with a chosen or picked ID and refuses duplicates', async () => {
      await withStore(engine, async (s) => {
        const picked = await s.leaseGrant(30);
        assert.ok(picked.id > 0 && Number.isSafeInteger(picked.id));
        assert.equal(picked.ttl, 30);
        const mine = await s.leaseGrant(30, 4242);
        assert.equal(mine.id, 4242);
        await assert.rejects(s.leaseGrant(30, 4242), { message: ErrorMessages.leaseExists });
        const short = await s.leaseGrant(1);
        assert.equal(short.ttl, 2, 'raised to the minimum TTL');
        await assert.rejects(s.leaseGrant(9_000_000_001), { message: ErrorMessages.leaseTtlTooLarge });
        // int64 max, as a client sends it: too large for a double to hold exactly, still too large.
        await assert.rejects(s.leaseGrant(Number('9223372036854775807')), { message: ErrorMessages.leaseTtlTooLarge });
        await assert.rejects(s.leaseGrant(Infinity), { message: ErrorMessages.leaseTtlTooLarge });
        const list = (await s.leaseLeases()).leases.map((l) => l.id).sort((x, y) => x - y);
        assert.deepEqual(list, [picked.id, 4242, short.id].sort((x, y) => x - y));
        // Grants do not move the revision.
        assert.equal(s.header().revision, 1);
      });
    });

    it('revokes a lease by deleting its keys in one revision', async () => {
      await withStore(engine, async (s) => {
        const l = await s.leaseGrant(60);
        await s.put({ key: b('l/1'), value: b('a'), lease: l.id }); // 2
        await s.put({ key: b('l/2'), value: b('b'), lease: l.id }); // 3
        await s.put({ key: b('l/3'), value: b('c'), lease: l.id }); // 4
        await s.put({ key: b('l/3'), value: b('c2') }); // 5: detached from the lease
        await s.put({ key: b('free'), value: b('d') }); // 6
        const ttl = await s.leaseTimeToLive(l.id, true);
        assert.deepEqual(ttl.keys.map((k) => k.toString()).sort(), ['l/1', 'l/2']);
        assert.equal(ttl.grantedTtl, 60);
        assert.ok(ttl.ttl > 0 && ttl.ttl <= 60);
        const w = WatchRecorder.start(s, { key: b('l/'), rangeEnd: b('l0') });
        const r = await s.leaseRevoke(l.id);
        assert.equal(r.header.revision, 7);
        await w.waitFor(2);
        assert.deepEqual(w.events, ['DELETE l/1@7', 'DELETE l/2@7']);
        const left = await s.range({ key: b('l/'), rangeEnd: b('l0') });
        assert.deepEqual(left.kvs.map((kv) => kv.key.toString()), ['l/3']);
        await assert.rejects(s.leaseRevoke(l.id), { message: ErrorMessages.leaseNotFound });
        await assert.rejects(s.put({ key: b('x'), value: b('1'), lease: l.id }), { message: ErrorMessages.leaseNotFound });
        assert.equal((await s.leaseTimeToLive(l.id)).ttl, -1);
        w.handle.cancel();
      });
    });

    it('revokes a lease with no keys without a new revision', async () => {
      await withStore(engine, async (s) => {
        const l = await s.leaseGrant(60);
        await s.leaseRevoke(l.id);
        assert.equal(s.header().revision, 1);
      });
    });

    it('keeps a lease alive and reports missing ones', async () => {
      await withStore(engine, async (s) => {
        const l = await s.leaseGrant(20);
        const ka = await s.leaseKeepAlive(l.id);
        assert.deepEqual([ka.id, ka.ttl], [l.id, 20]);
        await assert.rejects(s.leaseKeepAlive(777), { message: ErrorMessages.leaseNotFound });
        const missing = await s.leaseTimeToLive(777, true);
        assert.deepEqual([missing.ttl, missing.keys.length], [-1, 0]);
      });
    });

    it('expires a lease and deletes its keys through the pipeline', async () => {
      await withStore(
        engine,
        async (s) => {
          const l = await s.leaseGrant(1);
          await s.put({ key: b('e'), value: b('1'), lease: l.id }); // 2
          const w = WatchRecorder.start(s, { key: b('e') });
          await w.waitFor(1, 10_000);
          assert.deepEqual(w.events, ['DELETE e@3']);
          assert.equal((await s.range({ key: b('e') })).count, 0);
          assert.equal((await s.leaseLeases()).leases.length, 0);
          w.handle.cancel();
        },
        { minLeaseTtlSec: 1, leaseCheckIntervalMs: 50 },
      );
    });

    it('keeps leases and their keys across a reopen, with a fresh TTL', async () => {
      await withStore(engine, async (s, ctx) => {
        const l = await s.leaseGrant(100);
        await s.put({ key: b('k'), value: b('v'), lease: l.id });
        const again = await ctx.reopen();
        const ttl = await again.leaseTimeToLive(l.id, true);
        assert.equal(ttl.grantedTtl, 100);
        assert.ok(ttl.ttl > 90);
        assert.deepEqual(ttl.keys.map((k) => k.toString()), ['k']);
        await again.leaseRevoke(l.id);
        assert.equal((await again.range({ key: b('k') })).count, 0);
      });
    });
  });
}
