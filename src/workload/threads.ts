/**
 * Client threads: a scenario's clients spread over `clientThreads` worker threads, each with its
 * own etcd3 connections (one process's event loop saturates near 1,000 Put+Get pairs/s through
 * the etcd3 client, so a single thread can be the bottleneck, not the store). Client `i` runs in
 * thread `i % count` with the same key, random stream and schedule it has in one thread. Each
 * thread ships what it records (`thread-protocol.ts`) and the scenario's Recorder replays it, so
 * there is still one set of histograms, windows and errors and one result per scenario; the
 * threads' phase tallies are added up (`mergeTally`) for the checks.
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { IOptions } from 'etcd3';
import type { ResolvedParams } from '../../scenarios/schema.ts';
import { mergeTally, type PhaseDef, type PhaseOptions, type Tally } from './kit.ts';
import type { Recorder } from './recorder.ts';
import { ENTRY_OP, type FromThread, type ThreadData, type ToThread } from './thread-protocol.ts';

/** The client thread's entry script. */
const THREAD_ENTRY = new URL('./thread-entry.js', import.meta.url);

/** Milliseconds a thread gets to close its connections (and write its profile) before it is terminated. */
const CLOSE_GRACE_MS = 5000;

/** Options of {@link ClientThreads.start}. */
export interface ClientThreadsOptions {
  readonly count: number;
  readonly clientOptions: IOptions;
  /** Connections in all; each thread opens its share, at least one. */
  readonly connections: number;
  readonly params: ResolvedParams;
  readonly seed: number;
  readonly runTag: string;
  /** `--cpu-prof`: where thread `i` (0-based) writes its profile. */
  readonly cpuProfile?: (index: number) => string;
  readonly signal: AbortSignal;
}

interface Thread {
  readonly worker: Worker;
  /** Type names by id, as this thread numbered them. */
  readonly types: string[];
  failure?: Error;
}

/** Running client threads of one scenario. */
export class ClientThreads {
  private nextId = 0;
  private readonly onAbort = (): void => this.broadcast({ t: 'abort' });

  private constructor(
    private readonly threads: Thread[],
    private readonly params: ResolvedParams,
    private readonly signal: AbortSignal,
  ) {
    signal.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Starts the threads and resolves once each has its connections open. */
  static async start(o: ClientThreadsOptions): Promise<ClientThreads> {
    const threads: Thread[] = [];
    const ready: Promise<void>[] = [];
    for (let index = 0; index < o.count; index++) {
      const data: ThreadData = {
        index,
        count: o.count,
        clientOptions: o.clientOptions,
        connections: Math.max(1, Math.ceil(o.connections / o.count)),
        params: o.params,
        seed: o.seed,
        runTag: o.runTag,
        ...(o.cpuProfile ? { cpuProfile: o.cpuProfile(index) } : {}),
      };
      // Without the parent's --cpu-prof flags: a thread profiles itself through the inspector,
      // under its own name, instead of overwriting the runner's profile.
      const execArgv = process.execArgv.filter((a, i, all) => !a.startsWith('--cpu-prof') && !all[i - 1]?.match(/^--cpu-prof-(dir|name|interval)$/));
      const worker = new Worker(THREAD_ENTRY, { workerData: data, execArgv });
      const thread: Thread = { worker, types: [] };
      threads.push(thread);
      worker.on('error', (err) => (thread.failure = err));
      ready.push(
        new Promise<void>((resolve, reject) => {
          const onMessage = (m: FromThread): void => {
            if (m.t !== 'ready') return;
            worker.off('message', onMessage);
            worker.off('exit', onExit);
            resolve();
          };
          const onExit = (code: number): void => reject(new Error(`client thread ${index + 1} exited (code ${code}) before it was ready${thread.failure ? `: ${thread.failure.message}` : ''}`));
          worker.on('message', onMessage);
          worker.once('exit', onExit);
        }),
      );
    }
    const started = new ClientThreads(threads, o.params, o.signal);
    try {
      await Promise.all(ready);
    } catch (err) {
      await started.close();
      throw err;
    }
    return started;
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
    const tallies = await Promise.all(this.threads.map((th) => this.runOn(th, id, def.name, args, opts, rec)));
    const total = def.tally(this.params);
    for (const t of tallies) mergeTally(total, t as T);
    return total;
  }

  /** Closes every thread's connections (each writes its profile if asked) and ends the threads. */
  async close(): Promise<void> {
    this.signal.removeEventListener('abort', this.onAbort);
    await Promise.all(
      this.threads.map(async ({ worker }) => {
        if (worker.threadId < 0) return;
        const exited = once(worker, 'exit');
        worker.postMessage({ t: 'close' } satisfies ToThread);
        const timer = setTimeout(() => void worker.terminate(), CLOSE_GRACE_MS);
        try {
          await exited;
        } finally {
          clearTimeout(timer);
        }
      }),
    );
  }

  private broadcast(m: ToThread): void {
    for (const { worker } of this.threads) worker.postMessage(m);
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
          for (let i = 0; i + 2 < e.length; i += 3) {
            const type = th.types[e[i + 1] as number] as string;
            if (e[i] === ENTRY_OP) rec.succeeded(type, e[i + 2] as number);
            else rec.latency(type, e[i + 2] as number);
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
      th.worker.on('message', onMessage);
      th.worker.once('exit', onExit);
      th.worker.postMessage({ t: 'phase', id, name, args, opts } satisfies ToThread);
    });
  }
}
