// The tailer follows files by byte offset and hands out complete lines only: partial lines are
// held back (across UTF-8 characters too), missing files read as empty, invalid lines reported.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, writeFileSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { LineFollower } from './line-follower.ts';
import { RunTailer } from './run-tailer.ts';
import { EventWriter } from './event-writer.ts';
import type { RunnerEvent } from '../events/schema.ts';
import { tempDir } from '../testing/run-fixtures.ts';

describe('LineFollower', () => {
  let tmp: ReturnType<typeof tempDir>;
  before(() => (tmp = tempDir('tailer')));
  after(() => tmp.remove());

  it('reads a missing file as empty, then follows it as it grows', () => {
    const path = join(tmp.dir, 'grow.ndjson');
    const f = new LineFollower(path);
    assert.deepEqual(f.readNew(), []);
    writeFileSync(path, 'a\nb');
    assert.deepEqual(f.readNew(), ['a']);
    assert.equal(f.offset, 3);
    assert.equal(f.pendingBytes, 1);
    assert.deepEqual(f.readNew(), [], 'nothing new: the partial line stays held back');
    appendFileSync(path, 'c\n\nd\n');
    assert.deepEqual(f.readNew(), ['bc', 'd'], 'empty lines are skipped');
    assert.equal(f.offset, 8);
    assert.equal(f.pendingBytes, 0);
  });

  it('holds back a multi-byte UTF-8 character split across writes', () => {
    const path = join(tmp.dir, 'utf8.ndjson');
    const bytes = Buffer.from('{"m":"µs → ✓"}\n', 'utf8');
    const f = new LineFollower(path);
    // Write byte by byte: every split point, including inside characters.
    const out: string[] = [];
    for (let i = 0; i < bytes.length; i++) {
      appendFileSync(path, bytes.subarray(i, i + 1));
      out.push(...f.readNew());
    }
    assert.deepEqual(out, ['{"m":"µs → ✓"}']);
  });

  it('reads lines longer than its read chunk', () => {
    const path = join(tmp.dir, 'long.ndjson');
    const long = 'x'.repeat(200_000);
    writeFileSync(path, `${long}\nshort\n`);
    assert.deepEqual(new LineFollower(path).readNew(), [long, 'short']);
  });

  it('hands out the pending bytes once the writer is gone', () => {
    const path = join(tmp.dir, 'partial.ndjson');
    writeFileSync(path, 'whole\nhal');
    const f = new LineFollower(path);
    assert.deepEqual(f.readNew(), ['whole']);
    assert.equal(f.takePending(), 'hal');
    assert.equal(f.takePending(), undefined);
  });

  it('refuses a file that shrank below the lines it handed out', () => {
    const path = join(tmp.dir, 'shrink.ndjson');
    writeFileSync(path, 'one\ntwo\n');
    const f = new LineFollower(path);
    f.readNew();
    truncateSync(path, 2);
    assert.throws(() => f.readNew(), /shrank from 8 to 2 bytes/);
  });

  it('accepts a cut-off unfinished last line (a reader beside the orchestrator repairing it)', () => {
    const path = join(tmp.dir, 'repair.ndjson');
    writeFileSync(path, 'one\ntw');
    const f = new LineFollower(path);
    assert.deepEqual(f.readNew(), ['one']);
    truncateSync(path, 4);
    assert.deepEqual(f.readNew(), []);
    assert.equal(f.pendingBytes, 0);
    appendFileSync(path, 'end\n');
    assert.deepEqual(f.readNew(), ['end']);
  });

  it('takePending rewinds to the last complete line, so appends after the cut are read whole', () => {
    const path = join(tmp.dir, 'take.ndjson');
    writeFileSync(path, 'one\nhalf-a-line');
    const f = new LineFollower(path);
    f.readNew();
    assert.equal(f.takePending(), 'half-a-line');
    assert.equal(f.offset, 4);
    truncateSync(path, 4);
    appendFileSync(path, 'a much longer line than the half one\n');
    assert.deepEqual(f.readNew(), ['a much longer line than the half one']);
  });
});

describe('RunTailer', () => {
  let tmp: ReturnType<typeof tempDir>;
  before(() => (tmp = tempDir('run-tailer')));
  after(() => tmp.remove());

  it('delivers valid events per target, reports invalid lines, and knows when all ended', () => {
    const a = new EventWriter(join(tmp.dir, 'a.ndjson'), 'a', () => 1000);
    const events: RunnerEvent[] = [];
    const invalid: string[] = [];
    const tailer = new RunTailer(tmp.dir, ['a', 'b'], { onEvent: (e) => events.push(e), onInvalid: (t, _l, err) => invalid.push(`${t}: ${err.message}`) });
    a.emit({ kind: 'log', level: 'info', message: 'hello' });
    a.writeLine('{"v":99,"t":1,"target":"a","kind":"log","level":"info","message":"future"}');
    a.writeLine('not json');
    tailer.poll();
    assert.deepEqual(
      events.map((e) => [e.target, e.kind, e.t]),
      [['a', 'log', 1000]],
    );
    assert.equal(invalid.length, 2);
    assert.match(invalid[0], /^a: a\.ndjson:2: invalid event at 'v'/);
    assert.match(invalid[1], /not JSON/);
    a.emit({ kind: 'run-end', status: 'completed', durationMs: 5 });
    tailer.poll();
    assert.equal(tailer.allEnded, false);
    appendFileSync(join(tmp.dir, 'b.ndjson'), '{"v":1,"t":2,"target":"b","kind":"run-end","status":"crashed","durationMs":0}\n{"v":1,"t":3,');
    tailer.poll();
    assert.equal(tailer.allEnded, true);
    const { completeBytes, truncated } = tailer.finishTarget('b');
    assert.equal(truncated, '{"v":1,"t":3,');
    assert.equal(completeBytes, 78);
    assert.match(invalid.at(-1) ?? '', /truncated last line \(13 bytes, no newline\)/);
    a.close();
    assert.throws(() => a.emit({ kind: 'log', level: 'info', message: 'late' }), /write after close/);
  });
});

