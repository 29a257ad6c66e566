/**
 * Summarises a V8 CPU profile (`node --cpu-prof`, `metabench run --cpu-prof DIR`): where the
 * time went, as self-time and inclusive-time tops grouped by function and by file.
 *
 *   node --import tsx src/bench/profile-summary.ts results/prof/memory.server.cpuprofile --top 15
 *
 * A `.cpuprofile` is a call tree (`nodes`, each with a call frame and child ids) plus the sampled
 * leaf of every tick (`samples`) and the microseconds between ticks (`timeDeltas`). Sample i is
 * charged the gap up to sample i+1 (the time the profiler saw that stack; the last sample gets
 * the mean gap). Self time of a function: its time as the leaf. Inclusive time: its time anywhere
 * on the stack, counted once per sample however deep it recurses.
 *
 * Functions are grouped by name and file (anonymous ones by position too); files by path;
 * packages by `node_modules/<name>`, Node.js internals, or the project's two top folders.
 *
 * Worked example: stacks main>a>b (2 ms), main>a (1 ms), main>c (1 ms): self a 1, b 2, c 1;
 * inclusive main 4, a 3, b 2, c 1.
 */
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** The parts of a `.cpuprofile` read here. */
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** One call-tree node. */
export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber?: number; scriptId?: string | number };
  hitCount?: number;
  children?: number[];
}

/** One line of a top list. */
export interface TopEntry {
  /** `function (file:line)` or a file path. */
  name: string;
  /** Microseconds. */
  us: number;
  /** Share of the sampled time, 0..1. */
  share: number;
}

/** The summary of one profile. */
export interface ProfileSummary {
  /** Sampled time, microseconds. */
  totalUs: number;
  samples: number;
  /** Time in V8's pseudo-frames: idle (waiting for I/O), GC, program (outside JS), microseconds. */
  idleUs: number;
  gcUs: number;
  programUs: number;
  selfByFunction: TopEntry[];
  inclusiveByFunction: TopEntry[];
  selfByFile: TopEntry[];
  inclusiveByFile: TopEntry[];
  /** By package: `node_modules/<name>`, `node:` internals, or the project folder (`engine/backend`, `src/server`). */
  selfByPackage: TopEntry[];
  inclusiveByPackage: TopEntry[];
}

/** Pseudo-frames V8 puts in every profile; they have no file. */
const PSEUDO = new Set(['(root)', '(program)', '(idle)', '(garbage collector)']);

/** The profile does not have the shape of a `.cpuprofile`. */
export class ProfileFormatError extends Error {
  override readonly name = 'ProfileFormatError';
}

/** Validates the parts used here; throws ProfileFormatError naming the first bad field. */
export function asCpuProfile(raw: unknown, where = 'profile'): CpuProfile {
  const p = raw as Partial<CpuProfile> | null;
  if (p === null || typeof p !== 'object') throw new ProfileFormatError(`${where}: not a JSON object`);
  if (!Array.isArray(p.nodes) || p.nodes.length === 0) throw new ProfileFormatError(`${where}: no 'nodes' array (not a .cpuprofile)`);
  for (const n of p.nodes) {
    if (typeof n?.id !== 'number' || typeof n.callFrame?.functionName !== 'string' || typeof n.callFrame.url !== 'string') {
      throw new ProfileFormatError(`${where}: node ${JSON.stringify(n?.id)} lacks an id or a callFrame with functionName and url`);
    }
  }
  if (p.samples !== undefined && (!Array.isArray(p.samples) || !Array.isArray(p.timeDeltas) || p.samples.length !== p.timeDeltas.length)) {
    throw new ProfileFormatError(`${where}: 'samples' and 'timeDeltas' must be arrays of the same length`);
  }
  return p as CpuProfile;
}

/** `/work/main/src/x.ts` for `file:///work/main/src/x.ts`, relative to `cwd` when under it; node_modules paths from the package. */
export function shortFile(url: string, cwd = process.cwd()): string {
  if (url === '') return '(native)';
  let path = url;
  if (url.startsWith('file://')) {
    try {
      path = fileURLToPath(url);
    } catch (err) {
      void err; // Not a valid file URL: show it as written.
    }
  }
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) return path.slice(nm);
  if (path.startsWith('/')) {
    const rel = relative(cwd, path);
    return rel.startsWith('..') ? path : rel;
  }
  return path;
}

