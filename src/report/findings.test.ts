import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { latency } from '../state/fixtures.ts';
import { chartFixture, chartFixtureOptions, figures, hasNumber } from './charts/test-fixture.ts';
import { keyFindings, MAX_FINDINGS } from './findings.ts';
import { renderMarkdown } from './markdown.ts';
import { markdownVisuals } from './visual-reports.ts';

describe('key findings', () => {
  it('says who is fastest, where the client is the limit, the tail outlier and the server CPU spread', () => {
    const { summary, charts } = chartFixture();
    assert.deepEqual(
      keyFindings(summary, charts).map((f) => f.text),
      [
        'large-scale-load: memory fastest, 4,000 ops/s vs rocksdb 3,000 (1.3×).',
        'txn-throughput: memory fastest, 2,400 ops/s vs etcd 1,200 (2.0×).',
        'Client-bound (within 1.25× of the no-op ceiling, or runner CPU ≥ 90% of a core) — large-scale-load: memory (at ceiling 1.20×); txn-throughput: rocksdb (runner CPU 95%): these figures may measure the load generator more than the servers.',
        '0 errors and every check passed, on every target and scenario.',
        'Tail latency: etcd on txn-throughput (put) has p99.9 100 ms against a p99 of 20 ms (5.0×).',
        'Server CPU per operation differs most on large-scale-load: etcd 380 µs/op vs memory 110 µs/op (3.5×).',
      ],
    );
  });

  it('states only figures that the report prints below the findings', () => {
    const { summary, run, charts } = chartFixture();
    const md = renderMarkdown(summary, markdownVisuals(summary, run));
    const below = md.slice(md.indexOf('\n## ', md.indexOf('## Key findings') + 5));
    const findings = keyFindings(summary, charts);
    assert.ok(md.indexOf('## Key findings') < md.indexOf('## Overall'), 'findings come first');
    for (const f of findings) {
      assert.ok(figures(f.text).length > 0, `"${f.text}" states a figure`);
      for (const n of figures(f.text)) assert.ok(hasNumber(below, n), `${n} of "${f.text}" is in the report below`);
    }
  });

  it('names failed checks, errors and targets that did not run first when the list is cut', () => {
    const o = chartFixtureOptions();
    o.endOver!['rocksdb/txn-throughput'] = {
      ...o.endOver!['rocksdb/txn-throughput'],
      status: 'failed',
      errors: { total: 12, byKind: { unavailable: 12 } },
      checks: [{ name: 'final counters', ok: false, detail: '3 lost' }],
    };
    // Two more scenarios' worth of winners would not fit: six scenarios group by winner.
    const { summary, charts } = chartFixture(o);
    const texts = keyFindings(summary, charts).map((f) => f.text);
    assert.ok(texts.length <= MAX_FINDINGS);
    assert.ok(texts.includes('Failed checks (grade F): rocksdb on txn-throughput (final counters).'), texts.join('\n'));
    assert.ok(texts.includes('Errors: rocksdb 12 on txn-throughput (1.2%).'), texts.join('\n'));
    assert.ok(!texts.some((t) => t.startsWith('0 errors')));
  });

  it('groups the fastest targets into one line per winner when there are many scenarios', () => {
    const { summary, charts } = chartFixture();
    const many = { ...summary, scenarios: [0, 1, 2, 3].flatMap((i) => summary.scenarios.map((sc) => ({ ...sc, name: `${sc.name}-${i}` }))) };
    const manyCharts = { ...charts, scenarios: [], ratios: [] };
    const fastest = keyFindings(many, manyCharts).filter((f) => f.kind === 'fastest');
    assert.equal(fastest.length, 1);
    assert.match(fastest[0].text, /^memory fastest on large-scale-load-0 \(4,000 ops\/s vs rocksdb 3,000 \(1\.3×\)\); txn-throughput-0 /);
  });

  it('has no client-bound finding when every target is ≥ 1.25× below the ceiling and the runners had headroom', () => {
    const o = chartFixtureOptions();
    o.endOver!['noop/large-scale-load'] = { ...o.endOver!['noop/large-scale-load'], opsPerSec: 5000 };
    o.endOver!['rocksdb/txn-throughput'] = { ...o.endOver!['rocksdb/txn-throughput'], extra: { runnerCpuPercent: 89 } };
    const { summary, charts } = chartFixture(o);
    assert.ok(!keyFindings(summary, charts).some((f) => f.kind === 'client-bound'));
  });

  it('has no tail finding when p99.9 stays within 3× p99, or too few ops were measured', () => {
    const o = chartFixtureOptions();
    o.endOver!['etcd/txn-throughput'] = { ...o.endOver!['etcd/txn-throughput'], latency: { put: { ...latency(5, 20, 500), p999Ms: 100 } } };
    const { summary, charts } = chartFixture(o);
    assert.ok(!keyFindings(summary, charts).some((f) => f.kind === 'tail'));
  });
});
