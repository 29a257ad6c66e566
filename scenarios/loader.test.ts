import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { BUILTIN_SCENARIOS, loadScenarios, PROFILES, resolveScenario, resolveSlo } from './loader.ts';
import { WORKLOAD_OPS, WORKLOAD_PARAMS } from './schema.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'metabench-scenarios-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
}

const valid = { name: 'mine', workload: 'put', params: { clients: 2, opsPerClient: 10 } };

describe('built-in scenarios', () => {
  for (const profile of PROFILES) {
    it(`all load and resolve in the ${profile} profile`, async () => {
      const all = await loadScenarios({ profile });
      assert.deepEqual(
        all.map((s) => s.name),
        BUILTIN_SCENARIOS,
      );
      for (const s of all) {
        assert.equal(s.profile, profile);
        assert.ok(s.params.clients >= 1);
        assert.ok(resolveSlo(s, 'memory').maxErrorRate! <= 0.02, s.name);
      }
    });
  }

  it('each names a headline operation type its workload records', async () => {
    for (const s of await loadScenarios({ profile: 'quick' })) {
      assert.ok(s.headline !== undefined, `${s.name} has no headline`);
      assert.ok(WORKLOAD_OPS[s.workload].includes(s.headline), `${s.name}: ${s.headline}`);
    }
    assert.throws(() => resolveScenario({ ...valid, headline: 'compact' }, 'standard', 'mine.yaml'), /^Error: mine\.yaml: headline: workload 'put' records no operation type 'compact'; expected one of put$/);
  });

  it('warm up before measuring in every profile, ops-bounded ones too (issue 13 item 3)', async () => {
    for (const profile of PROFILES) {
      for (const s of await loadScenarios({ profile })) {
        if (!WORKLOAD_PARAMS[s.workload].includes('warmupMs')) continue; // compaction: phases, no loop
        assert.ok(s.params.warmupMs > 0, `${s.name} (${profile}) is measured cold`);
      }
    }
  });

  it('judge every target by one SLO per scenario: no built-in per-target floors', async () => {
    for (const s of await loadScenarios({ profile: 'standard' })) {
      assert.deepEqual(s.sloByTarget, {}, s.name);
      const memory = resolveSlo(s, 'memory');
      for (const kind of ['rocksdb', 'etcd', 'endpoint'] as const) assert.deepEqual(resolveSlo(s, kind), memory, `${s.name} on ${kind}`);
    }
  });

  it('standard keeps the seed parameters; quick shrinks them; soak runs for minutes', async () => {
    const [std] = await loadScenarios({ profile: 'standard', names: ['large-scale-load'] });
    assert.equal(std!.params.clients, 50);
    assert.equal(std!.params.opsPerClient, 1000);
    const [quick] = await loadScenarios({ profile: 'quick', names: ['large-scale-load'] });
    assert.ok(quick!.params.clients * quick!.params.opsPerClient! < 50_000);
    const [soak] = await loadScenarios({ profile: 'soak', names: ['large-scale-load'] });
    assert.equal(soak!.params.opsPerClient, undefined, 'a profile that sets durationMs replaces opsPerClient');
    assert.ok(soak!.params.durationMs! >= 300_000);
  });

  it('the mixed workload keeps the 40/40/10/10 weights and a RANGE limit', async () => {
    const [s] = await loadScenarios({ profile: 'standard', names: ['mixed-workload'] });
    assert.deepEqual(s!.params.mix, { put: 40, get: 40, delete: 10, range: 10 });
    assert.equal(s!.params.rangeLimit, 10);
    assert.equal(s!.params.mixTolerancePoints, 2);
  });

  it('SLOs: per-target overrides win, other keys come from the scenario', async () => {
    const s = resolveScenario({ ...valid, slo: { maxErrorRate: 0.01, maxP99Ms: 200, minOpsPerSec: 500 }, sloByTarget: { rocksdb: { maxP99Ms: 300, minOpsPerSec: 200 } } }, 'standard', 'mine.yaml');
    assert.deepEqual(resolveSlo(s, 'memory'), { maxErrorRate: 0.01, maxP99Ms: 200, minOpsPerSec: 500 });
    assert.deepEqual(resolveSlo(s, 'rocksdb'), { maxErrorRate: 0.01, maxP99Ms: 300, minOpsPerSec: 200 });
    const [mixed] = await loadScenarios({ profile: 'standard', names: ['mixed-workload'] });
    assert.equal(resolveSlo(mixed!, 'etcd').maxErrorRate, 0.02);
  });
});