function functionKey(n: ProfileNode, cwd: string): string {
  const f = n.callFrame;
  if (PSEUDO.has(f.functionName)) return f.functionName;
  if (f.url === '') return `${f.functionName || '(anonymous)'} (native)`;
  // Code run through tsx reports positions in the transpiled text, not the .ts source: a named
  // function is grouped by name and file; only anonymous ones need the position to tell apart.
  if (f.functionName === '') return `(anonymous) (${shortFile(f.url, cwd)}:${f.lineNumber + 1}:${(f.columnNumber ?? 0) + 1})`;
  return `${f.functionName} (${shortFile(f.url, cwd)})`;
}

function fileKey(n: ProfileNode, cwd: string): string {
  const f = n.callFrame;
  return PSEUDO.has(f.functionName) ? f.functionName : shortFile(f.url, cwd);
}

/** The package or project folder a file belongs to (see `ProfileSummary.selfByPackage`). */
export function packageOf(file: string): string {
  if (file.startsWith('(')) return file;
  if (file.startsWith('node_modules/')) {
    const parts = file.split('/');
    return parts.slice(0, parts[1]?.startsWith('@') ? 3 : 2).join('/');
  }
  if (file.startsWith('node:')) return 'node: (Node.js internals)';
  const parts = file.split('/');
  if (file.startsWith('/')) return parts.slice(0, -1).join('/') || '/';
  return parts.length >= 3 ? parts.slice(0, 2).join('/') : parts.length === 2 ? parts[0] : '.';
}

/** Microseconds charged to each node as the sampled leaf. */
function selfTimes(p: CpuProfile): { self: Map<number, number>; totalUs: number; samples: number } {
  const self = new Map<number, number>();
  if (p.samples !== undefined && p.timeDeltas !== undefined && p.samples.length > 0) {
    const { samples, timeDeltas } = p;
    const gaps = timeDeltas.slice(1).filter((d) => d > 0);
    const meanGap = gaps.length > 0 ? gaps.reduce((a, b) => a + b, 0) / gaps.length : 0;
    let total = 0;
    for (let i = 0; i < samples.length; i++) {
      // Deltas can be negative when ticks arrive out of order; such a tick is charged nothing.
      const us = i + 1 < samples.length ? Math.max(0, timeDeltas[i + 1]) : meanGap;
      self.set(samples[i], (self.get(samples[i]) ?? 0) + us);
      total += us;
    }
    return { self, totalUs: total, samples: samples.length };
  }
  // Older profiles have only hit counts: spread the profile's duration over the hits.
  const hits = p.nodes.reduce((a, n) => a + (n.hitCount ?? 0), 0);
  const per = hits > 0 ? (p.endTime - p.startTime) / hits : 0;
  for (const n of p.nodes) if (n.hitCount) self.set(n.id, n.hitCount * per);
  return { self, totalUs: hits * per, samples: hits };
}

/** Sums self and inclusive time per key over the call tree; a key is counted once per stack. */
function aggregate(p: CpuProfile, self: Map<number, number>, keyOf: (n: ProfileNode) => string): { selfBy: Map<string, number>; inclusiveBy: Map<string, number> } {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const childIds = new Set(p.nodes.flatMap((n) => n.children ?? []));
  const roots = p.nodes.filter((n) => !childIds.has(n.id));
  const selfBy = new Map<string, number>();
  const inclusiveBy = new Map<string, number>();
  const onStack = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, us: number) => m.set(k, (m.get(k) ?? 0) + us);

  // Iterative post-order walk (profiles can be deeper than the JS stack allows to recurse).
  const total = new Map<number, number>();
  const stack: Array<{ node: ProfileNode; key: string; next: number }> = [];
  const enter = (node: ProfileNode) => {
    const key = keyOf(node);
    onStack.set(key, (onStack.get(key) ?? 0) + 1);
    stack.push({ node, key, next: 0 });
  };
  for (const root of roots) {
    enter(root);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const kids = top.node.children ?? [];
      if (top.next < kids.length) {
        const child = byId.get(kids[top.next++]);
        if (child !== undefined) enter(child);
        continue;
      }
      stack.pop();
      const own = self.get(top.node.id) ?? 0;
      const sum = own + kids.reduce((a, id) => a + (total.get(id) ?? 0), 0);
      total.set(top.node.id, sum);
      add(selfBy, top.key, own);
      const depth = (onStack.get(top.key) ?? 1) - 1;
      onStack.set(top.key, depth);
      // Only the outermost frame of a key counts its subtree: recursion is not double-counted.
      if (depth === 0 && top.key !== '(root)') add(inclusiveBy, top.key, sum);
    }
  }
  return { selfBy, inclusiveBy };
}

