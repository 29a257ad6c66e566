import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../errors.ts';
import { parseServeOptions } from './serve.ts';

const base = { engine: 'memory', dataDir: '/tmp/x', listen: '127.0.0.1:2379', sync: 'always', snapshotCount: '10000', commitOverlap: 'always' };

describe('serve flags', () => {
  it('accepts good flags and applies the defaults', () => {
    assert.deepEqual(parseServeOptions(base), {
      engine: 'memory',
      dataDir: '/tmp/x',
      listen: { host: '127.0.0.1', port: 2379 },
      sync: 'always',
      snapshotCount: 10000,
      commitOverlap: 'always',
    });
    assert.equal(parseServeOptions({ ...base, commitOverlap: 'never' }).commitOverlap, 'never');
    assert.equal(parseServeOptions({ ...base, engine: 'rocksdb', sync: 'none', snapshotCount: '5' }).snapshotCount, 5);
  });

  it('watches its parent only when told to (by hand: no flag, no watching)', () => {
    assert.equal(parseServeOptions(base).exitWithParent, undefined);
    assert.deepEqual(parseServeOptions({ ...base, exitWithParent: true } as typeof base), { ...parseServeOptions(base), exitWithParent: true });
    const owned = parseServeOptions({ ...base, dataDir: '/tmp/run/data', exitWithParent: true, removeWhenOrphaned: '/tmp/run' } as typeof base);
    assert.equal(owned.removeWhenOrphaned, '/tmp/run');
  });

  it('refuses bad flags with a message naming the flag and the value', () => {
    const cases: [Partial<typeof base> & Record<string, string | undefined>, RegExp][] = [
      [{ engine: 'leveldb' }, /^serve: --engine must be memory or rocksdb, got 'leveldb'$/],
      [{ engine: undefined }, /^serve: --engine is required/],
      [{ dataDir: undefined }, /^serve: --data-dir is required/],
      [{ dataDir: '  ' }, /^serve: --data-dir is required/],
      [{ dataDir: '/proc/x' }, /^serve: --data-dir '\/proc\/x': '\/proc' is on procfs \(a kernel pseudo-filesystem\); expected a writable directory/],
      [{ dataDir: '/sys/x' }, /^serve: --data-dir '\/sys\/x': '\/sys' is on sysfs/],
      [{ dataDir: '/etc/hosts/db' }, /^serve: --data-dir '\/etc\/hosts\/db': '\/etc\/hosts' is not a directory/],
      [{ listen: 'localhost' }, /^serve: --listen: expected HOST:PORT .*got 'localhost'$/],
      [{ listen: '127.0.0.1:99999' }, /^serve: --listen: port must be 0-65535, got 99999/],
      [{ snapshotCount: 'ten' }, /^serve: --snapshot-count must be a positive integer, got 'ten'$/],
      [{ snapshotCount: '0' }, /got '0'/],
      [{ snapshotCount: '1e3' }, /got '1e3'/],
      [{ sync: 'sometimes' }, /^serve: --sync must be always or none, got 'sometimes'$/],
      [{ commitOverlap: 'yes' }, /^serve: --commit-overlap must be always or never, got 'yes'$/],
      [{ removeWhenOrphaned: '/tmp' }, /^serve: --remove-when-orphaned '\/tmp' needs --exit-with-parent/],
      [{ exitWithParent: true, removeWhenOrphaned: '/tmp/y' } as never, /^serve: --remove-when-orphaned '\/tmp\/y' must contain --data-dir '\/tmp\/x'/],
    ];
    for (const [patch, message] of cases) {
      assert.throws(() => parseServeOptions({ ...base, ...patch } as typeof base), (err: unknown) => err instanceof UsageError && message.test(err.message), JSON.stringify(patch));
    }
  });
});
