/**
 * Client threads: a scenario's clients spread over `clientThreads` worker threads, each with its
 * own connections (one process's event loop saturates near 1,000 Put+Get pairs/s through
 * the etcd3 client, so a single thread can be the bottleneck, not the store). Client `i` runs in
 * thread `i % count` with the same key, random stream and schedule it has in one thread. Each
 * thread ships what it records (`thread-protocol.ts`) and the scenario's Recorder replays it, so
 * there is still one set of histograms, windows and errors and one result per scenario; the
 * threads' phase tallies are added up (`mergeTally`) for the checks.
 *
 * The threads live as long as their pool (the runner's: every scenario of a target), so their
 * start (~1 s of CPU each: tsx, etcd3, gRPC) is paid once and a later scenario runs on warm
 * (JIT-compiled) code, as the main thread's clients do. Measured on the no-op server: cold
 * threads cost 1.5–2× the CPU per operation of one warm thread; warm ones cost the same.
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { ClientKind, ConnectOptions } from '../client/types.ts';
import type { ResolvedParams } from '../../scenarios/schema.ts';
import { mergeTally, type PhaseDef, type PhaseOptions, type Tally } from './phase.ts';
import type { Recorder } from './recorder.ts';
import { ENTRY_FIELDS, ENTRY_OP, type FromThread, type ThreadData, type ToThread } from './thread-protocol.ts';

/** The client thread's entry script. */
const THREAD_ENTRY = new URL('./thread-entry.js', import.meta.url);

/** Milliseconds a thread gets to close its connections (and write its profile) before it is terminated. */
const CLOSE_GRACE_MS = 5000;

interface Thread {
  readonly worker: Worker;
  /** Type names by id, as this thread numbered them. */
  readonly types: string[];
  failure?: Error;
  exited: boolean;
}

/** What a scenario tells its threads. */
export interface ScenarioThreadsOptions {
  readonly count: number;
  readonly clientKind: ClientKind;
  readonly clientOptions: ConnectOptions;
  /** Connections in all; each thread opens its share, at least one. */
  readonly connections: number;
  readonly params: ResolvedParams;
  readonly seed: number;
  readonly runTag: string;
  readonly signal: AbortSignal;
}

/** Waits for a message of type `t` from a thread, or rejects when it exits first. */
function expect(th: Thread, t: FromThread['t'], what: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onMessage = (m: FromThread): void => {
      if (m.t !== t) return;
      done();
      if ('error' in m && m.error !== undefined) reject(new Error(m.error));
      else resolve();
    };
    const onExit = (code: number): void => {
      done();
      reject(new Error(`client thread exited (code ${code}) ${what}${th.failure ? `: ${th.failure.message}` : ''}`));
    };
    const done = (): void => {
      th.worker.off('message', onMessage);
      th.worker.off('exit', onExit);
    };
    if (th.exited) return reject(new Error(`client thread is gone (${what})${th.failure ? `: ${th.failure.message}` : ''}`));
    th.worker.on('message', onMessage);
    th.worker.once('exit', onExit);
  });
}

/** Client threads started on demand and kept until {@link ClientThreadPool.close}. */
export class ClientThreadPool {
  private readonly threads: Thread[] = [];
  private busy = false;

  /** `cpuProfile(i)`: where thread `i` (0-based) writes its CPU profile on close (`--cpu-prof`). */
  constructor(private readonly cpuProfile?: (index: number) => string) {}

  /** Threads started so far. */
  get size(): number {
    return this.threads.length;
  }

  /** Opens a scenario on the first `count` threads (starting any missing), each with its connections. */
  async open(o: ScenarioThreadsOptions): Promise<ScenarioThreads> {
    if (this.busy) throw new Error('client threads: a scenario is already open');
    this.busy = true;
    try {
      const starting: Promise<void>[] = [];
      while (this.threads.length < o.count) starting.push(this.spawn(this.threads.length));
      await Promise.all(starting);
      const mine = this.threads.slice(0, o.count);
      await Promise.all(
        mine.map((th, index) => {
          const opened = expect(th, 'opened', 'while opening a scenario');
          const msg: ToThread = {
            t: 'open',
            scenario: { index, count: o.count, clientKind: o.clientKind, clientOptions: o.clientOptions, connections: Math.max(1, Math.ceil(o.connections / o.count)), params: o.params, seed: o.seed, runTag: o.runTag },
          };
          th.worker.postMessage(msg);
          return opened;
        }),
      );
      return new ScenarioThreads(mine, o.params, o.signal, () => (this.busy = false));
    } catch (err) {
      this.busy = false;
      throw err;
    }
  }

