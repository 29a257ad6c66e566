/**
 * A client thread: its own connections (built by `client/factory.ts`, as the main thread's) and its share of a scenario's clients. It runs the
 * phases the main thread asks for (`threads.ts`) with the same driver and operations, and ships
 * what it records in batches (`thread-protocol.ts`); it keeps no figures of its own.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { connect } from '../client/factory.ts';
import type { ConnectOptions, StoreClient } from '../client/types.ts';
import { drive } from './driver.ts';
import { errorKind } from './errors.ts';
import { phaseByName } from './phases.ts';
import type { OpSink } from './recorder.ts';
import { ENTRY_FIELDS, ENTRY_LATENCY, ENTRY_OP, type FromThread, type ThreadData, type ThreadScenario, type ToThread } from './thread-protocol.ts';

/** Milliseconds between batches (progress windows are one second: this keeps them accurate). */
const FLUSH_MS = 50;
/** Entries that trigger a batch before the timer. */
const FLUSH_ENTRIES = 4096;

/** Records into batches for the main thread's Recorder. */
class ForwardingSink implements OpSink {
  measuring = false;
  lateOps = 0;
  private readonly types = new Map<string, number>();
  private newTypes: string[] = [];
  private entries: number[] = [];
  private startedCount = 0;
  private failedByKind: Record<string, number> = {};
  private failedAny = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly id: number,
    private readonly send: (m: FromThread, transfer?: ArrayBuffer[]) => void,
    typeIds: Map<string, number>,
  ) {
    this.types = typeIds;
    this.timer = setInterval(() => this.flush(), FLUSH_MS);
  }

  start(): void {
    if (this.measuring) return;
    this.measuring = true;
    this.send({ t: 'start', id: this.id });
  }
  started(): void {
    if (this.measuring) this.startedCount++;
  }
  succeeded(type: string, latencyUs: number, stallIntervalUs?: number): void {
    if (this.measuring) this.push(ENTRY_OP, type, latencyUs, stallIntervalUs);
  }
  latency(type: string, latencyUs: number, stallIntervalUs?: number): void {
    if (this.measuring) this.push(ENTRY_LATENCY, type, latencyUs, stallIntervalUs);
  }
  failed(err: unknown): void {
    if (!this.measuring) return;
    const kind = errorKind(err);
    this.failedByKind[kind] = (this.failedByKind[kind] ?? 0) + 1;
    this.failedAny = true;
  }

  /** Sends what was recorded since the last batch, if anything. */
  flush(): void {
    if (this.entries.length === 0 && this.startedCount === 0 && !this.failedAny && this.lateOps === 0) return;
    const entries = Float64Array.from(this.entries);
    this.send({ t: 'batch', id: this.id, newTypes: this.newTypes, entries, started: this.startedCount, late: this.lateOps, failed: this.failedByKind }, [entries.buffer as ArrayBuffer]);
    this.entries = [];
    this.newTypes = [];
    this.startedCount = 0;
    this.lateOps = 0;
    this.failedByKind = {};
    this.failedAny = false;
  }

  close(): void {
    clearInterval(this.timer);
    this.flush();
  }

  // The stall interval travels with the entry (0 = none) and the main thread's Recorder applies
  // the correction, so threaded and single-threaded runs count it the same way.
  private push(code: number, type: string, us: number, stallIntervalUs: number | undefined): void {
    let id = this.types.get(type);
    if (id === undefined) {
      id = this.types.size;
      this.types.set(type, id);
      this.newTypes.push(type);
    }
    this.entries.push(code, id, us, stallIntervalUs ?? 0);
    if (this.entries.length >= FLUSH_ENTRIES * ENTRY_FIELDS) this.flush();
  }
}

/** Structured cloning turns Buffers into Uint8Arrays; TLS wants Buffers back. */
function reviveOptions(opts: ConnectOptions): ConnectOptions {
  const t = opts.tls;
  if (!t) return opts;
  const buf = (b: Uint8Array | undefined): Buffer | undefined => (b === undefined ? undefined : Buffer.from(b.buffer, b.byteOffset, b.byteLength));
  return { ...opts, tls: { ca: buf(t.ca), cert: buf(t.cert), key: buf(t.key) } };
}

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('thread-main.ts runs as a worker thread');
  const data = workerData as ThreadData;
  const send = (m: FromThread, transfer?: ArrayBuffer[]): void => port.postMessage(m, transfer);
  let profiler: Session | undefined;
  if (data.cpuProfile) {
    profiler = new Session();
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  let scenario: ThreadScenario | undefined;
  let pool: StoreClient[] = [];
  let abort = new AbortController();
  // Type ids are per thread and continue across phases and scenarios (the main thread keeps the same table).
  const typeIds = new Map<string, number>();
  // Messages are handled one after another: a phase, then the next, then the release.
  let queue = Promise.resolve();

  const runPhase = async (m: Extract<ToThread, { t: 'phase' }>): Promise<void> => {
    const sink = new ForwardingSink(m.id, send, typeIds);
    try {
      if (!scenario) throw new Error('client thread: phase before open');
      const def = phaseByName(m.name);
      const tally = def.tally(scenario.params);
      const op = def.op({ params: scenario.params, seed: scenario.seed, runTag: scenario.runTag, rec: sink }, m.args, tally);
      await drive(sink, pool, { ...m.opts, signal: abort.signal, shard: { index: scenario.index, count: scenario.count } }, op);
      sink.close();
      send({ t: 'done', id: m.id, tally });
    } catch (err) {
      sink.close();
      send({ t: 'done', id: m.id, error: err instanceof Error ? err.message : String(err) });
    }
  };
  const release = async (): Promise<void> => {
    await Promise.allSettled(pool.map((c) => c.close()));
    pool = [];
    scenario = undefined;
  };

  port.on('message', (m: ToThread) => {
    if (m.t === 'abort') {
      abort.abort();
      return;
    }
    queue = queue.then(async () => {
      if (m.t === 'open') {
        await release();
        scenario = m.scenario;
        abort = new AbortController();
        const { clientKind } = scenario;
        const options = reviveOptions(scenario.clientOptions);
        try {
          pool = await Promise.all(Array.from({ length: Math.max(1, scenario.connections) }, () => connect(clientKind, options)));
          send({ t: 'opened' });
        } catch (err) {
          send({ t: 'opened', error: `client thread ${scenario.index + 1}: cannot connect: ${(err as Error).message}` });
        }
      } else if (m.t === 'phase') {
        await runPhase(m);
      } else if (m.t === 'release') {
        await release();
        send({ t: 'released' });
      } else if (m.t === 'close') {
        await release();
        if (profiler) {
          const { profile } = await profiler.post('Profiler.stop');
          writeFileSync(data.cpuProfile as string, JSON.stringify(profile));
          profiler.disconnect();
        }
        send({ t: 'closed' });
        port.close();
      }
    });
  });
  send({ t: 'ready' });
}

await main();
