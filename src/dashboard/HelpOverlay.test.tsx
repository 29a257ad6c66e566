// `?` explains the marks as well as the keys (issue 13 item 8): icons, letters, cb, ×etcd, *.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HelpOverlay, MARKS } from './HelpOverlay.tsx';
import { renderAt, stripAnsi } from './test-render.ts';

describe('HelpOverlay', () => {
  it('explains every mark the dashboard draws', () => {
    const r = renderAt(<HelpOverlay ownsRun />, 80, 24);
    const frame = stripAnsi(r.lastFrame());
    r.unmount();
    for (const mark of ['✅ 🔄 ⏳', '❌ ⛔ –', 'A+ … F', 'cb', '×etcd', 'p99ms', '*']) assert.ok(frame.includes(mark), mark);
    assert.match(frame, /client-bound: within 1\.25× of noop ceiling, or runner CPU ≥ 90%/);
    for (const [, what] of MARKS) assert.ok(frame.includes(what), `cut at 80 columns: ${what}`);
  });
});