function top(m: Map<string, number>, totalUs: number, n: number): TopEntry[] {
  return [...m]
    .filter(([, us]) => us > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, n)
    .map(([name, us]) => ({ name, us, share: totalUs > 0 ? us / totalUs : 0 }));
}

/** Summarises a profile: the top `n` of each list. Pure. */
export function summariseProfile(p: CpuProfile, n = 20, cwd = process.cwd()): ProfileSummary {
  const { self, totalUs, samples } = selfTimes(p);
  const fn = aggregate(p, self, (node) => functionKey(node, cwd));
  const file = aggregate(p, self, (node) => fileKey(node, cwd));
  const pkg = aggregate(p, self, (node) => packageOf(fileKey(node, cwd)));
  return {
    totalUs,
    samples,
    idleUs: fn.selfBy.get('(idle)') ?? 0,
    gcUs: fn.selfBy.get('(garbage collector)') ?? 0,
    programUs: fn.selfBy.get('(program)') ?? 0,
    selfByFunction: top(fn.selfBy, totalUs, n),
    inclusiveByFunction: top(fn.inclusiveBy, totalUs, n),
    selfByFile: top(file.selfBy, totalUs, n),
    inclusiveByFile: top(file.inclusiveBy, totalUs, n),
    selfByPackage: top(pkg.selfBy, totalUs, n),
    inclusiveByPackage: top(pkg.inclusiveBy, totalUs, n),
  };
}

const ms = (us: number): string => (us / 1000).toFixed(us < 10_000 ? 2 : 1);
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** The summary as plain text. */
export function renderProfileSummary(s: ProfileSummary, title: string): string {
  const busy = s.totalUs - s.idleUs;
  const lines = [
    `${title}: ${ms(s.totalUs)} ms sampled, ${s.samples} samples`,
    `idle ${pct(s.totalUs > 0 ? s.idleUs / s.totalUs : 0)}, GC ${pct(s.totalUs > 0 ? s.gcUs / s.totalUs : 0)}, program ${pct(s.totalUs > 0 ? s.programUs / s.totalUs : 0)}; busy (not idle) ${ms(busy)} ms`,
  ];
  const section = (heading: string, rows: TopEntry[]) => {
    lines.push('', heading, `${'ms'.padStart(10)}  ${'share'.padStart(6)}  name`);
    for (const r of rows) lines.push(`${ms(r.us).padStart(10)}  ${pct(r.share).padStart(6)}  ${r.name}`);
  };
  section('Self time by function', s.selfByFunction);
  section('Inclusive time by function', s.inclusiveByFunction);
  section('Self time by file', s.selfByFile);
  section('Inclusive time by file', s.inclusiveByFile);
  section('Self time by package', s.selfByPackage);
  section('Inclusive time by package', s.inclusiveByPackage);
  return lines.join('\n') + '\n';
}

/** The command line; resolves to the exit code (0 printed, 2 bad flags or a file that is not a profile). */
export function main(argv: readonly string[], out: (s: string) => void = (s) => process.stdout.write(s), err: (s: string) => void = (s) => process.stderr.write(s)): number {
  let file: string;
  let n: number;
  try {
    const { values, positionals } = parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: { top: { type: 'string' } } });
    if (positionals.length !== 1) throw new Error(`expected one FILE.cpuprofile, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`);
    file = positionals[0];
    const topRaw = values.top ?? '20';
    if (!/^[1-9]\d*$/.test(topRaw)) throw new Error(`--top: '${topRaw}' is not a whole number ≥ 1`);
    n = Number(topRaw);
  } catch (e) {
    err(`profile-summary: ${(e as Error).message} (usage: profile-summary FILE.cpuprofile [--top N])\n`);
    return 2;
  }
  let profile: CpuProfile;
  try {
    profile = asCpuProfile(JSON.parse(readFileSync(file, 'utf8')), file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    err(`profile-summary: ${e instanceof ProfileFormatError ? e.message : code === 'ENOENT' ? `${file}: no such file` : `${file}: ${(e as Error).message}`}\n`);
    return 2;
  }
  out(renderProfileSummary(summariseProfile(profile, n), file));
  return 0;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
