import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as hdr from 'hdr-histogram-js';
import { CO_FACTOR, CO_FLOOR_US, CO_MAX_VALUES, CO_MIN_SAMPLES, ExpectedInterval, missedSamples, recordMissed } from './coordinated-omission.ts';
import { Recorder } from './recorder.ts';

const steady = (us: number, n = CO_MIN_SAMPLES): ExpectedInterval => {
  const e = new ExpectedInterval();
  for (let i = 0; i < n; i++) e.observe(us);
  return e;
};
const histogram = () => hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3 });

describe('ExpectedInterval: when a stall is corrected', () => {
  it('not before the worker has a baseline', () => {
    assert.equal(steady(1000, CO_MIN_SAMPLES - 1).stallInterval(2_000_000, true), undefined);
    assert.equal(steady(1000).stallInterval(2_000_000, true), 1000);
  });

  it('an answered operation only over both the factor and the 1 s floor', () => {
    // Mean 1 ms: 250 ms is 250× the mean but a closed loop's own tail; it stays as it is.
    assert.equal(steady(1000).stallInterval(250_000, false), undefined);
    assert.equal(steady(1000).stallInterval(CO_FLOOR_US + 1, false), 1000);
    // Mean 200 ms: 1.5 s is over the floor but under 10× the mean.
    assert.equal(steady(200_000).stallInterval(1_500_000, false), undefined);
    assert.equal(steady(200_000).stallInterval(CO_FACTOR * 200_000 + 1, false), 200_000);
  });

  it('a timed-out operation under the floor, if over the factor', () => {
    assert.equal(steady(1000).stallInterval(300_000, true), 1000);
    assert.equal(steady(50_000).stallInterval(300_000, true), undefined);
  });

  it('one stall does not become the baseline; a lasting change of speed does', () => {
    const e = steady(1000);
    e.observe(3_000_000);
    assert.equal(e.stallInterval(2_000_000, false) !== undefined, true, 'the next stall is still corrected');
    for (let i = 0; i < 40; i++) e.observe(1_500_000);
    assert.equal(e.stallInterval(1_500_000, false), undefined, 'a server that is now 1.5 s per op is no stall');
  });
});

describe('recordMissed', () => {
  it('adds L−E, L−2E, … ≥ E, as recordValueWithExpectedInterval does', () => {
    const h = histogram();
    assert.equal(recordMissed([h], 5000, 1000), 4);
    const ref = histogram();
    ref.recordValueWithExpectedInterval(5000, 1000);
    assert.equal(h.totalCount, ref.totalCount - 1, 'the same samples less the operation itself');
    assert.deepEqual([h.minNonZeroValue, h.maxValue], [1000, 4000]);
    assert.equal(missedSamples(1500, 1000), 0);
  });

  it('a long stall on a fast baseline keeps its full weight in bounded values', () => {
    const h = histogram();
    // 30 s at 10 µs: 2,999,999 missed samples, recorded as CO_MAX_VALUES values with counts.
    assert.equal(recordMissed([h], 30_000_000, 10), 2_999_999);
    assert.equal(h.totalCount, 2_999_999);
    assert.ok(CO_MAX_VALUES < 2_999_999);
    const p50 = h.getValueAtPercentile(50);
    assert.ok(Math.abs(p50 - 15_000_000) < 15_000_000 * 0.01, `p50 ${p50} µs is mid-stall`);
  });
});

describe('Recorder with a stall interval', () => {
  it('counts the corrected samples apart from the measured ones', () => {
    const rec = new Recorder({ scenario: 's', ctx: { emit: () => undefined, serverSample: () => undefined } });
    rec.start();
    for (let i = 0; i < 100; i++) rec.succeeded('put', 1000);
    rec.succeeded('put', 2_000_000, 1000);
    rec.latency('put', 2_000_000, 1000);
    rec.stop();
    const put = rec.latencies().put!;
    assert.equal(put.count, 102, 'count is the measured samples');
    assert.equal(rec.correctedSamples, 2 * 1999);
    assert.ok(put.p99Ms > 1000, `p99 ${put.p99Ms} ms shows the stall`);
    rec.destroy();
  });
});
