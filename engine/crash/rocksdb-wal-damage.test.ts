/**
 * Damaged RocksDB logs, from a real crash: the crash writer (`crash-writer.ts`) is killed with
 * SIGKILL after some acknowledged puts, and its data directory is the crash image. Copies of it
 * are then opened as they are, with an unfinished batch after the last record (what a kill
 * between the write() calls of one large batch leaves), and with one byte flipped in the first,
 * a middle and the last record of the live WAL. A torn tail opens with every acknowledged put;
 * a flip refuses to open, naming the file and the byte offset, and leaves every file as it was
 * (RocksDB's point-in-time recovery used to drop the records from the flip on, for good).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { crc32c } from '@node-rs/crc32';
import { openStore } from '../index.ts';
import { LOCK_FILE } from '../backend/data-dir.ts';
import { ROCKSDB_SUBDIR } from '../backend/rocksdb/index.ts';
import { RocksdbWalCorruptionError, checkWalBytes, listWalFiles } from '../backend/rocksdb/wal-check.ts';

const FIXTURE = fileURLToPath(new URL('./crash-writer.ts', import.meta.url));
/** Acknowledged puts to wait for before the kill (a count, not a time). */
const ACKS_BEFORE_KILL = 600;

interface Ack {
  key: string;
  value: string;
}

/** Runs the crash writer on `dataDir` and kills it with SIGKILL once it acknowledged enough puts. */
function crashedWriter(dataDir: string): Promise<Ack[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, '--engine', 'rocksdb', '--data-dir', dataDir, '--writers', '16'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    const acks: Ack[] = [];
    let pending = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        const parts = line.split(' ');
        if (parts[0] === 'ack') acks.push({ key: parts[1], value: parts[2] });
      }
      if (acks.length >= ACKS_BEFORE_KILL) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acks);
      else reject(new Error(`crash writer exited by itself (code ${code}, signal ${signal}); stderr: ${stderr}`));
    });
  });
}

/** Every file under the data directory with its bytes, except RocksDB's info logs. */
function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    // The lock is ours, not data: a failed open takes over a dead owner's lock and releases it.
    if (!entry.isFile() || entry.name.startsWith('LOG') || entry.name === LOCK_FILE) continue;
    const path = join(entry.parentPath, entry.name);
    out.set(path, readFileSync(path).toString('base64'));
  }
  return out;
}

/** A copy of the crash image, removed with the test. */
function copyOf(t: TestContext, image: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'rocksdb-wal-damage-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(image, dir, { recursive: true });
  return dir;
}

/** Opens the store and returns the acknowledged puts it lacks or has wrong, and its warnings. */
async function missing(dataDir: string, acks: Ack[]): Promise<{ lost: string[]; warnings: string[] }> {
  const warnings: string[] = [];
  const store = await openStore({ engine: 'rocksdb', dataDir, sync: 'always', log: (level, msg) => warnings.push(`${level}: ${msg}`) });
  try {
    const res = await store.range({ key: Buffer.from('crash/'), rangeEnd: Buffer.from('crash0') });
    const found = new Map(res.kvs.map((kv) => [kv.key.toString(), kv.value.toString()]));
    return { lost: acks.filter((a) => found.get(a.key) !== a.value).map((a) => a.key), warnings };
  } finally {
    await store.close();
  }
}

