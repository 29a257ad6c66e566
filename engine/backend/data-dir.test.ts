import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimDataDir, LOCK_FILE } from './data-dir.ts';

async function withDir(fn: (dir: string) => Promise<void>) {
  const dir = await mkdtemp(join(tmpdir(), 'metabench-datadir-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
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
