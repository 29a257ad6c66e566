/**
 * `watch` (watch-scalability): `watchers` watchers on one fresh prefix, then `events` Puts with at
 * most `inFlight` outstanding. Every watcher must receive every event exactly once and in
 * revision order. Accounting is per event (a bitset per watcher), not per watch response (the
 * seed counted responses, and its wait group deadlocked when one went missing): after the last
 * Put, watchers get `eventTimeoutMs` to catch up, then whatever is missing is reported as lost.
 * Delivery latency (Put issued → event received) is recorded as op type `watch-delivery`.
 */
import { prefixEnd, type Watch } from '../../client/types.ts';
import { bounded, drive, sleep } from '../driver.ts';
import { errorKind } from '../errors.ts';
import { check, makeValue, n, type Workload } from '../kit.ts';
import { nowUs } from '../recorder.ts';

/** Delivery state of one watcher. */
interface Tally {
  seen: Uint8Array; // bitset over event indices
  distinct: number;
  duplicates: number;
  outOfOrder: number;
  lastRevision: number;
  foreign: number; // events under the prefix that this run did not write
}

/** Runs the watch workload. */
export const watch: Workload = async ({ params: p, ctx, rec, pool, runTag }) => {
  const prefix = `${p.keyPrefix}/${runTag}/`;
  const issuedUs = new Float64Array(p.events);
  const tallies: Tally[] = [];
  const watchers: Watch[] = [];
  let complete = 0;
  let watchErrors = 0;
  let onComplete: (() => void) | undefined;
  const allDelivered = new Promise<void>((resolve) => (onComplete = resolve));

  const onPut = (tally: Tally, key: Buffer, modRevision: number): void => {
    const now = nowUs();
    const k = key.toString();
    const idx = k.startsWith(prefix) ? Number(k.slice(prefix.length + 2)) : NaN;
    if (!Number.isInteger(idx) || idx < 0 || idx >= p.events) {
      tally.foreign++;
      return;
    }
    const bit = 1 << (idx & 7);
    const byte = idx >> 3;
    if (tally.seen[byte]! & bit) {
      tally.duplicates++;
      return;
    }
    const rev = modRevision;
    if (rev <= tally.lastRevision) tally.outOfOrder++;
    tally.lastRevision = Math.max(rev, tally.lastRevision);
    tally.seen[byte]! |= bit;
    tally.distinct++;
    rec.latency('watch-delivery', now - issuedUs[idx]!);
    if (tally.distinct === p.events && ++complete === p.watchers) onComplete?.();
  };

  try {
    const creating = Promise.all(
      Array.from({ length: p.watchers }, async (_, i) => {
        const tally: Tally = { seen: new Uint8Array((p.events + 7) >> 3), distinct: 0, duplicates: 0, outOfOrder: 0, lastRevision: 0, foreign: 0 };
        tallies.push(tally);
        const w = await pool[i % pool.length]!.watch(
          prefix,
          { end: prefixEnd(prefix) },
          {
            onEvents: (events) => {
              for (const e of events) if (e.type === 'put') onPut(tally, e.kv.key, e.kv.modRevision);
            },
            onError: (err) => {
              watchErrors++;
              ctx.emit({ kind: 'log', level: 'warn', message: `watcher ${i}: ${errorKind(err)}: ${err.message}` });
            },
          },
        );
        watchers.push(w);
        return w;
      }),
    );
    const created = await bounded(`watch: create ${p.watchers} watchers`, creating, p.opTimeoutMs, ctx.signal);
    if (created.length !== p.watchers) throw new Error(`watch: ${created.length} of ${p.watchers} watchers created`);

    await drive(rec, pool, { clients: p.inFlight, totalOps: p.events, warmupMs: p.warmupMs, rate: p.rate, lateThresholdMs: p.lateThresholdMs, opTimeoutMs: p.opTimeoutMs, signal: ctx.signal, seed: ctx.seed }, async (w, seq, warmup) => {
      if (warmup) {
        await w.client.put(`${p.keyPrefix}/${runTag}-warmup/e-${seq}`, makeValue(`w${seq}:`, p.valueSize));
        return 'put';
      }
      issuedUs[seq] = nowUs();
      await w.client.put(`${prefix}e-${seq}`, makeValue(`${seq}:`, p.valueSize));
      return 'put';
    });
    const putsDoneUs = nowUs();
    // Lost events must not hang the run: wait for full delivery, the timeout, or Ctrl-C.
    if (complete < p.watchers && !ctx.signal.aborted) {
      await Promise.race([allDelivered, sleep(p.eventTimeoutMs, ctx.signal)]);
    }
    const waitedMs = (nowUs() - putsDoneUs) / 1000;
    rec.stop();

    const written = rec.done - rec.errors; // events the store acknowledged
    let received = 0;
    let duplicates = 0;
    let outOfOrder = 0;
    let foreign = 0;
    let worst = p.events;
    for (const t of tallies) {
      received += t.distinct;
      duplicates += t.duplicates;
      outOfOrder += t.outOfOrder;
      foreign += t.foreign;
      worst = Math.min(worst, t.distinct);
    }
    const expected = written * p.watchers;
    const lost = Math.max(0, expected - received);
    return {
      extra: { watchers: p.watchers, eventsWritten: written, deliveries: received, lostDeliveries: lost, duplicateDeliveries: duplicates, outOfOrderDeliveries: outOfOrder, catchUpMs: Math.round(waitedMs), watchErrors },
      checks: [
        check(
          'exactly-once delivery',
          lost === 0 && duplicates === 0 && foreign === 0 && received === expected,
          lost === 0 && duplicates === 0 && foreign === 0
            ? `${p.watchers} watchers × ${n(written)} events = ${n(received)} deliveries, none lost or duplicated`
            : `${n(lost)} lost (slowest watcher got ${n(worst)} of ${n(written)} within ${p.eventTimeoutMs} ms), ${n(duplicates)} duplicated, ${n(foreign)} unexpected`,
        ),
        check('revision order', outOfOrder === 0, outOfOrder === 0 ? 'every watcher saw revisions strictly increasing' : `${n(outOfOrder)} events arrived out of revision order`),
      ],
    };
  } finally {
    await Promise.allSettled(watchers.map((w) => w.cancel()));
  }
};
