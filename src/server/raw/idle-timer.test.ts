/**
 * The idle timeout fires only after the connection has been idle for the whole timeout, however
 * often it was busy before; a stopped timer never fires. Clocks are node:test's mock timers.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { IdleTimer } from './idle-timer.ts';

describe('IdleTimer', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'] }));
  afterEach(() => mock.timers.reset());

  it('fires after the timeout of idleness, counted from the last idle()', () => {
    let fired = 0;
    const t = new IdleTimer(1000, () => fired++);
    t.idle();
    mock.timers.tick(200);
    t.busy();
    mock.timers.tick(500);
    t.idle(); // idle since t=700
    mock.timers.tick(300); // t=1000: the first timer finds 300 ms of idleness
    assert.equal(fired, 0);
    mock.timers.tick(699);
    assert.equal(fired, 0);
    mock.timers.tick(1); // t=1700
    assert.equal(fired, 1);
    mock.timers.tick(5000);
    assert.equal(fired, 1, 'fires once');
  });

  it('does not fire while busy, nor once stopped', () => {
    let fired = 0;
    const t = new IdleTimer(1000, () => fired++);
    t.idle();
    t.busy();
    mock.timers.tick(3000);
    assert.equal(fired, 0, 'busy');
    t.idle();
    t.stop();
    mock.timers.tick(3000);
    assert.equal(fired, 0, 'stopped');
  });
});
