// `?` explains the marks as well as the keys (issue 13 item 8): icons, letters, cb, ×etcd, *.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HelpOverlay, helpViewport, MARKS } from './HelpOverlay.tsx';
import { renderAt, stripAnsi } from './test-render.ts';

describe('HelpOverlay', () => {
  it('explains every mark the dashboard draws', () => {
    const r = renderAt(<HelpOverlay ownsRun rows={20} />, 80, 24);
    const frame = stripAnsi(r.lastFrame());
    r.unmount();
    for (const mark of ['✅ 🔄 ⏳', '❌ ⛔ –', 'A+ … F', 'cb', '×etcd', 'p99ms', '*']) assert.ok(frame.includes(mark), mark);
    assert.match(frame, /client-bound: within 1\.25× of noop ceiling, or runner CPU ≥ 90%/);
    for (const [, what] of MARKS) assert.ok(frame.includes(what), `cut at 80 columns: ${what}`);
    assert.match(frame, /scroll the results table, the detail or this help \(there ↑\/↓ too\)/);
    assert.doesNotMatch(frame, /lines \d/);
  });

  it('scrolls in fewer rows than it has lines, with its position on the last row', () => {
    const lines = helpViewport(12);
    // 12 rows: the border, nine lines and the position line.
    assert.deepEqual(lines, { helpRows: 9, helpLines: 17 });
    const top = stripAnsi(renderAt(<HelpOverlay ownsRun rows={12} />, 80, 24).lastFrame());
    assert.match(top, /Keys/);
    assert.match(top, /lines 1–9 of 17 ↓ · ↑\/↓ j\/k PgUp\/PgDn scroll/);
    assert.doesNotMatch(top, /graded by this target's own SLO/);
    const end = stripAnsi(renderAt(<HelpOverlay ownsRun rows={12} top={99} />, 80, 24).lastFrame());
    assert.match(end, /lines 9–17 of 17 ↑ /);
    assert.match(end, /graded by this target's own SLO/);
    assert.equal(end.replace(/\n$/, '').split('\n').length, 12);
  });
});
