// `metabench run --json | head -5` (issue 13 item 12): the user of `head` gets five lines and the
// pipeline ends there, as with any Unix producer; the run stops as on Ctrl-C, its folder says
// interrupted, no server is left, and the exit code is 141 (128 + SIGPIPE) under pipefail.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import { parseEventLine, type RunnerEvent } from '../events/schema.ts';
import { METABENCH_BIN } from '../targets/metastore.ts';
import { isRunning, tempDir } from '../testing/run-fixtures.ts';

describe('metabench run --json | head -5', () => {
  let tmp: ReturnType<typeof tempDir>;
  before(() => {
    tmp = tempDir('metabench-head-');
  });
  after(() => tmp.remove());

  it('prints five events, stops the run (interrupted, no server left) and exits 141', async () => {
    const results = join(tmp.dir, 'results');
    const cmd = `set -o pipefail; "${process.execPath}" "${METABENCH_BIN}" run --json --targets memory --profile quick --scenarios sustained-load,mixed-workload --results "${results}" | head -5`;
    const r = await execa('bash', ['-c', cmd], { reject: false, timeout: 120_000, env: { FORCE_COLOR: '0' } });
    assert.equal(r.exitCode, 141, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 5);
    const events = lines.map((l) => parseEventLine(l));
    assert.match(r.stderr, /stdout closed by its reader: stopping the run/);
    const start = events.find((e) => e.kind === 'run-start') as Extract<RunnerEvent, { kind: 'run-start' }>;
    const [runId] = readdirSync(results).filter((d) => d !== 'latest');
    const summary = JSON.parse(readFileSync(join(results, runId!, 'summary.json'), 'utf8')) as { status: string };
    assert.equal(summary.status, 'interrupted');
    if (start.server?.pid !== undefined) assert.equal(isRunning(start.server.pid), false, 'server left running');
  });
});
