import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DirTargetError, checkDirTarget, dirTargetProblem, ensureDir } from './ensure-dir.ts';

test('paths under /proc and /sys are refused before any mkdir (Node 20 spins for ever on /proc)', async () => {
  assert.match(dirTargetProblem('/proc/x')!, /'\/proc' is on procfs/);
  assert.match(dirTargetProblem('/proc/self/x/y')!, /on procfs/);
  assert.match(dirTargetProblem('/sys/x')!, /'\/sys' is on sysfs/);
  await assert.rejects(ensureDir('--data-dir', '/proc/x'), (err: unknown) => {
    assert.ok(err instanceof DirTargetError);
    assert.equal(err.message, `--data-dir '/proc/x': '/proc' is on procfs (a kernel pseudo-filesystem); expected a writable directory, or a new path under one, on a real filesystem`);
    return true;
  });
});

test('a file in the way is named; a new path under a writable directory is created', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ensure-dir-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'file'), '');
  assert.throws(() => checkDirTarget('--results', join(dir, 'file', 'a')), new RegExp(`--results '.*': '${join(dir, 'file')}' is not a directory`));
  assert.equal(dirTargetProblem(join(dir, 'a', 'b')), undefined);
  assert.equal(await ensureDir('--results', join(dir, 'a', 'b')), join(dir, 'a', 'b'));
  assert.ok(statSync(join(dir, 'a', 'b')).isDirectory());
});