describe('user scenario files', () => {
  it('loads YAML and JSON files, and only those when no names are given', async () => {
    const y = file('mine.yaml', 'name: mine\nworkload: put\nparams: { clients: 2, opsPerClient: 10 }\nprofiles:\n  quick: { opsPerClient: 3 }\n');
    const j = file('other.json', JSON.stringify({ ...valid, name: 'other', params: { clients: 1, durationMs: 500 } }));
    const got = await loadScenarios({ profile: 'quick', files: [y, j] });
    assert.deepEqual(
      got.map((s) => [s.name, s.params.opsPerClient, s.params.durationMs]),
      [
        ['mine', 3, undefined],
        ['other', undefined, 500],
      ],
    );
    assert.equal(got[0]!.params.keyPrefix, '/sustained-test', 'workload default prefix');
    assert.equal(got[0]!.source, y);
  });

  it('null in a profile removes a standard parameter', () => {
    const s = resolveScenario({ ...valid, params: { ...valid.params, rate: 100 }, profiles: { soak: { rate: null } } }, 'soak', 'x.yaml');
    assert.equal(s.params.rate, undefined);
  });

  const bad: [string, unknown, RegExp][] = [
    ['an unknown field', { ...valid, params: { ...valid.params, clinets: 5 } }, /^bad\.yaml: params\.clinets: unknown field \(value 5\)$/],
    ['a negative count', { ...valid, params: { clients: -3, opsPerClient: 10 } }, /^bad\.yaml: params\.clients: .*; got -3$/],
    ['a string for a number', { ...valid, params: { clients: 'ten', opsPerClient: 10 } }, /^bad\.yaml: params\.clients: expected number.*; got "ten"$/],
    ['an unknown workload', { ...valid, workload: 'puts' }, /^bad\.yaml: workload: .*; got "puts"$/],
    ['an unknown mix op', { ...valid, workload: 'mixed', params: { ...valid.params, mix: { put: 1, scan: 2 } } }, /^bad\.yaml: params\.mix\.scan: unknown field \(value 2\)$/],
    ['a bad profile override', { ...valid, profiles: { quick: { clients: 0 } } }, /^bad\.yaml: profiles\.quick\.clients: .*; got 0$/],
    ['an unknown profile', { ...valid, profiles: { fast: {} } }, /^bad\.yaml: profiles\.fast: unknown field/],
    ['an error rate above 1', { ...valid, slo: { maxErrorRate: 5 } }, /^bad\.yaml: slo\.maxErrorRate: .*; got 5$/],
    ['an unknown target kind', { ...valid, sloByTarget: { mongo: {} } }, /^bad\.yaml: sloByTarget\.mongo: unknown field/],
    ['a bad name', { ...valid, name: 'My Scenario' }, /^bad\.yaml: name: .*lower-case.*; got "My Scenario"$/],
    ['both bounds', { ...valid, params: { clients: 1, opsPerClient: 1, durationMs: 5 } }, /^bad\.yaml: params: opsPerClient \(1\) and durationMs \(5\) are exclusive/],
    ['no bound', { ...valid, params: { clients: 1 } }, /^bad\.yaml: params: workload 'put' needs opsPerClient or durationMs; got neither$/],
    ['all-zero weights', { ...valid, workload: 'mixed', params: { ...valid.params, mix: { put: 0 } } }, /^bad\.yaml: params\.mix: all weights are 0/],
    ['more connections than clients', { ...valid, params: { ...valid.params, connections: 3 } }, /^bad\.yaml: params\.connections: 3 is more than clients \(2\)/],
    ['a parameter the workload ignores', { ...valid, params: { ...valid.params, watchers: 5 } }, /^bad\.yaml: params\.watchers: not used by workload 'put' \(value 5\); it takes connections, rate, /],
    ['a profile parameter the workload ignores', { ...valid, workload: 'watch', params: {}, profiles: { quick: { durationMs: 9 } } }, /^bad\.yaml: profiles\.quick\.durationMs: not used by workload 'watch' \(value 9\)/],
    ['not an object', 'just text', /^bad\.yaml: \(root\): expected object.*; got "just text"$/],
    // Bounds (issue 15 item 8): each refusal names the field, the value and the allowed range.
    ['a billion clients', { ...valid, params: { clients: 1_000_000_000, opsPerClient: 10 } }, /^bad\.yaml: params\.clients: expected an integer in 1…10,000 clients; got 1000000000$/],
    ['a duration of 1e15 ms', { ...valid, params: { clients: 1, durationMs: 1e15 } }, /^bad\.yaml: params\.durationMs: expected an integer in 1…86,400,000 ms \(24 h\); got 1000000000000000$/],
    ['1e12 ops per client', { ...valid, params: { clients: 1, opsPerClient: 1e12 } }, /^bad\.yaml: params\.opsPerClient: expected an integer in 1…100,000,000 operations; got 1000000000000$/],
    ['a warm-up of 1e8 ms', { ...valid, params: { ...valid.params, warmupMs: 1e8 } }, /^bad\.yaml: params\.warmupMs: expected an integer in 0…600,000 ms \(10 min\); got 100000000$/],
    ['a rate of 1e-9', { ...valid, params: { ...valid.params, rate: 1e-9 } }, /^bad\.yaml: params\.rate: expected a number in 1…1,000,000 ops\/s; got 1e-9$/],
    ['a rate of 1e9', { ...valid, params: { ...valid.params, rate: 1e9 } }, /^bad\.yaml: params\.rate: expected a number in 1…1,000,000 ops\/s; got 1000000000$/],
    ['a 16 MiB value', { ...valid, params: { ...valid.params, valueSize: 16 * 1024 * 1024 } }, /^bad\.yaml: params\.valueSize: expected an integer in 1…8,388,608 bytes \(8 MiB; note that etcd and metabench serve refuse requests over 1\.5 MiB.*; got 16777216$/],
    ['too many connections', { ...valid, params: { clients: 5000, connections: 2000, opsPerClient: 1 } }, /^bad\.yaml: params\.connections: expected an integer in 1…1,000 connections; got 2000$/],
    ['too many watchers', { ...valid, workload: 'watch', params: { watchers: 1e6 } }, /^bad\.yaml: params\.watchers: expected an integer in 1…10,000 watchers; got 1000000$/],
    ['too many events', { ...valid, workload: 'watch', params: { events: 1e9 } }, /^bad\.yaml: params\.events: expected an integer in 1…10,000,000 events; got 1000000000$/],
    ['a huge key space', { ...valid, params: { ...valid.params, keySpace: 1e12 } }, /^bad\.yaml: params\.keySpace: expected an integer in 1…100,000,000 keys; got 1000000000000$/],
    ['a fractional count', { ...valid, params: { clients: 2.5, opsPerClient: 10 } }, /^bad\.yaml: params\.clients: expected an integer in 1…10,000 clients; got 2\.5$/],
    ['an out-of-range profile override', { ...valid, profiles: { soak: { durationMs: 1e10 } } }, /^bad\.yaml: profiles\.soak\.durationMs: expected an integer in 1…86,400,000 ms/],
    ['a 20 KiB description', { ...valid, description: 'x'.repeat(20 * 1024) }, /^bad\.yaml: description: expected at most 10,240 characters \(10 KiB\); got "x{50}/],
    ['NaN', { ...valid, params: { clients: NaN, opsPerClient: 10 } }, /^bad\.yaml: params\.clients: .*; got \.nan \(not a number\)$/],
    ['infinity', { ...valid, params: { clients: 1, durationMs: Infinity } }, /^bad\.yaml: params\.durationMs: .*; got \.inf \(infinity\)$/],
  ];
  for (const [what, doc, message] of bad) {
    it(`refuses ${what} with file, field and value`, () => {
      assert.throws(() => resolveScenario(doc, 'quick', 'bad.yaml'), (err: Error) => {
        assert.match(err.message, message);
        assert.ok(!err.message.includes('\n'), 'one line');
        return true;
      });
    });
  }

  it('refuses invalid YAML, a missing file, an unknown name or profile in one line', async () => {
    const broken = file('broken.yaml', 'name: [unclosed\n');
    await assert.rejects(loadScenarios({ profile: 'quick', files: [broken] }), (e: Error) => e.message.startsWith(`${broken}: not valid YAML:`) && !e.message.includes('\n'));
    await assert.rejects(loadScenarios({ profile: 'quick', files: [path.join(dir, 'nope.yaml')] }), /nope\.yaml: cannot read scenario file/);
    await assert.rejects(loadScenarios({ profile: 'quick', names: ['large-scale'] }), /^Error: unknown scenario 'large-scale' \(expected one of large-scale-load, /);
    await assert.rejects(loadScenarios({ profile: 'fast' as 'quick' }), /^Error: unknown profile 'fast' \(expected one of quick, standard, soak\)$/);
  });

  it('reads .nan and .inf in YAML as such, not as null', async () => {
    const f = file('nan.yaml', 'name: nan\nworkload: put\nparams: { clients: .nan, opsPerClient: 10 }\n');
    await assert.rejects(loadScenarios({ profile: 'quick', files: [f] }), (e: Error) => e.message === `${f}: params.clients: expected number, received NaN; got .nan (not a number)`);
    const g = file('inf.yaml', 'name: inf\nworkload: put\nparams: { clients: 1, durationMs: .inf }\n');
    await assert.rejects(loadScenarios({ profile: 'quick', files: [g] }), (e: Error) => /^.*inf\.yaml: params\.durationMs: .*; got \.inf \(infinity\)$/.test(e.message));
  });

  it('refuses a file named like a built-in instead of silently replacing it', async () => {
    const f = file('mine-large.yaml', 'name: large-scale-load\nworkload: put\nparams: { opsPerClient: 1 }\n');
    await assert.rejects(loadScenarios({ profile: 'quick', files: [f] }), (e: Error) => e.message.startsWith(`${f}: name: 'large-scale-load' is a built-in scenario (`) && e.message.endsWith('give yours another name'));
  });

  it('refuses a scenario file over 1 MiB before reading it', async () => {
    const f = file('huge.yaml', `name: huge\nworkload: put\nparams: { opsPerClient: 1 }\ndescription: ${'x'.repeat(2 * 1024 * 1024)}\n`);
    await assert.rejects(loadScenarios({ profile: 'quick', files: [f] }), (e: Error) => e.message === `${f}: scenario file is 2,097,219 bytes; expected at most 1,048,576 (1 MiB)`);
  });

  it('refuses two files with the same scenario name', async () => {
    const a = file('a.yaml', 'name: dup\nworkload: put\nparams: { opsPerClient: 1 }\n');
    const b = file('b.yaml', 'name: dup\nworkload: put\nparams: { opsPerClient: 1 }\n');
    await assert.rejects(loadScenarios({ profile: 'quick', files: [a, b] }), /b\.yaml: name: scenario 'dup' is defined twice/);
  });
});
