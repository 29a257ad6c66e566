// Issue 15 item 7: `report` trusted a cached report.md / summary.json. With memory.ndjson
// deleted, emptied, replaced by garbage or cut before its run-end it still printed "Status
// completed" and exited 0, and a truncated summary.json came out of `--format json` as invalid
// JSON. The NDJSON files are the truth: the report is rebuilt from them, or refused (exit 1).
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '../cli/main.ts';
import { fixtureEvents, fixtureRun } from '../report/test-fixtures.ts';

let results: string;
before(async () => {
  results = await mkdtemp(join(tmpdir(), 'metabench-truth-'));
});
after(async () => {
  await rm(results, { recursive: true, force: true });
});

/** Runs the CLI in this process with stdout and stderr captured. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = process.stdout.write;
  const err = process.stderr.write;
  let stdout = '';
  let stderr = '';
  process.stdout.write = ((c: string | Uint8Array) => ((stdout += String(c)), true)) as typeof process.stdout.write;
  process.stderr.write = ((c: string | Uint8Array) => ((stderr += String(c)), true)) as typeof process.stderr.write;
  try {
    return { code: await main([...args, '--results', results]), stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

/** A finished run whose report files were written, then `damage` done to its memory.ndjson. */
async function damaged(runId: string, damage: (file: string) => Promise<void>): Promise<string> {
  const dir = await fixtureRun(results, { runId });
  const first = await cli(['report', runId]);
  assert.equal(first.code, 0, first.stderr);
  assert.match(await readFile(join(dir, 'report.md'), 'utf8'), /\| Status \| completed \|/);
  await damage(join(dir, 'memory.ndjson'));
  return dir;
}

describe('report rebuilds from the NDJSON, never from a cached report', () => {
  const cases: Array<{ name: string; damage: (file: string) => Promise<void>; stderr: RegExp }> = [
    { name: 'deleted', damage: (f) => unlink(f), stderr: /^metabench: run deleted cannot be reported: memory\.ndjson is missing from .* \(the event files are the results\)\n$/ },
    { name: 'emptied', damage: (f) => truncate(f, 0), stderr: /^metabench: run emptied is not finished: no run-end from memory \(memory\.ndjson is empty\)/ },
    { name: 'garbage', damage: (f) => writeFile(f, 'PK\u0003\u0004 not events at all\n\u0000\u0001\u0002\n'), stderr: /^metabench: run garbage cannot be reported: memory\.ndjson:1: not JSON: PK/ },
    {
      name: 'no-run-end',
      damage: (f) => writeFile(f, fixtureEvents({ runId: 'no-run-end', targets: ['memory'] }).memory.slice(0, -1).map((e) => JSON.stringify(e) + '\n').join('')),
      stderr: /^metabench: run no-run-end is not finished: no run-end from memory \(still running/,
    },
  ];
  for (const c of cases) {
    it(`memory.ndjson ${c.name}: exit 1 with one clear line, for md and json alike`, async () => {
      await damaged(c.name, c.damage);
      for (const format of ['md', 'json']) {
        const r = await cli(['report', c.name, '--format', format]);
        assert.equal(r.code, 1, `${format}: ${r.stdout}`);
        assert.equal(r.stdout, '');
        assert.match(r.stderr, c.stderr);
        assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
      }
    });
  }

  it('--format json is valid JSON rebuilt from the events even when summary.json is cut short or edited', async () => {
    const dir = await damaged('cut-summary', async () => {});
    const summary = join(dir, 'summary.json');
    await truncate(summary, 100);
    const r = await cli(['report', 'cut-summary', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const parsed = JSON.parse(r.stdout) as { runId: string; status: string };
    assert.deepEqual([parsed.runId, parsed.status], ['cut-summary', 'completed']);
    await writeFile(join(dir, 'report.md'), '# hand-edited\n| Status | completed |\n');
    const md = await cli(['report', 'cut-summary']);
    assert.match(md.stdout, /^# metabench report — cut-summary\n/);
  });
});
