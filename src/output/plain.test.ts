// Plain output (non-TTY, no --json): readable lines and a final table, no escape codes.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { startRun } from '../orchestrator/index.ts';
import { fakeRunOptions, tempDir } from '../testing/run-fixtures.ts';
import { streamPlain } from './plain.ts';
import { streamJson } from './json.ts';
import { SummaryLine } from './summary-line.ts';
import { parseEventLine } from '../events/schema.ts';

function collect(): { out: PassThrough; text: () => string } {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  return { out, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('headless output', () => {
  let tmp: ReturnType<typeof tempDir>;
  before(() => (tmp = tempDir('plain')));
  after(() => tmp.remove());

  it('plain: event lines then a results table, no escape codes', async () => {
    const run = await startRun(fakeRunOptions(tmp.dir, ['memory', 'rocksdb'], { FAKE_RUNNER_MODE_MEMORY: 'complete', FAKE_RUNNER_MODE_ROCKSDB: 'crash' }));
    const { out, text } = collect();
    assert.equal(await streamPlain(run, out), 1);
    const s = text();
    assert.equal(s.includes('\u001b'), false, 'no escape codes');
    const lines = s.split('\n');
    assert.match(lines[0], /^metabench run \S+ \(sequential, profile quick, seed 1\) -> /);
    const header = lines.findIndex((l) => l.startsWith('scenario '));
    assert.ok(header > 0, s);
    assert.match(lines[header], /^scenario\s+memory\s+rocksdb$/);
    assert.match(lines[header + 2], /^s1\s+2,000 ops\/s · p99 2\.0 ms · A\s+aborted$/);
    assert.match(lines[header + 4], /^status\s+completed in .*\s+crashed: runner signal SIGKILL$/);
    assert.match(s, /results: .* \(exit 1\)\n$/);
  });

  it('json: one valid event per line, then the summary', async () => {
    const run = await startRun(fakeRunOptions(tmp.dir, ['memory'], { FAKE_RUNNER_MODE: 'complete' }));
    const { out, text } = collect();
    assert.equal(await streamJson(run, out), 0);
    const lines = text().trimEnd().split('\n');
    assert.deepEqual(
      lines.slice(0, -1).map((l) => parseEventLine(l).kind),
      ['run-start', 'scenario-start', 'progress', 'scenario-end', 'run-end'],
    );
    const summary = SummaryLine.parse(JSON.parse(lines.at(-1)!));
    assert.deepEqual(summary.targets, [{ target: 'memory', status: 'completed', scenarios: [{ scenario: 's1', status: 'passed', opsPerSec: 2000, p99Ms: 2, errors: 0, grade: 'A' }] }]);
  });
});
