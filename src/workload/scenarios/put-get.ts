/**
 * `put-get` (large-scale-load): each operation Puts `<prefix>/client-<c>/key-<j>` then Gets it
 * back; the Get must return exactly the value just put (read-your-write).
 * Keys wrap at `keySpace` per client, so a time-bounded soak does not grow the store forever.
 */
import { check, loopOptions, makeValue, n, type PhaseDef, type Workload } from '../kit.ts';
import { nowUs } from '../recorder.ts';

/** The Put-then-Get phase; counts verified and mismatched reads. */
export const putGetPhase: PhaseDef<undefined, { verified: number; mismatched: number; firstMismatch: string }> = {
  name: 'put-get',
  tally: () => ({ verified: 0, mismatched: 0, firstMismatch: '' }),
  op: ({ params: p, seed, rec }, _args, t) => async (w, seq, warmup) => {
    const key = `${p.keyPrefix}${warmup ? '-warmup' : ''}/client-${w.index}/key-${seq % p.keySpace}`;
    const value = makeValue(`${seed}:${w.index}:${seq}:`, p.valueSize);
    let t0 = nowUs();
    await w.client.put(key, value);
    const t1 = nowUs();
    rec.latency('put', t1 - t0);
    t0 = t1;
    const got = (await w.client.range(key)).kvs[0]?.value.toString() ?? null;
    rec.latency('get', nowUs() - t0);
    if (!warmup) {
      if (got === value) t.verified++;
      else {
        t.mismatched++;
        t.firstMismatch ||= `${key}: got ${JSON.stringify(got?.slice(0, 40) ?? null)}`;
      }
    }
    return 'put-get';
  },
};

/** Runs the put-get workload. */
export const putGet: Workload = async (run) => {
  const { params: p, ctx, rec } = run;
  const { verified, mismatched, firstMismatch } = await run.phase(putGetPhase, undefined, loopOptions(p, ctx.seed));
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
