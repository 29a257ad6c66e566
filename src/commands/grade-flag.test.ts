import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import { UsageError } from '../errors.ts';
import { METABENCH_BIN } from '../targets/metastore.ts';
import { FAIL_UNDER_GRADES } from '../grades/fail-under.ts';
import { parseFailUnder } from './grade-flag.ts';

describe('--fail-under', () => {
  it('accepts A+…D, refuses F (nothing is below it) and non-grades, naming what it takes', () => {
    for (const g of FAIL_UNDER_GRADES) assert.equal(parseFailUnder(g.toLowerCase()), g);
    assert.throws(() => parseFailUnder('F'), (e: Error) => e instanceof UsageError && e.message === "--fail-under: 'F' would never fail (no grade is below F); expected one of A+, A, B, C, D");
    assert.throws(() => parseFailUnder('E'), (e: Error) => e instanceof UsageError && e.message === "--fail-under: 'E' is not a grade; expected one of A+, A, B, C, D");
  });

  it('the help lists exactly the letters it accepts', async () => {
    const r = await execa(process.execPath, [METABENCH_BIN, 'run', '--help'], { reject: false, env: { FORCE_COLOR: '0' } });
    const line = r.stdout.replace(/\n\s+/g, ' ');
    assert.match(line, new RegExp(`--fail-under <grade>.*\\(${FAIL_UNDER_GRADES.join(', ').replace('+', '\\+')}\\)`));
    const f = await execa(process.execPath, [METABENCH_BIN, 'run', '--fail-under', 'F'], { reject: false, env: { FORCE_COLOR: '0' } });
    assert.equal(f.exitCode, 2);
    assert.match(f.stderr, /--fail-under: 'F' would never fail/);
  });
});
