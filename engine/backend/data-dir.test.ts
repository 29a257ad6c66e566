import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimDataDir, LOCK_FILE, MARKER_FILE } from './data-dir.ts';
import { processStartTime, selfIdentity } from './dir-lock.ts';

async function withDir(fn: (dir: string) => Promise<void>) {
  const dir = await mkdtemp(join(tmpdir(), 'metabench-datadir-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Every entry under `dir` with its bytes, to show a refusal changed nothing. */
async function listing(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const path = join(e.parentPath, e.name);
    out.push(e.isFile() ? `${path} ${(await readFile(path)).toString('base64')}` : `${path}/`);
  }
  return out.sort();
}

async function refusedUntouched(dir: string, engine: 'memory' | 'rocksdb', pattern: RegExp): Promise<void> {
  const before = await listing(dir);
  await assert.rejects(claimDataDir(dir, engine), (err: Error) => {
    assert.match(err.message, pattern);
    assert.ok(!err.message.includes('\n'), err.message);
    return true;
  });
  assert.deepEqual(await listing(dir), before);
}

test('a directory claimed by one engine is refused by the other', () =>
  withDir(async (dir) => {
    const release = await claimDataDir(dir, 'memory');
    await release();
    await assert.rejects(claimDataDir(dir, 'rocksdb'), /written by the memory engine/);
    const again = await claimDataDir(dir, 'memory');
    await again();
  }));

test('a live lock is refused, a stale one is taken over', () =>
  withDir(async (dir) => {
    const release = await claimDataDir(dir, 'memory');
    await assert.rejects(claimDataDir(dir, 'memory'), /already open in this process/);
    await release();
    // pid 2^22+1 is above Linux's default pid_max, so it names no live process.
    await writeFile(join(dir, LOCK_FILE), String(4194305));
    const taken = await claimDataDir(dir, 'memory');
    await taken();
    await writeFile(join(dir, LOCK_FILE), '1'); // init is always alive
    await assert.rejects(claimDataDir(dir, 'memory'), /in use by process 1/);
  }));

test('a lock left by an earlier process with our pid (pid reuse: PID 1 in a container) is taken over', () =>
  withDir(async (dir) => {
    const self = selfIdentity();
    // What a kill -9 of the previous PID-1 server leaves: our pid, another start time.
    await writeFile(join(dir, LOCK_FILE), JSON.stringify({ ...self, start: '1' }));
    const release = await claimDataDir(dir, 'memory');
    assert.deepEqual(JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8')), JSON.parse(JSON.stringify(self)));
    await release();
    // Even a bare pid (the older lock format) naming us is stale: this process holds no lock on it.
    await writeFile(join(dir, LOCK_FILE), String(process.pid));
    await (await claimDataDir(dir, 'memory'))();
  }));

test('a lock naming a live but unrelated process (its pid reused) is taken over; the real owner is not', async () =>
  withDir(async (dir) => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      const pid = child.pid!;
      const start = processStartTime(pid);
      assert.ok(start !== undefined, 'this test needs /proc');
      await writeFile(join(dir, LOCK_FILE), JSON.stringify({ pid, start, boot: selfIdentity().boot }));
      await assert.rejects(claimDataDir(dir, 'memory'), new RegExp(`in use by process ${pid}`));
      await writeFile(join(dir, LOCK_FILE), JSON.stringify({ pid, start: String(Number(start) - 1), boot: selfIdentity().boot }));
      await (await claimDataDir(dir, 'memory'))();
      await writeFile(join(dir, LOCK_FILE), JSON.stringify({ pid, start, boot: 'another boot' }));
      await (await claimDataDir(dir, 'memory'))();
    } finally {
      child.kill('SIGKILL');
    }
  }));

test("a directory holding the other engine's data without a marker is refused, untouched", () =>
  withDir(async (dir) => {
    const release = await claimDataDir(dir, 'memory');
    await release();
    await mkdir(join(dir, 'wal'));
    await writeFile(join(dir, 'wal', '0000000000000001.wal'), 'records');
    await rm(join(dir, MARKER_FILE));
    await refusedUntouched(dir, 'rocksdb', /has no metastore\.json but is not empty \(wal: it looks like memory engine data\); refusing to open it with --engine rocksdb/);
    await refusedUntouched(dir, 'memory', /has no metastore\.json but is not empty/);
  }));

test('a non-empty folder without a marker is refused, untouched', () =>
  withDir(async (dir) => {
    await writeFile(join(dir, 'important.txt'), 'do not lose me');
    await refusedUntouched(dir, 'memory', /has no metastore\.json but is not empty \(important\.txt: not a metabench data directory\)/);
    await refusedUntouched(dir, 'rocksdb', /important\.txt/);
  }));

test('a marker of an unknown format, engine or shape is refused, untouched', () =>
  withDir(async (dir) => {
    for (const [text, pattern] of [
      ['{"engine":"memory","format":99}', /has format 99, which this version does not know \(it reads memory format 1\)/],
      ['{"engine":"memory"}', /has format undefined/],
      ['{"engine":"leveldb","format":1}', /unknown engine "leveldb"/],
      ['[1]', /names no engine/],
      ['{"engine":', /not valid JSON/],
    ] as const) {
      await writeFile(join(dir, MARKER_FILE), text);
      await refusedUntouched(dir, 'memory', pattern);
    }
  }));

test('a directory holding only a lock left by a first open that died is taken', () =>
  withDir(async (dir) => {
    await writeFile(join(dir, LOCK_FILE), String(4194305));
    await (await claimDataDir(dir, 'rocksdb'))();
    assert.deepEqual(JSON.parse(await readFile(join(dir, MARKER_FILE), 'utf8')), { engine: 'rocksdb', format: 2 });
  }));

test('a rocksdb marker of format 1 is read and upgraded to 2; a memory marker of format 2 is refused', () =>
  withDir(async (dir) => {
    await writeFile(join(dir, MARKER_FILE), '{"engine":"rocksdb","format":1}');
    await (await claimDataDir(dir, 'rocksdb'))();
    assert.deepEqual(JSON.parse(await readFile(join(dir, MARKER_FILE), 'utf8')), { engine: 'rocksdb', format: 2 });
    await writeFile(join(dir, MARKER_FILE), '{"engine":"memory","format":2}');
    await refusedUntouched(dir, 'memory', /has format 2, which this version does not know \(it reads memory format 1\)/);
  }));

test('a data directory under /proc or behind a file is refused before anything is created', () =>
  withDir(async (dir) => {
    await assert.rejects(claimDataDir('/proc/metabench-test/x', 'memory'), /'\/proc' is on procfs/);
    await writeFile(join(dir, 'file'), '');
    await assert.rejects(claimDataDir(join(dir, 'file', 'db'), 'memory'), /is not a directory/);
  }));
