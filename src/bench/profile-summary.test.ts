// The CPU profile summariser on a small generated profile (exact figures) and on a real one.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import { main, packageOf, summariseProfile, type CpuProfile, type ProfileNode } from './profile-summary.ts';

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'metabench-prof-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

const CWD = '/work/app';
const frame = (id: number, functionName: string, file: string, line: number, children: number[] = []): ProfileNode => ({
  id,
  callFrame: { functionName, url: file === '' ? '' : `file://${CWD}/${file}`, lineNumber: line - 1, columnNumber: 0, scriptId: 1 },
  children,
});

/**
 * (root) ─ main (app.ts) ─ a (lib.ts) ─ b (lib.ts) ─ a (lib.ts)   [recursion]
 *        │                 └ c (app.ts)
 *        ├ (idle)
 *        └ (garbage collector)
 * Samples, 1 ms apart: b b a c a(inner) idle idle gc → self b 2, a 2 (1 outer + 1 inner), c 1, idle 2, gc 1 (last sample: mean gap 1 ms).
 */
function profile(): CpuProfile {
  const nodes = [
    frame(1, '(root)', '', 0, [2, 7, 8]),
    frame(2, 'main', 'app.ts', 1, [3, 5]),
    frame(3, 'a', 'lib.ts', 10, [4]),
    frame(4, 'b', 'lib.ts', 20, [6]),
    frame(5, 'c', 'app.ts', 5),
    frame(6, 'a', 'lib.ts', 10),
    frame(7, '(idle)', '', 0),
    frame(8, '(garbage collector)', '', 0),
  ];
  const samples = [4, 4, 3, 5, 6, 7, 7, 8];
  return { nodes, startTime: 0, endTime: 8000, samples, timeDeltas: samples.map(() => 1000) };
}

describe('summariseProfile', () => {
  const s = summariseProfile(profile(), 20, CWD);
  const table = (rows: { name: string; us: number }[]) => rows.map((r) => [r.name, r.us]);

  it('charges each sample the gap to the next, and the pseudo-frames', () => {
    assert.equal(s.totalUs, 8000);
    assert.equal(s.samples, 8);
    assert.equal(s.idleUs, 2000);
    assert.equal(s.gcUs, 1000);
  });

  it('self time by function, biggest first, ties by name', () => {
    assert.deepEqual(table(s.selfByFunction), [
      ['(idle)', 2000],
      ['a (lib.ts)', 2000],
      ['b (lib.ts)', 2000],
      ['(garbage collector)', 1000],
      ['c (app.ts)', 1000],
    ]);
    assert.equal(s.selfByFunction[1].share, 0.25);
  });

  it('inclusive time by function counts a recursive function once per stack', () => {
    assert.deepEqual(table(s.inclusiveByFunction), [
      ['main (app.ts)', 5000],
      ['a (lib.ts)', 4000],
      ['b (lib.ts)', 3000],
      ['(idle)', 2000],
      ['(garbage collector)', 1000],
      ['c (app.ts)', 1000],
    ]);
  });

  it('groups by file', () => {
    assert.deepEqual(table(s.selfByFile), [
      ['lib.ts', 4000],
      ['(idle)', 2000],
      ['(garbage collector)', 1000],
      ['app.ts', 1000],
    ]);
    assert.deepEqual(table(s.inclusiveByFile), [
      ['app.ts', 5000],
      ['lib.ts', 4000],
      ['(idle)', 2000],
      ['(garbage collector)', 1000],
    ]);
  });

  it('groups by package or project folder', () => {
    assert.deepEqual(table(s.inclusiveByPackage), [
      ['.', 5000],
      ['(idle)', 2000],
      ['(garbage collector)', 1000],
    ]);
    const cases: Array<[string, string]> = [
      ['node_modules/@grpc/grpc-js/build/src/client.js', 'node_modules/@grpc/grpc-js'],
      ['node_modules/etcd3/lib/connection-pool.js', 'node_modules/etcd3'],
      ['node:internal/http2/core', 'node: (Node.js internals)'],
      ['engine/backend/memory/index.ts', 'engine/backend'],
      ['src/server/h2-transport.ts', 'src/server'],
      ['engine/index.ts', 'engine'],
      ['app.ts', '.'],
      ['/elsewhere/lib/x.js', '/elsewhere/lib'],
      ['(native)', '(native)'],
    ];
    for (const [file, want] of cases) assert.equal(packageOf(file), want, file);
  });

  it('keeps the top N only', () => {
    assert.deepEqual(summariseProfile(profile(), 2, CWD).inclusiveByFunction.map((r) => r.name), ['main (app.ts)', 'a (lib.ts)']);
  });

  it('falls back to hit counts when a profile has no samples', () => {
    const p = profile();
    const hits: Record<number, number> = { 4: 2, 3: 1, 5: 1, 6: 1, 7: 2, 8: 1 };
    const old: CpuProfile = { nodes: p.nodes.map((n) => ({ ...n, hitCount: hits[n.id] ?? 0 })), startTime: 0, endTime: 8000 };
    const s2 = summariseProfile(old, 20, CWD);
    assert.deepEqual(table(s2.inclusiveByFunction), table(s.inclusiveByFunction));
  });
});

