/**
 * `compaction`: load `keys` keys, overwrite all of them, compact at the latest revision, then
 * read `readKeys` random keys back. Phases are timed separately (`extra.*Ms`). Checks: reads at a
 * revision below the compaction point are refused with etcd's "required revision has been
 * compacted"; the latest values are intact. Space: Maintenance Status `dbSize` before compaction
 * and after compaction + defragment, where the server reports it.
 */
import { bounded } from '../driver.ts';
import { errorKind, isCompactedError } from '../errors.ts';
import { check, makeValue, n, type PhaseDef, type PhaseOptions, type Workload, type WorkloadRun } from '../kit.ts';
import { createRng } from '../prng.ts';
import { nowUs, round } from '../recorder.ts';

/** Historic reads probed below the compaction point (enough to show the refusal is systematic). */
const HISTORIC_PROBES = 100;

const keyOf = (p: { keyPrefix: string }, runTag: string, i: number): string => `${p.keyPrefix}/${runTag}/key-${i}`;

/** The load (`v1`) and overwrite (`v2`) phases: key `i` gets value `<version>:<i>:…`. */
export const writePhase: PhaseDef<{ version: 'v1' | 'v2'; type: string }, Record<string, never>> = {
  name: 'compaction-write',
  tally: () => ({}),
  op: ({ params: p, runTag }, { version, type }) => async (w, i) => {
    await w.client.put(keyOf(p, runTag, i), makeValue(`${version}:${i}:`, p.valueSize));
    return type;
  },
};

/** Seed offset of the read-back keys' random streams (one stream per read). */
const READ_SEED = 0x7ead;

/**
 * The read-back phase: random keys must hold their overwritten (`v2`) value. The workers share
 * the reads (`totalOps`), so read `seq` draws its key from its own stream: which worker takes it
 * depends on timing, the key does not (same seed, same reads, whatever the client or threads).
 */
export const readPhase: PhaseDef<undefined, { intact: number; wrong: number; firstWrong: string }> = {
  name: 'compaction-read',
  tally: () => ({ intact: 0, wrong: 0, firstWrong: '' }),
  op: ({ params: p, runTag, seed }, _args, t) => async (w, seq) => {
    const i = createRng(seed ^ READ_SEED, seq).int(p.keys);
    const got = (await w.client.range(keyOf(p, runTag, i))).kvs[0]?.value.toString() ?? null;
    if (got === makeValue(`v2:${i}:`, p.valueSize)) t.intact++;
    else {
      t.wrong++;
      t.firstWrong ||= `${keyOf(p, runTag, i)}: got ${JSON.stringify(got?.slice(0, 24) ?? null)}`;
    }
    return 'get';
  },
};

/** Runs the compaction workload. */
export const compaction: Workload = async (run) => {
  const { params: p, ctx, rec, pool, runTag } = run;
  const admin = pool[0]!;
  const opts: PhaseOptions = { clients: p.clients, totalOps: p.keys, opTimeoutMs: p.opTimeoutMs, rate: p.rate, lateThresholdMs: p.lateThresholdMs, seed: ctx.seed };
  const extra: Record<string, number> = {};
  const call = <T>(what: string, q: Promise<T>): Promise<T> => bounded(`compaction: ${what}`, q, p.opTimeoutMs, ctx.signal);
  const phase = async (name: string, body: () => Promise<void>): Promise<void> => {
    const t = nowUs();
    await body();
    extra[`${name}Ms`] = round((nowUs() - t) / 1000, 1);
  };

  await phase('load', async () => void (await run.phase(writePhase, { version: 'v1', type: 'put' }, opts)));
  const loadedRevision = (await call('read revision', admin.range(keyOf(p, runTag, 0)))).header.revision;
  await phase('overwrite', async () => void (await run.phase(writePhase, { version: 'v2', type: 'overwrite' }, opts)));
  if (ctx.signal.aborted) return { checks: [], extra };
  const compactRevision = (await call('read revision', admin.range(keyOf(p, runTag, 0)))).header.revision;
  const dbBefore = await dbSize(run, call);
  await phase('compact', async () => {
    rec.started();
    const t = nowUs();
    try {
      await call('compact', admin.compact(compactRevision, true));
      rec.succeeded('compact', nowUs() - t);
    } catch (err) {
      rec.failed(err);
      throw new Error(`compaction: Compact(${compactRevision}) failed: ${errorKind(err)}: ${(err as Error).message}`, { cause: err });
    }
  });
  await phase('defragment', async () => {
    try {
      await call('defragment', admin.defragment());
    } catch (err) {
      ctx.emit({ kind: 'log', level: 'warn', message: `compaction: defragment not available: ${errorKind(err)}` });
    }
  });
  const dbAfter = await dbSize(run, call);
  if (dbBefore !== undefined && dbAfter !== undefined) {
    Object.assign(extra, { dbSizeBeforeBytes: dbBefore, dbSizeAfterBytes: dbAfter, bytesReclaimed: dbBefore - dbAfter });
  }

  let read = readPhase.tally(p);
  await phase('read', async () => void (read = await run.phase(readPhase, undefined, { ...opts, totalOps: p.readKeys })));
  const { intact, wrong, firstWrong } = read;
  rec.stop();

  // Reads below the compaction point must be refused, never answered from stale or missing history.
  let refused = 0;
  let answered = 0;
  let otherError = '';
  const probes = Math.min(HISTORIC_PROBES, p.keys);
  for (let i = 0; i < probes && !ctx.signal.aborted; i++) {
    try {
      await call('historic read', admin.range(keyOf(p, runTag, i), { revision: loadedRevision }));
      answered++;
    } catch (err) {
      if (isCompactedError(err)) refused++;
      else otherError ||= `${errorKind(err)}: ${(err as Error).message}`;
    }
  }
  Object.assign(extra, { loadedRevision, compactRevision, intactReads: intact });
  return {
    extra,
    checks: [
      check(
        'compacted revision refused',
        refused === probes,
        refused === probes
          ? `${probes} reads at revision ${loadedRevision} (< ${compactRevision}) refused: required revision has been compacted`
          : `${answered} of ${probes} reads at compacted revision ${loadedRevision} were answered${otherError ? `; other error: ${otherError}` : ''}`,
      ),
      check(
        'latest values intact',
        wrong === 0,
        wrong === 0 ? `${n(intact)} reads after compaction returned the overwritten value` : `${n(wrong)} of ${n(intact + wrong)} reads returned another value; first ${firstWrong}`,
      ),
    ],
  };
};

/** The server's backend size in bytes from Maintenance Status, or undefined when it cannot say. */
async function dbSize({ pool, ctx }: WorkloadRun, call: <T>(what: string, q: Promise<T>) => Promise<T>): Promise<number | undefined> {
  try {
    const size = (await call('status', pool[0]!.status())).dbSize;
    return Number.isFinite(size) && size > 0 ? size : undefined;
  } catch (err) {
    ctx.emit({ kind: 'log', level: 'warn', message: `compaction: Maintenance Status failed: ${errorKind(err)}` });
    return undefined;
  }
}
