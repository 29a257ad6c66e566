import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../cli/main.ts';
import { writeFixtureRun } from '../dashboard/fixture-run.ts';
import { finishedRun } from '../state/fixtures.ts';

/** Runs the CLI with stderr captured. */
async function cli(args: string[]): Promise<{ code: number; stderr: string }> {
  const write = process.stderr.write;
  let stderr = '';
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    return { code: await main(args), stderr };
  } finally {
    process.stderr.write = write;
  }
}

test('monitor: a missing run folder is one line on stderr and exit 2', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'metabench-monitor-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { code, stderr } = await cli(['monitor', join(dir, 'nope')]);
  assert.equal(code, 2);
  assert.match(stderr, /^metabench: run folder '.*nope' does not exist .*\n$/);
});

test('monitor: stdout not a terminal and no --once is a usage error naming the alternatives', { skip: process.stdout.isTTY === true && 'stdout is a terminal here' }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'metabench-monitor-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const runDir = writeFixtureRun(join(dir, 'run'), { targets: ['memory'], events: finishedRun().filter((e) => e.target === 'memory') });
  const { code, stderr } = await cli(['monitor', runDir]);
  assert.equal(code, 2);
  assert.match(stderr, /stdout is not a terminal; use --once/);
});
