/**
 * Child-process fixture of the crash test (`crash.test.ts`): opens a store through `openStore`
 * with sync `always`, then runs `--writers` concurrent writers that put unique keys as fast as
 * they can until the process is killed. Protocol on stdout, one line each:
 *
 *   ready <revision>                  recovery finished; the store is at <revision>
 *   ack <key> <value> <modRevision>   this put was acknowledged (so it must survive kill -9)
 *
 * An ack line is printed only after its put resolved, so any ack the parent reads is a promise
 * the store made. Lines still buffered when the kill lands are simply never seen (fewer acks,
 * still all true); the parent ignores a trailing partial line for the same reason.
 *
 * The writer exits on its own when its stdin closes (the parent is gone), so a dead test run
 * leaves no orphan behind.
 *
 *   node --import tsx engine/crash/crash-writer.ts --engine memory --data-dir DIR --round 3 < /dev/null
 */
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
  // Not fs.writeSync(1): the pipe is non-blocking and a full pipe would throw EAGAIN.
  process.stdout.write(`${text}\n`);
}

// The parent holds our stdin open; when it goes away (the test died or timed out) so do we,
// rather than writing forever as an orphan.
process.stdin.on('close', () => process.exit(3));
process.stdin.on('end', () => process.exit(3));
process.stdin.resume();

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
