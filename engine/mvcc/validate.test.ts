// etcd's txn checks: op limits per branch, duplicate keys within a branch (puts twice, puts in
// delete ranges, across nested txns) and the shape the pipeline uses (read-only, range reads).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorMessages } from './errors.ts';
import type { RequestOp } from './types.ts';
import { checkTxn } from './validate.ts';

const b = (s: string): Buffer => Buffer.from(s);
const put = (k: string): RequestOp => ({ requestPut: { key: b(k), value: b('v') } });
const del = (k: string, end?: string): RequestOp => ({ requestDeleteRange: { key: b(k), rangeEnd: end === undefined ? undefined : b(end) } });
const get = (k: string, end?: string, revision?: number): RequestOp => ({ requestRange: { key: b(k), rangeEnd: end === undefined ? undefined : b(end), revision } });
const txn = (success: RequestOp[], failure: RequestOp[] = []): RequestOp => ({ requestTxn: { success, failure } });
const dup = { message: ErrorMessages.duplicateKey };

describe('checkTxn', () => {
  it('describes read-only and range-reading txns', () => {
    assert.deepEqual(checkTxn({ success: [get('a')] }), { readOnly: true, rangeRead: false });
    assert.deepEqual(checkTxn({ success: [get('a', 'b')] }), { readOnly: true, rangeRead: true });
    assert.deepEqual(checkTxn({ success: [get('a', undefined, 3), put('b')] }), { readOnly: false, rangeRead: true });
    assert.deepEqual(checkTxn({ failure: [txn([del('a')])] }), { readOnly: false, rangeRead: false });
    assert.deepEqual(checkTxn({ compare: [{ key: b('a'), rangeEnd: b('b'), target: 'VERSION', result: 'EQUAL' }] }), {
      readOnly: true,
      rangeRead: true,
    });
  });

  it('limits each branch and nested txn to 128 ops', () => {
    const ops = (n: number): RequestOp[] => Array.from({ length: n }, (_, i) => put(`k${i}`));
    checkTxn({ success: ops(128), failure: ops(128) });
    assert.throws(() => checkTxn({ failure: ops(129) }), { message: ErrorMessages.tooManyOps });
    assert.throws(() => checkTxn({ success: [txn(ops(129))] }), { message: ErrorMessages.tooManyOps });
  });

  it('finds duplicate keys as etcd checkIntervals does', () => {
    assert.throws(() => checkTxn({ success: [put('a'), put('a')] }), dup);
    assert.throws(() => checkTxn({ success: [del('a', 'c'), put('b')] }), dup);
    assert.throws(() => checkTxn({ success: [put('z'), del('a', '\0')] }), dup);
    assert.throws(() => checkTxn({ success: [put('a'), txn([put('a')])] }), dup);
    assert.throws(() => checkTxn({ success: [del('a', 'c'), txn([], [put('b')])] }), dup);
    assert.throws(() => checkTxn({ success: [txn([del('a')]), put('a')] }), dup);
    assert.throws(() => checkTxn({ success: [txn([put('a')]), txn([put('a')])] }), dup);
    // Allowed: then/else of one nested txn, separate top-level branches, deletes overlapping deletes.
    checkTxn({ success: [txn([put('a')], [put('a')])] });
    checkTxn({ success: [put('a')], failure: [put('a')] });
    checkTxn({ success: [del('a', 'c'), del('b', 'd'), put('d')] });
  });

  it('rejects empty keys and ignore flags with values anywhere in the tree', () => {
    assert.throws(() => checkTxn({ success: [txn([put('')])] }), { message: ErrorMessages.emptyKey });
    assert.throws(() => checkTxn({ failure: [get('')] }), { message: ErrorMessages.emptyKey });
    assert.throws(() => checkTxn({ success: [{ requestPut: { key: b('a'), value: b('x'), ignoreValue: true } }] }), {
      message: ErrorMessages.valueProvided,
    });
  });
});
