// One definition per kind of figure: the edge cases each must get right (unit boundaries,
// rounding that would print the next unit's number, zero, negative and non-finite input).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fmtBytes, fmtChange, fmtClock, fmtCompact, fmtCount, fmtCpuPercent, fmtCpuPerOp, fmtDuration, fmtFactor, fmtMs, fmtNs, fmtOps, fmtPct, fmtPercent } from './figures.ts';

const table = (f: (x: number) => string, rows: Array<[number, string]>) => {
  for (const [x, want] of rows) assert.equal(f(x), want, `${f.name}(${x})`);
};

describe('figures', () => {
  it('fmtNs: ns, two decimals below 10 µs, one below 1 ms, then ms; 12,300 ns is 12.3 µs', () => {
    table(fmtNs, [[0, '0 ns'], [850, '850 ns'], [999.4, '999 ns'], [999.6, '1.00 µs'], [1234, '1.23 µs'], [9_994, '9.99 µs'], [9_996, '10.0 µs'], [12_300, '12.3 µs'], [999_949, '999.9 µs'], [999_960, '1.0 ms'], [1_250_000, '1.3 ms'], [25e6, '25 ms']]);
    assert.equal(fmtNs(Number.NaN), 'NaN');
    assert.equal(fmtNs(Number.POSITIVE_INFINITY), 'Infinity');
  });
  it('fmtMs: two decimals under 1 ms, one under 10 ms, grouped whole numbers above; unit optional', () => {
    table(fmtMs, [[0, '0.00 ms'], [0.42, '0.42 ms'], [0.996, '1.0 ms'], [3.14, '3.1 ms'], [9.96, '10 ms'], [14.4, '14 ms'], [1250, '1,250 ms']]);
    assert.equal(fmtMs(3.14, false), '3.1');
    assert.equal(fmtMs(Number.NaN), 'NaN');
  });
  it('fmtDuration: ms, then seconds with one decimal, then minutes and hours', () => {
    table(fmtDuration, [[0, '0 ms'], [850, '850 ms'], [999.6, '1.0 s'], [12_340, '12.3 s'], [59_949, '59.9 s'], [59_960, '1m 00s'], [245_000, '4m 05s'], [3_720_000, '1h 02m']]);
  });
  it('fmtClock: whole seconds for elapsed times and ETAs; unknown or negative is a dash', () => {
    table(fmtClock, [[0, '0s'], [45_000, '45s'], [59_499, '59s'], [59_500, '1m 00s'], [185_000, '3m 05s'], [3_720_000, '1h 02m']]);
    assert.equal(fmtClock(undefined), '—');
    assert.equal(fmtClock(-1), '—');
    assert.equal(fmtClock(Number.NaN), '—');
  });
  it('fmtBytes: binary units, never "1024 KiB"', () => {
    table(fmtBytes, [[0, '0 B'], [512, '512 B'], [1023, '1023 B'], [1024, '1.0 KiB'], [1536, '1.5 KiB'], [1024 * 1023.9, '1.0 MiB'], [120 * 2 ** 20, '120 MiB'], [1.4 * 2 ** 30, '1.4 GiB']]);
    assert.equal(fmtBytes(undefined), '—');
    assert.equal(fmtBytes(Number.NaN), '—');
  });
  it('fmtOps and fmtCount: grouped whole numbers', () => {
    table(fmtOps, [[0, '0'], [9_800.4, '9,800'], [1_234_567, '1,234,567'], [-5, '-5']]);
    assert.equal(fmtCount(12_345), '12,345');
    assert.equal(fmtOps(Number.POSITIVE_INFINITY), 'Infinity');
  });
  it('fmtCompact: k and M without a "1000k"', () => {
    table(fmtCompact, [[0, '0'], [950, '950'], [999.6, '1k'], [12_345, '12k'], [9_949, '9.9k'], [999_600, '1M'], [1_234_567, '1.2M']]);
  });
  it('fmtPercent keeps tiny rates visible; fmtPct is progress, clamped and rounded down', () => {
    table(fmtPercent, [[0, '0%'], [0.0125, '1.25%'], [0.5, '50%'], [0.00001, '0.001%']]);
    table(fmtPct, [[0, '0%'], [0.599, '59%'], [1, '100%'], [1.5, '100%'], [-1, '0%'], [Number.NaN, '0%']]);
  });
  it('fmtFactor, fmtChange and fmtCpuPerOp', () => {
    table(fmtFactor, [[0.49, '0.49×'], [2.94, '2.9×'], [19.6, '19.6×'], [120.4, '120×'], [Number.POSITIVE_INFINITY, '∞×']]);
    table(fmtChange, [[0.123, '+12.3%'], [-0.05, '-5.0%'], [0, '+0.0%']]);
    table(fmtCpuPerOp, [[38.2, '38 µs/op'], [4.54, '4.5 µs/op'], [1234, '1,234 µs/op']]);
  });
  it('fmtCpuPercent: whole percent of one core, unknown as —', () => {
    table(fmtCpuPercent, [[55.5, '56%'], [0, '0%'], [187.2, '187%'], [Number.NaN, '—']]);
    assert.equal(fmtCpuPercent(undefined), '—');
  });
});
