import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../errors.ts';
import { parseGrade } from '../commands/grade-flag.ts';
import { gradeBelow, gradeLetterOf, worseGrade } from './letters.ts';
import { overallGrade } from './overall.ts';

describe('parseGrade', () => {
  const rows: Array<[string, string]> = [['A+', 'A+'], ['a+', 'A+'], [' b ', 'B'], ['f', 'F'], ['D', 'D']];
  for (const [given, want] of rows) {
    it(`parses '${given}' as ${want}`, () => {
      assert.equal(gradeLetterOf(given), want);
      assert.equal(parseGrade(given), want);
    });
  }
  for (const bad of ['', 'E', 'A-', 'B+', 'AA', '1']) {
    it(`refuses '${bad}' with a usage error naming it`, () => {
      assert.equal(gradeLetterOf(bad), undefined);
      assert.throws(() => parseGrade(bad), (e: unknown) => e instanceof UsageError && e.message === `'${bad}' is not a grade; expected one of A+, A, B, C, D, F`);
    });
  }
});

it('names the flag when given one', () => {
  assert.throws(() => parseGrade('Q', '--fail-under'), { message: "--fail-under: 'Q' is not a grade; expected one of A+, A, B, C, D, F" });
});

describe('gradeBelow', () => {
  it('orders A+ > A > B > C > D > F', () => {
    const order = ['A+', 'A', 'B', 'C', 'D', 'F'] as const;
    for (let i = 0; i < order.length; i++) {
      for (let j = 0; j < order.length; j++) {
        assert.equal(gradeBelow(order[i], order[j]), i > j, `${order[i]} below ${order[j]}`);
      }
    }
    assert.equal(worseGrade('A', 'C'), 'C');
    assert.equal(worseGrade('F', 'A+'), 'F');
  });
});

describe('overallGrade', () => {
  const g = (scenario: string, grade: 'A+' | 'A' | 'B' | 'C' | 'D' | 'F') => ({ scenario, grade: { grade, reason: `${grade}: …` } });
  it('is the weakest scenario grade', () => {
    assert.deepEqual(overallGrade([g('large-scale-load', 'A+'), g('txn-throughput', 'B'), g('mixed-workload', 'A+'), g('compaction', 'A')]), {
      grade: 'B',
      reason: 'B: weakest of 4 scenarios is txn-throughput (B); others A+ ×2, A ×1',
    });
  });
  it('is F when any scenario is F', () => {
    assert.equal(overallGrade([g('a', 'A+'), g('b', 'F'), g('c', 'F')])?.reason, 'F: weakest of 3 scenarios are b, c (F); others A+ ×1');
  });
  it('names a single scenario', () => {
    assert.deepEqual(overallGrade([g('a', 'C')]), { grade: 'C', reason: 'C: only scenario a (C)' });
  });
  it('has no grade without graded scenarios', () => {
    assert.equal(overallGrade([]), undefined);
  });
});
