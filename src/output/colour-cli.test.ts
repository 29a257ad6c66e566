// Colour end to end through the real CLI (issue 13 item 10): with FORCE_COLOR or --color the
// plain `run`, `tail`, `report` and `compare` output colours its grades even on a pipe; piped,
// with NO_COLOR or --no-color it has no escape code; `--json` and report.md never have one.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import { METABENCH_BIN } from '../server/processes.ts';
import { tempDir } from '../testing/run-fixtures.ts';

const ESC = '\u001b';
/** A grade letter painted bold in its colour (`\e[1m\e[36mB`). */
const PAINTED_GRADE = new RegExp(`${ESC}\\[1m${ESC}\\[3\\dm(A\\+|A|B|C|D|F)${ESC}\\[39m`);
/** `text` painted in the 16-colour code `code` (32 green, 90 gray). */
const painted = (code: number, text: string) => `${ESC}[${code}m${text}${ESC}[39m`;

/** Runs the CLI on pipes with exactly the colour variables given (none inherited). */
function metabench(args: string[], colourEnv: Record<string, string> = {}) {
  const env = { ...process.env };
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  return execa(process.execPath, [METABENCH_BIN, ...args], { reject: false, timeout: 180_000, extendEnv: false, env: { ...env, ...colourEnv } });
}

describe('colour through the CLI', () => {
  let tmp: ReturnType<typeof tempDir>;
  let results: string;
  let plainRun: Awaited<ReturnType<typeof metabench>>;
  let runIds: string[];
  before(async () => {
    tmp = tempDir('colour');
    results = join(tmp.dir, 'results');
    const tiny = join(tmp.dir, 'tiny.yaml');
    writeFileSync(tiny, 'name: tiny\ndescription: a few put-get pairs\nworkload: put-get\nparams: { clients: 4, opsPerClient: 25 }\n');
    const args = ['--targets', 'memory', '--scenario-file', tiny, '--seed', '3', '--results', results];
    plainRun = await metabench(['run', ...args], { FORCE_COLOR: '1' });
    const json = await metabench(['run', '--json', ...args], { FORCE_COLOR: '1' });
    assert.equal(json.exitCode, 0, json.stderr);
    assert.equal(json.stdout.includes(ESC), false, '--json is never coloured');
    runIds = [plainRun, json].map((r) => /"runId":"([^"]+)"|metabench run ([\w-]+)/.exec(r.stdout)).map((m) => m?.[1] ?? m?.[2] ?? '');
  });
  after(() => tmp.remove());

  it('run: FORCE_COLOR colours the plain output on a pipe, grades included', () => {
    assert.equal(plainRun.exitCode, 0, plainRun.stderr);
    assert.match(plainRun.stdout, PAINTED_GRADE);
    assert.ok(plainRun.stdout.includes(painted(32, 'passed')), plainRun.stdout);
    assert.equal(readFileSync(join(results, runIds[0], 'report.md'), 'utf8').includes(ESC), false, 'report.md has no escape code');
  });

  it('tail: coloured with FORCE_COLOR or --color; plain piped, with NO_COLOR or --no-color', async () => {
    const forced = await metabench(['tail', runIds[0], '--results', results], { FORCE_COLOR: '1' });
    assert.equal(forced.exitCode, 0, forced.stderr);
    assert.match(forced.stdout, PAINTED_GRADE);
    assert.match((await metabench(['tail', runIds[0], '--results', results, '--color'])).stdout, PAINTED_GRADE);
    for (const [env, extra] of [[{}, []], [{ NO_COLOR: '1' }, []], [{ FORCE_COLOR: '1' }, ['--no-color']]] as const) {
      const r = await metabench(['tail', runIds[0], '--results', results, ...extra], env);
      assert.equal(r.exitCode, 0, r.stderr);
      assert.match(r.stdout, /grade (A\+|A|B|C|D|F)/);
      assert.equal(r.stdout.includes(ESC), false, `no escape with ${JSON.stringify(env)} ${extra.join(' ')}`);
    }
  });

  it('report: coloured on request, plain piped — and report.md stays plain either way', async () => {
    const coloured = await metabench(['report', runIds[0], '--results', results], { FORCE_COLOR: '1' });
    assert.equal(coloured.exitCode, 0, coloured.stderr);
    assert.match(coloured.stdout, PAINTED_GRADE);
    const piped = await metabench(['report', runIds[0], '--results', results], { NO_COLOR: '1' });
    const md = readFileSync(join(results, runIds[0], 'report.md'), 'utf8');
    assert.equal(md.includes(ESC), false);
    assert.equal(piped.stdout, md.replace(/\n$/, ''));
    const json = await metabench(['report', runIds[0], '--results', results, '--format', 'json'], { FORCE_COLOR: '1' });
    assert.equal(json.stdout.includes(ESC), false, 'report --format json is never coloured');
  });

  it('compare: verdicts coloured on request, plain piped', async () => {
    const coloured = await metabench(['compare', ...runIds, '--results', results, '--threshold', '1000'], { FORCE_COLOR: '1' });
    assert.equal(coloured.exitCode, 0, coloured.stderr);
    // Runs without repeats: no verdict, `noise unknown`, gray like within noise (a client-bound note may follow it).
    assert.ok(coloured.stdout.includes(`${ESC}[90mnoise unknown`), coloured.stdout);
    const piped = await metabench(['compare', ...runIds, '--results', results, '--threshold', '1000']);
    assert.equal(piped.stdout.includes(ESC), false);
  });
});
