// Watch contract: key and range watches, replay from a start revision, prevKv, filters,
// cancel, compaction, and the slow-watcher scheme (stop pushing, catch up on resume).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorMessages } from '../mvcc/errors.ts';
import { engines } from '../testing/engines.ts';
import { b, WatchRecorder, withStore } from '../testing/harness.ts';

for (const engine of engines) {
  describe(`watch contract: ${engine.name}`, () => {
    it('delivers puts and deletes on a key from the next revision on', async () => {
      await withStore(engine, async (s) => {
        await s.put({ key: b('a'), value: b('before') }); // 2
        const w = WatchRecorder.start(s, { key: b('a') });
        await s.put({ key: b('a'), value: b('1') }); // 3
        await s.put({ key: b('other'), value: b('x') }); // 4
        await s.deleteRange({ key: b('a') }); // 5
        await w.waitFor(2);
        assert.deepEqual(w.events, ['PUT a=1@3', 'DELETE a@5']);
        w.handle.cancel();
      });
    });

    it('watches a prefix and the from-key range', async () => {
      await withStore(engine, async (s) => {
        const prefix = WatchRecorder.start(s, { key: b('p/'), rangeEnd: b('p0') });
        const from = WatchRecorder.start(s, { key: b('p/5'), rangeEnd: Buffer.from([0]) });
        for (const k of ['p/1', 'q', 'p/5', 'p/9', 'o']) await s.put({ key: b(k), value: b('v') });
        await prefix.waitFor(3);
        await from.waitFor(3);
        assert.deepEqual(prefix.events, ['PUT p/1=v@2', 'PUT p/5=v@4', 'PUT p/9=v@5']);
        assert.deepEqual(from.events, ['PUT q=v@3', 'PUT p/5=v@4', 'PUT p/9=v@5']);
        prefix.handle.cancel();
        from.handle.cancel();
      });
    });

    it('replays history from a start revision, then goes live, each event once', async () => {
      await withStore(engine, async (s) => {
        for (let i = 1; i <= 5; i++) await s.put({ key: b('h'), value: b(String(i)) }); // 2..6
        await s.deleteRange({ key: b('h') }); // 7
        const w = WatchRecorder.start(s, { key: b('h'), startRevision: 4, prevKv: true });
        await s.put({ key: b('h'), value: b('live') }); // 8
        await w.waitFor(5);
        assert.deepEqual(w.events, ['PUT h=3@4', 'PUT h=4@5', 'PUT h=5@6', 'DELETE h@7', 'PUT h=live@8']);
        const all = w.notifications.flatMap((n) => n.events);
        assert.equal(all[0].prevKv?.value.toString(), '2');
        assert.equal(all[3].prevKv?.value.toString(), '5');
        assert.equal(all[4].prevKv, undefined);
        w.handle.cancel();
      });
    });

    it('applies NOPUT and NODELETE filters', async () => {
      await withStore(engine, async (s) => {
        const noPut = WatchRecorder.start(s, { key: b('f'), filters: ['NOPUT'] });
        const noDelete = WatchRecorder.start(s, { key: b('f'), filters: ['NODELETE'] });
        await s.put({ key: b('f'), value: b('1') });
        await s.deleteRange({ key: b('f') });
        await s.put({ key: b('f'), value: b('2') });
        await noPut.waitFor(1);
        await noDelete.waitFor(2);
        assert.deepEqual(noPut.events, ['DELETE f@3']);
        assert.deepEqual(noDelete.events, ['PUT f=1@2', 'PUT f=2@4']);
        noPut.handle.cancel();
        noDelete.handle.cancel();
      });
    });

    it('delivers nothing after cancel', async () => {
      await withStore(engine, async (s) => {
        const w = WatchRecorder.start(s, { key: b('c') });
        await s.put({ key: b('c'), value: b('1') });
        await w.waitFor(1);
        w.handle.cancel();
        await s.put({ key: b('c'), value: b('2') });
        await s.put({ key: b('c'), value: b('3') });
        assert.deepEqual(w.events, ['PUT c=1@2']);
      });
    });

    it('delivers a txn and a range delete as events of one revision, in key order', async () => {
      await withStore(engine, async (s) => {
        const w = WatchRecorder.start(s, { key: b('t/'), rangeEnd: b('t0') });
        await s.txn({ success: [{ requestPut: { key: b('t/b'), value: b('1') } }, { requestPut: { key: b('t/a'), value: b('2') } }] });
        await s.deleteRange({ key: b('t/'), rangeEnd: b('t0') });
        await w.waitFor(4);
        assert.deepEqual(w.events, ['PUT t/b=1@2', 'PUT t/a=2@2', 'DELETE t/a@3', 'DELETE t/b@3']);
        w.handle.cancel();
      });
    });

    it('cancels a watch that starts below the compacted revision', async () => {
      await withStore(engine, async (s) => {
        for (let i = 0; i < 4; i++) await s.put({ key: b('x'), value: b(String(i)) }); // 2..5
        await s.compact({ revision: 4 });
        const old = WatchRecorder.start(s, { key: b('x'), startRevision: 2 });
        const n = await old.waitCanceled();
        assert.equal(n.compactRevision, 4);
        assert.equal(n.cancelReason, ErrorMessages.compacted);
        const ok = WatchRecorder.start(s, { key: b('x'), startRevision: 5 });
        await ok.waitFor(1);
        assert.deepEqual(ok.events, ['PUT x=3@5']);
        ok.handle.cancel();
      });
    });

    it('lets a slow watcher fall behind without blocking writers, then catches it up', async () => {
      await withStore(engine, async (s) => {
        const w = WatchRecorder.start(s, { key: b('s/'), rangeEnd: b('s0') });
        w.accept = false; // backed up after the first notification
        for (let i = 0; i < 50; i++) await s.put({ key: b(`s/${i % 7}`), value: b(String(i)) });
        await w.waitFor(1);
        const seenWhileSlow = w.events.length;
        assert.ok(seenWhileSlow < 50, 'a backed-up watcher got no more pushes');
        w.accept = true;
        w.handle.resume();
        await w.waitFor(50);
        await s.put({ key: b('s/x'), value: b('after') });
        await w.waitFor(51);
        const revs = w.events.map((e) => Number(e.split('@')[1]));
        assert.deepEqual(revs, Array.from({ length: 51 }, (_, i) => i + 2));
        w.handle.cancel();
      });
    });

    it('tells a slow watcher that history it still needed was compacted', async () => {
      await withStore(engine, async (s) => {
        const w = WatchRecorder.start(s, { key: b('z') });
        w.accept = false;
        await s.put({ key: b('z'), value: b('1') }); // 2: delivered, then the watcher backs up
        await w.waitFor(1);
        await s.put({ key: b('z'), value: b('2') }); // 3
        await s.put({ key: b('z'), value: b('3') }); // 4
        await s.compact({ revision: 4 });
        w.accept = true;
        w.handle.resume();
        const n = await w.waitCanceled();
        assert.equal(n.compactRevision, 4);
        assert.deepEqual(w.events, ['PUT z=1@2']);
      });
    });

    it('stays exact when a replaying, often backed-up watcher races concurrent writers', async () => {
      await withStore(engine, async (s) => {
        const writers = (from: number): Promise<unknown> =>
          Promise.all(
            Array.from({ length: 6 }, async (_, w) => {
              for (let i = 0; i < 30; i++) await s.put({ key: b(`race/${w}`), value: b(String(from + i)) });
            }),
          );
        await writers(0); // revisions 2..181
        const events: number[] = [];
        let seed = 1;
        let handle: { resume(): void; cancel(): void } | undefined = undefined;
        let done!: () => void;
        const finished = new Promise<void>((r) => (done = r));
        handle = s.watch({ key: b('race/'), rangeEnd: b('race0'), startRevision: 2 }, (n) => {
          for (const e of n.events) events.push(e.kv.modRevision);
          if (events.length >= 360) done();
          seed = (seed * 48271) % 2147483647;
          if (seed % 3 === 0) {
            // Backed up: resume a little later, while the writers keep going.
            setImmediate(() => handle?.resume());
            return false;
          }
          return true;
        });
        await writers(100); // revisions 182..361, racing the replay
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            finished,
            new Promise((_, reject) => {
              timer = setTimeout(() => reject(new Error(`waited 10 s for 360 events, got ${events.length}`)), 10_000);
            }),
          ]);
        } finally {
          clearTimeout(timer);
        }
        assert.deepEqual(events, Array.from({ length: 360 }, (_, i) => i + 2));
        handle.cancel();
      });
    });

    it('sends empty progress notifications to synced watchers that asked for them', async () => {
      await withStore(
        engine,
        async (s) => {
          await s.put({ key: b('p'), value: b('1') }); // 2
          const asked = WatchRecorder.start(s, { key: b('p'), progressNotify: true });
          const quiet = WatchRecorder.start(s, { key: b('p') });
          for (let spins = 0; asked.notifications.length === 0; spins++) {
            assert.ok(spins < 500, 'no progress notification within 5 s');
            await new Promise((r) => setTimeout(r, 10));
          }
          const n = asked.notifications[0];
          assert.deepEqual([n.events.length, n.header.revision, n.canceled ?? false], [0, 2, false]);
          assert.equal(quiet.notifications.length, 0);
          asked.handle.cancel();
          quiet.handle.cancel();
        },
        { progressNotifyIntervalMs: 20 },
      );
    });

    it('keeps many concurrent watchers exact under concurrent writers', async () => {
      await withStore(engine, async (s) => {
        const watchers = Array.from({ length: 10 }, () => WatchRecorder.start(s, { key: b('m/'), rangeEnd: b('m0') }));
        await Promise.all(
          Array.from({ length: 8 }, async (_, w) => {
            for (let i = 0; i < 25; i++) await s.put({ key: b(`m/${w}`), value: b(String(i)) });
          }),
        );
        for (const w of watchers) {
          await w.waitFor(200);
          const revs = w.events.map((e) => Number(e.split('@')[1]));
          assert.deepEqual(revs, Array.from({ length: 200 }, (_, i) => i + 2));
          w.handle.cancel();
        }
      });
    });
  });
}
