/**
 * `mixed` (mixed-workload): one weighted-random choice per operation among PUT/GET/DELETE/RANGE
 * over a bounded key space; RANGE is limited. Reports the realised mix (attempted operations of
 * each type) and checks it is within `mixTolerancePoints` of the weights.
 */
import { MIX_OPS, type MixOp } from '../../../scenarios/schema.ts';
import { check, loopOptions, makeValue, type PhaseDef, type Workload } from '../kit.ts';
import { createMix, mixDeviationPoints } from '../mix.ts';
import { round } from '../recorder.ts';

/** The mixed phase: counts the attempted operations of each type while measuring. */
export const mixedPhase: PhaseDef<undefined, Record<MixOp, number>> = {
  name: 'mixed',
  tally: () => ({ put: 0, get: 0, delete: 0, range: 0 }),
  op: ({ params: p, rec }, _args, counts) => {
    const chooser = createMix(p.mix);
    // Keys are zero-padded so that a RANGE from a random key walks the key space in order.
    const width = String(p.keySpace - 1).length;
    const keyOf = (i: number, warmup: boolean): string => `${p.keyPrefix}${warmup ? '-warmup' : ''}/key-${String(i).padStart(width, '0')}`;
    const end = (warmup: boolean): string => `${p.keyPrefix}${warmup ? '-warmup' : ''}0`; // '/' + 1
    return async (w, seq, warmup) => {
      const type = chooser.choose(w.rng);
      const key = keyOf(w.rng.int(p.keySpace), warmup);
      if (!warmup && rec.measuring) counts[type]++;
      switch (type) {
        case 'put':
          await w.client.put(key, makeValue(`${w.index}:${seq}:`, p.valueSize));
          break;
        case 'get':
          await w.client.range(key);
          break;
        case 'delete':
          await w.client.delete(key);
          break;
        case 'range':
          await w.client.range(key, { end: end(warmup), limit: p.rangeLimit });
          break;
      }
      return type;
    };
  },
};

/** Runs the mixed workload. */
export const mixed: Workload = async (run) => {
  const { params: p, ctx, rec } = run;
  const chooser = createMix(p.mix);
  const counts = await run.phase(mixedPhase, undefined, loopOptions(p, ctx.seed));
  rec.stop();
  const total = MIX_OPS.reduce((s, k) => s + counts[k], 0);
  const mix = Object.fromEntries(MIX_OPS.map((k) => [k, total ? round(counts[k] / total, 4) : 0]));
  const dev = mixDeviationPoints(counts, chooser.shares);
  const realised = MIX_OPS.map((k) => `${k} ${((mix[k] ?? 0) * 100).toFixed(1)}`).join(' / ');
  const wanted = MIX_OPS.map((k) => `${k} ${(chooser.shares[k] * 100).toFixed(1)}`).join(' / ');
  return {
    mix,
    extra: { mixDeviationPoints: round(dev, 3) },
    checks: [check('realised mix', dev <= p.mixTolerancePoints, `${realised} (weights ${wanted}); worst ${dev.toFixed(2)} points, limit ±${p.mixTolerancePoints}`)],
  };
};
