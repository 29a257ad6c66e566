// Every `extra` figure reads with a label and a unit (issue 13 item 9): no camelCase key and no
// bare number in the detail view.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fmtExtra } from './extra-labels.ts';

describe('fmtExtra', () => {
  it('labels the keys the workloads write, with units', () => {
    assert.equal(fmtExtra('runnerCpuUsPerOp', 2429), 'runner CPU per op 2,429 µs/op');
    assert.equal(fmtExtra('runnerCpuPercent', 96.4), 'runner CPU 96% of a core');
    assert.equal(fmtExtra('bytesReclaimed', 1536), 'space reclaimed 1.5 KiB');
    assert.equal(fmtExtra('overwriteMs', 1234), 'overwrite phase 1.2 s');
    assert.equal(fmtExtra('lostDeliveries', 0), 'events lost 0');
    assert.equal(fmtExtra('windowMinOpsPerSec', 1256.4), 'slowest 1 s window 1,256 ops/s');
  });
  it('gives an unknown key its unit from its suffix and words from its camelCase', () => {
    assert.equal(fmtExtra('leaseRenewMs', 12), 'lease renew 12 ms');
    assert.equal(fmtExtra('walSegments', 3), 'wal segments 3');
  });
  it('never prints a camelCase word for the keys seen in a quick run', () => {
    const keys = ['bytesReclaimed', 'casConflicts', 'casOpsPerSec', 'casPhaseMs', 'casSucceeded', 'catchUpMs', 'compactMs', 'compactRevision', 'dbSizeAfterBytes', 'dbSizeBeforeBytes', 'defragmentMs', 'deliveries', 'duplicateDeliveries', 'eventsWritten', 'intactReads', 'loadMs', 'loadedRevision', 'lostDeliveries', 'mixDeviationPoints', 'outOfOrderDeliveries', 'overwriteMs', 'readMs', 'runnerCpuPercent', 'runnerCpuUsPerOp', 'runnerRssBytes', 'serverCpuUsPerOp', 'stableWindows', 'throughputCv', 'txnElse', 'txnPhaseMs', 'txnThen', 'watchDisconnects', 'watchErrors', 'watchers', 'windowMaxOpsPerSec', 'windowMeanOpsPerSec', 'windowMinOpsPerSec'];
    for (const k of keys) assert.doesNotMatch(fmtExtra(k, 1), /[a-z][A-Z]/, k);
  });
});