// Issue 15 item 9: `tail --no-follow` and `monitor --once` took seconds on one 16-100 MB line,
// because each 64 KiB read joined the whole unfinished line again (quadratic copying). Counted
// in bytes copied, not in seconds: a line is joined once, and a line over the limit is
// reported and skipped instead of held.
describe('LineFollower on very long lines', () => {
  let tmp: ReturnType<typeof tempDir>;
  before(() => (tmp = tempDir('long-line')));
  after(() => tmp.remove());

  /** Bytes produced by Buffer.concat while `fn` runs. */
  function concatBytes(fn: () => void): number {
    const original = Buffer.concat;
    let total = 0;
    Buffer.concat = ((list: readonly Uint8Array[], length?: number) => {
      const out = original(list, length);
      total += out.length;
      return out;
    }) as typeof Buffer.concat;
    try {
      fn();
    } finally {
      Buffer.concat = original;
    }
    return total;
  }

  it('joins a long line once: bytes copied stay linear in its length', () => {
    const path = join(tmp.dir, 'long.ndjson');
    const size = 8 * 1024 * 1024;
    writeFileSync(path, 'x'.repeat(size) + '\nend\n');
    const f = new LineFollower(path);
    let lines: string[] = [];
    const copied = concatBytes(() => (lines = f.readNew()));
    assert.deepEqual([lines.length, lines[0].length, lines[1]], [2, size, 'end']);
    // The old follower copied ~ size²/(2 × 64 KiB) = 512 MiB here.
    assert.ok(copied <= 2 * size, `copied ${copied} bytes for one ${size}-byte line`);
  });

  it('reports a line over the limit once, skips it without holding it, and reads on', () => {
    const path = join(tmp.dir, 'over.ndjson');
    const limit = 1024 * 1024;
    const oversize: number[] = [];
    const f = new LineFollower(path, { maxLineBytes: limit, onOversize: (o) => oversize.push(o.offset) });
    writeFileSync(path, 'first\n' + 'y'.repeat(3 * limit));
    let copied = concatBytes(() => assert.deepEqual(f.readNew(), ['first']));
    assert.deepEqual(oversize, [6], 'reported as soon as it crossed the limit, before its newline');
    assert.equal(f.pendingBytes, 3 * limit, 'counted as unfinished, so a cut after a crash lands at its start');
    appendFileSync(path, 'y'.repeat(limit) + '\nafter\n');
    copied += concatBytes(() => assert.deepEqual(f.readNew(), ['after']));
    assert.deepEqual(oversize, [6], 'one report per line');
    assert.ok(copied < limit, `held ${copied} bytes of a skipped line`);
    assert.equal(f.pendingBytes, 0);
  });

  it('a complete over-limit line inside one read is skipped too; takePending describes an unfinished one', () => {
    const path = join(tmp.dir, 'inside.ndjson');
    const seen: number[] = [];
    const f = new LineFollower(path, { maxLineBytes: 10, onOversize: (o) => seen.push(o.offset) });
    writeFileSync(path, 'short\n' + 'z'.repeat(20) + '\nok\n' + 'w'.repeat(30));
    assert.deepEqual(f.readNew(), ['short', 'ok']);
    assert.deepEqual(seen, [6, 30]);
    assert.equal(f.takePending(), '(30 bytes of a line over 10 bytes)');
    assert.equal(f.offset, 30);
  });

  it('RunTailer names the file and line of a line over 16 MiB and delivers the events after it', () => {
    const path = join(tmp.dir, 'memory.ndjson');
    writeFileSync(path, `{"v":1,"t":1,"target":"memory","kind":"log","level":"info","message":"${'m'.repeat(17 * 1024 * 1024)}"}\n`);
    appendFileSync(path, '{"v":1,"t":2,"target":"memory","kind":"run-end","status":"completed","durationMs":1}\n');
    const events: string[] = [];
    const invalid: string[] = [];
    const tailer = new RunTailer(tmp.dir, ['memory'], { onEvent: (e) => events.push(e.kind), onInvalid: (_t, _l, err) => invalid.push(err.message) });
    tailer.poll();
    assert.deepEqual(events, ['run-end']);
    assert.deepEqual(invalid, ['memory.ndjson:1: line at byte 0 is longer than 16 MiB; skipped']);
    assert.equal(tailer.allEnded, true);
  });
});