/** RocksDB's mask of a CRC32C (rotate right by 15 bits, add a constant). */
function masked(crc: number): number {
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

test('rocksdb: a damaged WAL refuses to open naming file and offset; a torn tail keeps every acknowledged put', async (t) => {
  const image = mkdtempSync(join(tmpdir(), 'rocksdb-crash-image-'));
  t.after(() => rmSync(image, { recursive: true, force: true }));
  const acks = await crashedWriter(image);
  assert.ok(acks.length >= ACKS_BEFORE_KILL, `only ${acks.length} acks`);
  const wal = (await listWalFiles(join(image, ROCKSDB_SUBDIR))).at(-1)!;
  const walName = wal.path.slice(image.length);
  const pristine = readFileSync(wal.path);
  const scan = checkWalBytes(pristine, wal.path, wal.number, true);
  assert.ok(scan.records >= 3, `the live WAL holds ${scan.records} batches`);

  await t.test('as the kill left it: every acknowledged put is there', async (t) => {
    const dir = copyOf(t, image);
    const { lost, warnings } = await missing(dir, acks);
    assert.deepEqual(lost, [], warnings.join('\n'));
  });

  await t.test('an unfinished batch after the last record (a FIRST fragment, then zeros) is a torn tail', async (t) => {
    const dir = copyOf(t, image);
    const bytes = Buffer.from(pristine);
    const at = scan.end;
    const length = Math.min(200, 32_768 - (at % 32_768) - 7);
    assert.ok(length > 0 && at + 7 + length <= bytes.length, 'room for a fragment before the end of the zeros');
    bytes[at + 6] = 2; // FIRST
    bytes.writeUInt16LE(length, at + 4);
    bytes.fill(0x5a, at + 7, at + 7 + length);
    bytes.writeUInt32LE(masked(crc32c(bytes.subarray(at + 6, at + 7 + length))), at);
    writeFileSync(dir + walName, bytes);
    const { lost, warnings } = await missing(dir, acks);
    assert.deepEqual(lost, []);
    assert.ok(warnings.some((w) => w.includes(`torn tail in WAL ${dir + walName} at byte offset ${at}`)), warnings.join('\n'));
    // RocksDB dropped the unfinished batch and moved on to a new log: the next start is clean.
    const again = await missing(dir, acks);
    assert.deepEqual(again.lost, []);
    assert.ok(!again.warnings.some((w) => w.includes('torn tail')), again.warnings.join('\n'));
  });

  const offsets = scan.recordOffsets;
  for (const [where, record] of [
    ['the first record', offsets[0]],
    ['a middle record', offsets[Math.floor(offsets.length / 2)]],
    ['the last record', offsets.at(-1)!],
  ] as const) {
    await t.test(`a flipped byte in ${where} refuses to open, naming the file and the offset, and changes no file`, async (t) => {
      const dir = copyOf(t, image);
      const bytes = Buffer.from(pristine);
      const flip = record + 7 + 5; // inside the payload (a WriteBatch's sequence number)
      bytes[flip] ^= 0x10;
      writeFileSync(dir + walName, bytes);
      const before = files(dir);
      for (let attempt = 0; attempt < 2; attempt++) {
        await assert.rejects(openStore({ engine: 'rocksdb', dataDir: dir, sync: 'always', log: () => {} }), (err: unknown) => {
          assert.ok(err instanceof RocksdbWalCorruptionError, String(err));
          assert.equal(err.file, dir + walName);
          assert.equal(err.offset, record);
          assert.ok(err.message.includes(`${dir + walName} is corrupt at byte offset ${record}`), err.message);
          assert.ok(!err.message.includes('\n'));
          return true;
        });
      }
      assert.deepEqual(files(dir), before);
    });
  }

  await t.test('a flipped byte anywhere in the written part is refused, or harmless: never a silent loss', async (t) => {
    let seed = 15;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let i = 0; i < 12; i++) {
      const at = Math.floor(random() * scan.end);
      const dir = copyOf(t, image);
      const bytes = Buffer.from(pristine);
      bytes[at] ^= 1 << Math.floor(random() * 8);
      writeFileSync(dir + walName, bytes);
      try {
        const { lost } = await missing(dir, acks);
        // Opened: only if the flip hit bytes no record covers (a block's trailer).
        assert.deepEqual(lost, [], `flip at ${at} opened and lost ${lost.length} acknowledged puts`);
      } catch (err) {
        if (!(err instanceof RocksdbWalCorruptionError)) throw err;
        assert.ok(err.offset <= at && at - err.offset < 32_768, `flip at ${at} reported at ${err.offset}`);
      }
    }
  });
});
