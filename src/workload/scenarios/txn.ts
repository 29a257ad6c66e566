/**
 * `txn` (txn-throughput): each operation is `If(Version(k) = 0) Then Put(k) Else Get(k)` on the
 * client's own keys under a fresh per-run prefix, so the first visit of a key must take Then and
 * a revisit (after `keySpace` operations) must take Else and find the value.
 *
 * Contended phase (when `counters` > 0): `contendedClients` workers each make
 * `contendedOpsPerClient` increments of randomly chosen shared counters with a compare-and-swap
 * retry loop (read value and mod revision; `If(Mod(k) = m) Then Put(k, v+1)`; retry on conflict).
 * Check: every counter's final value equals the successful CAS transactions on it.
 */
import { prefixEnd } from '../../client/types.ts';
import { bounded } from '../driver.ts';
import { check, loopOptions, makeValue, n, type PhaseDef, type Workload, type WorkloadRun } from '../kit.ts';
import { nowUs, round } from '../recorder.ts';

/** Retries of one increment before it counts as an error (a livelock guard, not a tuning knob). */
const MAX_CAS_ATTEMPTS = 10_000;

/** The create-if-absent phase: counts the branches taken, right and wrong. */
export const txnPhase: PhaseDef<undefined, { thenOk: number; elseOk: number; wrongBranch: number; firstWrong: string }> = {
  name: 'txn',
  tally: () => ({ thenOk: 0, elseOk: 0, wrongBranch: 0, firstWrong: '' }),
  op: ({ params: p, runTag }, _args, t) => async (w, seq, warmup) => {
    const fresh = seq < p.keySpace;
    const key = `${p.keyPrefix}/${runTag}${warmup ? '-warmup' : ''}/client-${w.index}/key-${seq % p.keySpace}`;
    const res = await w.client.txn({
      compare: [{ key, target: 'version', result: '==', value: 0 }],
      success: [{ put: { key, value: makeValue(`${w.index}:${seq}:`, p.valueSize) } }],
      failure: [{ range: { key } }],
    });
    if (!warmup) {
      const first = res.responses[0];
      const found = res.succeeded ? true : (first && 'range' in first ? first.range.kvs.length : 0) === 1;
      if (res.succeeded === fresh && found) {
        if (res.succeeded) t.thenOk++;
        else t.elseOk++;
      } else {
        t.wrongBranch++;
        t.firstWrong ||= `${key}: ${res.succeeded ? 'Then' : 'Else'} on a ${fresh ? 'first' : 'repeat'} visit${found ? '' : ', Get found nothing'}`;
      }
    }
    return 'txn';
  },
};

/** Key of shared counter `i` in the contended phase. */
const counterKey = (p: { keyPrefix: string }, runTag: string, i: number): string => `${p.keyPrefix}/${runTag}/counter-${i}`;

/** The contended phase: compare-and-swap increments of random counters; counts successes per counter. */
export const casPhase: PhaseDef<undefined, { successes: Float64Array; conflicts: number; succeeded: number }> = {
  name: 'txn-cas',
  tally: (p) => ({ successes: new Float64Array(p.counters), conflicts: 0, succeeded: 0 }),
  op: ({ params: p, runTag, rec }, _args, t) => async (w) => {
    const i = w.rng.int(p.counters);
    const key = counterKey(p, runTag, i);
    for (let attempt = 1; attempt <= MAX_CAS_ATTEMPTS; attempt++) {
      const t0 = nowUs();
      const cur = (await w.client.range(key)).kvs[0];
      const value = cur ? Number(cur.value.toString()) : 0;
      const res = await w.client.txn({ compare: [{ key, target: 'mod', result: '==', value: cur ? cur.modRevision : 0 }], success: [{ put: { key, value: String(value + 1) } }] });
      rec.latency('cas-attempt', nowUs() - t0);
      if (res.succeeded) {
        if (rec.measuring) {
          t.successes[i]++;
          t.succeeded++;
        }
        return 'cas';
      }
      if (rec.measuring) t.conflicts++;
    }
    throw new Error(`${key}: no successful compare-and-swap in ${MAX_CAS_ATTEMPTS} attempts`);
  },
};

/** Runs the txn workload. */
export const txn: Workload = async (run) => {
  const { params: p, ctx, rec } = run;
  const t0 = nowUs();
  const { thenOk, elseOk, wrongBranch, firstWrong } = await run.phase(txnPhase, undefined, loopOptions(p, ctx.seed));
  const txnMs = (nowUs() - t0) / 1000;
  if (p.counters === 0) rec.stop();
  const checks = [
    check(
      'txn branches',
      wrongBranch === 0,
      wrongBranch === 0
        ? `${n(thenOk)} first visits took Then (Put), ${n(elseOk)} repeat visits took Else (Get) and found the value`
        : `${n(wrongBranch)} transactions took the wrong branch; first ${firstWrong}`,
    ),
  ];
  const extra: Record<string, number> = { txnPhaseMs: round(txnMs, 1), txnThen: thenOk, txnElse: elseOk };
  if (p.counters > 0 && !ctx.signal.aborted) {
    const contended = await contendedPhase(run);
    checks.push(contended.check);
    Object.assign(extra, contended.extra);
  }
  return { checks, extra };
};

async function contendedPhase(run: WorkloadRun): Promise<{ check: ReturnType<typeof check>; extra: Record<string, number> }> {
  const { params: p, ctx, rec, pool, runTag } = run;
  const keyOf = (i: number): string => counterKey(p, runTag, i);
  const t0 = nowUs();
  const { successes, conflicts, succeeded } = await run.phase(casPhase, undefined, { clients: p.contendedClients, opsPerClient: p.contendedOpsPerClient, opTimeoutMs: p.opTimeoutMs, seed: ctx.seed + 1 });
  rec.stop();
  const casMs = (nowUs() - t0) / 1000;
  const mismatches: string[] = [];
  if (!ctx.signal.aborted) {
    const prefix = `${p.keyPrefix}/${runTag}/counter-`;
    const res = await bounded('txn: read counters', pool[0]!.range(prefix, { end: prefixEnd(prefix) }), p.opTimeoutMs, ctx.signal);
    const kvs: Record<string, string> = {};
    for (const kv of res.kvs) kvs[kv.key.toString()] = kv.value.toString();
    for (let i = 0; i < p.counters; i++) {
      const got = Number(kvs[keyOf(i)] ?? 0);
      if (got !== successes[i]) mismatches.push(`counter-${i} = ${got}, ${successes[i]} successful txns`);
    }
  }
  const total = successes.reduce((a, b) => a + b, 0);
  return {
    check: check(
      'contended counters',
      mismatches.length === 0,
      mismatches.length === 0
        ? `${p.counters} counters sum to ${n(total)} = successful CAS txns (${n(conflicts)} conflicts retried)`
        : `${mismatches.length} of ${p.counters} counters disagree: ${mismatches.slice(0, 3).join('; ')}`,
    ),
    extra: { casPhaseMs: round(casMs, 1), casSucceeded: succeeded, casConflicts: conflicts, casOpsPerSec: casMs > 0 ? round(succeeded / (casMs / 1000), 1) : 0 },
  };
}
