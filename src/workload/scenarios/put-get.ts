/**
 * `put-get` (large-scale-load): each operation Puts `<prefix>/client-<c>/key-<j>` then Gets it
 * back; the Get must return exactly the value just put (read-your-write).
 * Keys wrap at `keySpace` per client, so a time-bounded soak does not grow the store forever.
 */
import { drive } from '../driver.ts';
import { check, makeValue, n, type Workload } from '../kit.ts';
import { nowUs } from '../recorder.ts';

/** Runs the put-get workload. */
export const putGet: Workload = async ({ params: p, ctx, rec, pool }) => {
  let verified = 0;
  let mismatched = 0;
  let firstMismatch = '';
  await drive(rec, pool, { ...p, signal: ctx.signal, seed: ctx.seed }, async (w, seq, warmup) => {
    const key = `${p.keyPrefix}${warmup ? '-warmup' : ''}/client-${w.index}/key-${seq % p.keySpace}`;
    const value = makeValue(`${ctx.seed}:${w.index}:${seq}:`, p.valueSize);
    let t = nowUs();
    await w.client.put(key).value(value).exec();
    const t2 = nowUs();
    rec.latency('put', t2 - t);
    t = t2;
    const got = await w.client.get(key).string();
    rec.latency('get', nowUs() - t);
    if (!warmup) {
      if (got === value) verified++;
      else {
        mismatched++;
        firstMismatch ||= `${key}: got ${JSON.stringify(got?.slice(0, 40) ?? null)}`;
      }
    }
    return 'put-get';
  });
  rec.stop();
  const unverified = rec.attempted - verified - mismatched;
  return {
    checks: [
      check(
        'read-your-write',
        mismatched === 0,
        mismatched === 0
          ? `${n(verified)} Gets returned the value just put${unverified > 0 ? ` (${n(unverified)} pairs not verified: errors)` : ''}`
          : `${n(mismatched)} of ${n(verified + mismatched)} Gets returned another value; first ${firstMismatch}`,
      ),
    ],
  };
};