describe('profile-summary command', () => {
  const run = (argv: string[]) => {
    let out = '';
    let err = '';
    const code = main(argv, (x) => (out += x), (x) => (err += x));
    return { code, out, err };
  };

  it('prints the four tops of a file', async () => {
    const file = join(root, 'small.cpuprofile');
    await writeFile(file, JSON.stringify(profile()));
    const r = run([file, '--top', '3']);
    assert.equal(r.code, 0);
    assert.match(r.out, /: 8\.00 ms sampled, 8 samples\nidle 25\.0%, GC 12\.5%, program 0\.0%; busy \(not idle\) 6\.00 ms\n/);
    assert.match(r.out, /Inclusive time by function\n\s+ms\s+share\s+name\n\s+5\.00\s+62\.5%\s+main \(\/work\/app\/app\.ts\)\n/);
    assert.equal(r.out.match(/^\s+\d+\.\d+\s+\d+\.\d%\s/gm)?.length, 12 + 3 + 3);
  });

  const bad: Array<[string[], RegExp]> = [
    [[], /^profile-summary: expected one FILE\.cpuprofile, got none/],
    [['a', 'b'], /got a b/],
    [['x.cpuprofile', '--top', '0'], /--top: '0' is not a whole number ≥ 1/],
    [['x.cpuprofile', '--bottom'], /Unknown option '--bottom'/],
    [['/nonexistent/x.cpuprofile'], /^profile-summary: \/nonexistent\/x\.cpuprofile: no such file\n$/],
  ];
  for (const [argv, re] of bad) {
    it(`refuses ${argv.join(' ') || '(nothing)'} with one line, exit 2`, () => {
      const r = run(argv);
      assert.equal(r.code, 2);
      assert.match(r.err, re);
      assert.equal(r.err.split('\n').length, 2);
    });
  }

  it('refuses a JSON file that is not a profile, naming it', async () => {
    const file = join(root, 'not.cpuprofile');
    await writeFile(file, JSON.stringify({ hello: 1 }));
    assert.match(run([file]).err, /not\.cpuprofile: no 'nodes' array \(not a \.cpuprofile\)/);
  });

  it('summarises a real node --cpu-prof profile: the busy function leads self time', async () => {
    const script = join(root, 'busy.mjs');
    await writeFile(script, 'function spinForProfile(ms) { const end = Date.now() + ms; let x = 0; while (Date.now() < end) x += Math.sqrt(x + 1); return x; }\nspinForProfile(300);\n');
    const dir = join(root, 'prof');
    await execa('node', ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '200', script]);
    const [name] = await readdir(dir);
    const r = run([join(dir, name), '--top', '5']);
    assert.equal(r.code, 0);
    const self = r.out.split('Self time by function')[1].split('\n').slice(2, 5).join('\n');
    assert.match(self, /spinForProfile \(.*busy\.mjs\)/);
  });
});
