/**
 * Child-process fixture of the crash test (`crash.test.ts`): opens a store through `openStore`
 * with sync `always`, then runs `--writers` concurrent writers that put unique keys as fast as
 * they can until the process is killed. Protocol on stdout, one line each:
 *
 *   ready <revision>                  recovery finished; the store is at <revision>
 *   ack <key> <value> <modRevision>   this put was acknowledged (so it must survive kill -9)
 *
 * Acks are written with a synchronous write to the pipe (Node's stdout on a Linux pipe is
 * synchronous, and each line is far below PIPE_BUF), so a line is never half-written and an ack
 * the parent read was printed only after the put resolved.
 *
 *   node --import tsx engine/crash/crash-writer.ts --engine memory --data-dir DIR --round 3
 */
import { writeSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openStore, type EngineName } from '../index.ts';

const { values } = parseArgs({
  options: {
    engine: { type: 'string' },
    'data-dir': { type: 'string' },
    round: { type: 'string', default: '0' },
    writers: { type: 'string', default: '64' },
    'snapshot-count': { type: 'string', default: '500' },
  },
});
const engine = values.engine;
if (engine !== 'memory' && engine !== 'rocksdb') {
  throw new Error(`--engine ${engine} is invalid; expected memory or rocksdb`);
}
const dataDir = values['data-dir'];
if (!dataDir) throw new Error('--data-dir is required');
const writers = Number(values.writers);
const snapshotCount = Number(values['snapshot-count']);
const round = values.round;

function line(text: string): void {
  writeSync(1, `${text}\n`);
}

const store = await openStore({
  engine: engine as EngineName,
  dataDir,
  sync: 'always',
  snapshotCount,
  log: (level, msg) => process.stderr.write(`${level}: ${msg}\n`),
});
line(`ready ${store.header().revision}`);

async function writer(w: number): Promise<void> {
  for (let seq = 0; ; seq++) {
    const key = `crash/${round}/${w}/${seq}`;
    // A value that differs per write and varies in length, so a mix-up cannot go unnoticed.
    const value = `v${round}.${w}.${seq}.${'x'.repeat((w * 7 + seq) % 40)}`;
    const res = await store.put({ key: Buffer.from(key), value: Buffer.from(value) });
    line(`ack ${key} ${value} ${res.header.revision}`);
  }
}

await Promise.all(Array.from({ length: writers }, (_, w) => writer(w)));