  /** Ends every thread (each closes its connections and writes its profile first). */
  async close(): Promise<void> {
    await Promise.all(
      this.threads.map(async (th) => {
        if (th.exited) return;
        const exited = once(th.worker, 'exit');
        th.worker.postMessage({ t: 'close' } satisfies ToThread);
        const timer = setTimeout(() => void th.worker.terminate(), CLOSE_GRACE_MS);
        try {
          await exited;
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    this.threads.length = 0;
  }

  private async spawn(index: number): Promise<void> {
    const data: ThreadData = this.cpuProfile ? { cpuProfile: this.cpuProfile(index) } : {};
    // No inherited Node flags: the entry registers tsx itself, a thread profiles itself through
    // the inspector under its own name (the runner's --cpu-prof would overwrite the runner's
    // profile), and process-wide flags such as --expose-gc are refused in a worker.
    const worker = new Worker(THREAD_ENTRY, { workerData: data, execArgv: [] });
    const th: Thread = { worker, types: [], exited: false };
    this.threads.push(th);
    worker.on('error', (err) => (th.failure = err));
    worker.once('exit', () => (th.exited = true));
    await expect(th, 'ready', `before it was ready (thread ${index + 1})`);
  }
}

/** A scenario's threads: run its phases, then release them. */
export class ScenarioThreads {
  private nextId = 0;
  private readonly onAbort = (): void => {
    for (const { worker } of this.threads) worker.postMessage({ t: 'abort' } satisfies ToThread);
  };

  constructor(
    private readonly threads: Thread[],
    private readonly params: ResolvedParams,
    private readonly signal: AbortSignal,
    private readonly onRelease: () => void,
  ) {
    if (signal.aborted) this.onAbort();
    else signal.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Number of threads. */
  get count(): number {
    return this.threads.length;
  }

  /**
   * Runs one phase in every thread, replaying their records into `rec` (started on the first
   * thread's start, as a single thread's driver would), and returns the added-up tally.
   */
  async phase<A, T extends Tally>(def: PhaseDef<A, T>, args: A, opts: PhaseOptions, rec: Recorder): Promise<T> {
    const id = this.nextId++;
    let tallies: Tally[];
    try {
      tallies = await Promise.all(this.threads.map((th) => this.runOn(th, id, def.name, args, opts, rec)));
    } catch (err) {
      // One thread failed the phase: the others stop too rather than run it out alone.
      this.onAbort();
      throw err;
    }
    const total = def.tally(this.params);
    for (const t of tallies) mergeTally(total, t as T);
    return total;
  }

  /** Closes the scenario's connections in every thread; the threads stay for the next scenario. */
  async release(): Promise<void> {
    this.signal.removeEventListener('abort', this.onAbort);
    try {
      await Promise.all(
        this.threads.map((th) => {
          if (th.exited) return undefined;
          const released = expect(th, 'released', 'while releasing a scenario');
          th.worker.postMessage({ t: 'release' } satisfies ToThread);
          return released;
        }),
      );
    } finally {
      this.onRelease();
    }
  }

  private runOn(th: Thread, id: number, name: string, args: unknown, opts: PhaseOptions, rec: Recorder): Promise<Tally> {
    return new Promise<Tally>((resolve, reject) => {
      const finish = (): void => {
        th.worker.off('message', onMessage);
        th.worker.off('exit', onExit);
      };
      const onMessage = (m: FromThread): void => {
        if (!('id' in m) || m.id !== id) return;
        if (m.t === 'start') rec.start();
        else if (m.t === 'batch') {
          th.types.push(...m.newTypes);
          rec.startedMany(m.started);
          rec.lateOps += m.late;
          const e = m.entries;
          for (let i = 0; i + ENTRY_FIELDS - 1 < e.length; i += ENTRY_FIELDS) {
            const type = th.types[e[i + 1] as number] as string;
            const stall = (e[i + 3] as number) > 0 ? (e[i + 3] as number) : undefined;
            if (e[i] === ENTRY_OP) rec.succeeded(type, e[i + 2] as number, stall);
            else rec.latency(type, e[i + 2] as number, stall);
          }
          for (const [kind, n] of Object.entries(m.failed)) rec.failedAs(kind, n);
        } else if (m.t === 'done') {
          finish();
          if (m.error !== undefined) reject(new Error(m.error));
          else resolve(m.tally ?? {});
        }
      };
      const onExit = (code: number): void => {
        finish();
        reject(new Error(`client thread exited (code ${code}) during phase ${name}${th.failure ? `: ${th.failure.message}` : ''}`));
      };
      if (th.exited) return reject(new Error(`client thread is gone (phase ${name})${th.failure ? `: ${th.failure.message}` : ''}`));
      th.worker.on('message', onMessage);
      th.worker.once('exit', onExit);
      th.worker.postMessage({ t: 'phase', id, name, args, opts } satisfies ToThread);
    });
  }
}
