// The quick start is quick (issue 13 item 5): `metabench` with no flags runs the quick profile, and
// `run --help` says how long each profile takes and lists the scenarios.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import { BUILTIN_SCENARIOS } from '../../scenarios/loader.ts';
import { DEFAULT_PROFILE, SCENARIO_NAMES } from './defaults.ts';

const BIN = fileURLToPath(new URL('../bin/metabench.js', import.meta.url));

describe('run --help', () => {
  it('defaults to the quick profile and lists the scenarios the loader has, with each profile\'s duration', async () => {
    assert.equal(DEFAULT_PROFILE, 'quick');
    assert.deepEqual([...SCENARIO_NAMES], BUILTIN_SCENARIOS);
    const r = await execa('node', [BIN, 'run', '--help'], { reject: false, timeout: 60_000 });
    assert.equal(r.exitCode, 0);
    const help = r.stdout.replace(/\s+/g, ' ');
    for (const name of BUILTIN_SCENARIOS) assert.ok(help.includes(name), name);
    assert.match(help, /quick ≈ \d+ min .*standard ≈ \d+ min .*soak ≈ [\d.]+ h/);
    assert.match(help, /\(default: "quick"\)/);
  });
});
