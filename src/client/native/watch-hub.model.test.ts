/**
 * Model-based test of WatchHub (fast-check): random interleavings of watch(), the server's
 * created answers, events for any watch id, cancels and their confirmations, and broken
 * streams. Each watch must see exactly the events the server sent to its id between its
 * creation and its cancel, in order, and one onError when the stream breaks under it; creates
 * resolve in order with the ids the server gave them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { GrpcCode, StoreError, type Watch } from '../types.ts';
import { ProtoWriter } from './codec/index.ts';
import { pbDecode, pbEncode } from './codec/protobufjs.test-support.ts';
import { FakeChannel } from './fake-channel.test-support.ts';
import { WatchHub } from './watch-hub.ts';

const tick = () => new Promise((r) => setImmediate(r));
type Action = 'watch' | 'answer' | 'event' | 'cancel' | 'confirm' | 'break';
const actionArb = fc.constantFrom<Action>('watch', 'watch', 'answer', 'answer', 'event', 'event', 'event', 'cancel', 'confirm', 'break');

interface ClientWatch {
  readonly seen: number[];
  errors: number;
  watch?: Watch;
  rejected: boolean;
  /** What it must have seen (the model). */
  readonly want: number[];
  wantErrors: number;
  cancelling: boolean;
}

describe('WatchHub model', () => {
  it('random interleavings keep every watch exactly-once and in order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(actionArb, fc.nat()), { maxLength: 60 }), async (steps) => {
        const ch = new FakeChannel();
        const hub = new WatchHub(ch, new ProtoWriter());
        const all: ClientWatch[] = [];
        // Server side of the current stream.
        let stream = -1;
        let read = 0; // messages of the current stream the server has read
        let nextId = 0;
        let rev = 1;
        const waiting: ClientWatch[] = []; // creates the server has not answered, in order
        const live = new Map<number, ClientWatch>(); // server-side watches by id
        const cancelAsked = new Set<number>();
        const serverRead = (): void => {
          const s = ch.streams[stream];
          if (!s) return;
          for (; read < s.written.length; read++) {
            const m = pbDecode('WatchRequest', s.written[read]!) as { requestUnion: string; cancelRequest?: { watchId: number } };
            if (m.requestUnion === 'cancelRequest') cancelAsked.add(m.cancelRequest!.watchId);
          }
        };
        for (const [action, pick] of steps) {
          if (ch.streams.length - 1 !== stream) {
            stream = ch.streams.length - 1;
            read = 0;
          }
          serverRead();
          const s = ch.streams[stream];
          switch (action) {
            case 'watch': {
              const w: ClientWatch = { seen: [], errors: 0, rejected: false, want: [], wantErrors: 0, cancelling: false };
              all.push(w);
              waiting.push(w);
              hub.watch('/k', {}, { onEvents: (evs) => w.seen.push(...evs.map((e) => e.kv.modRevision)), onError: () => w.errors++ }).then(
                (x) => (w.watch = x),
                () => (w.rejected = true),
              );
              break;
            }
            case 'answer': {
              const w = waiting.shift();
              if (!w || !s) break;
              const id = nextId++;
              live.set(id, w);
              s.reply(pbEncode('WatchResponse', { watchId: id, created: true }));
              break;
            }
            case 'event': {
              const ids = [...live.keys()];
              if (!ids.length || !s) break;
              const id = ids[pick % ids.length]!;
              const w = live.get(id)!;
              const r = rev++;
              if (!w.cancelling) w.want.push(r);
              s.reply(pbEncode('WatchResponse', { watchId: id, events: [{ kv: { key: Buffer.from('/k'), modRevision: r } }] }));
              break;
            }
            case 'cancel': {
              const ws = all.filter((w) => w.watch && !w.cancelling && [...live.values()].includes(w));
              if (!ws.length) break;
              const w = ws[pick % ws.length]!;
              w.cancelling = true;
              void w.watch!.cancel();
              break;
            }
            case 'confirm': {
              const id = [...cancelAsked][0];
              if (id === undefined || !s) break;
              cancelAsked.delete(id);
              live.delete(id);
              s.reply(pbEncode('WatchResponse', { watchId: id, canceled: true }));
              break;
            }
            case 'break': {
              if (!s) break;
              for (const w of live.values()) if (!w.cancelling) w.wantErrors++;
              live.clear();
              waiting.length = 0;
              cancelAsked.clear();
              s.finish(new StoreError(GrpcCode.Unavailable, 'connection lost'));
              break;
            }
          }
          await tick();
        }
        for (const w of all) {
          assert.deepEqual(w.seen, w.want);
          assert.equal(w.errors, w.wantErrors);
          assert.ok(!(w.watch && w.rejected));
        }
        const ids = all.filter((w) => w.watch).map((w) => w.watch!.id);
        assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'creates resolve with increasing server ids');
      }),
      { numRuns: 150 },
    );
  });
});
