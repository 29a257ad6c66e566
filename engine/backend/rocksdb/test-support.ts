/**
 * Test helpers for the RocksDB backend: a temp data directory and a tiny stand-in for the MVCC
 * store that turns puts and deletes into CommitBatches with correct versions and revisions.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyValue } from '../../mvcc/types.ts';
import type { Backend, Change, CommitBatch } from '../backend.ts';

/** A fresh directory under the OS temp dir and its remover. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'rocksdb-backend-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export type Op = { put: string; value?: string; lease?: number } | { del: string };

/** Issues one revision per `txn` call, tracking each key's createRevision and version. */
export class MiniStore {
  private live = new Map<string, KeyValue>();

  constructor(
    readonly backend: Backend,
    public revision = 1,
  ) {}

  /** Commits `ops` as one revision (subs in order); returns that revision. */
  async txn(ops: Op[], extra: Partial<CommitBatch> = {}): Promise<number> {
    const main = this.revision + 1;
    const changes: Change[] = [];
    ops.forEach((op, sub) => {
      if ('put' in op) {
        const prev = this.live.get(op.put);
        const kv: KeyValue = {
          key: Buffer.from(op.put),
          value: Buffer.from(op.value ?? `${op.put}@${main}`),
          createRevision: prev?.createRevision ?? main,
          modRevision: main,
          version: (prev?.version ?? 0) + 1,
          lease: op.lease ?? 0,
        };
        this.live.set(op.put, kv);
        changes.push({ type: 'put', main, sub, kv });
      } else {
        this.live.delete(op.del);
        changes.push({ type: 'delete', main, sub, key: Buffer.from(op.del) });
      }
    });
    await this.backend.commit({ revision: main, changes, leaseGrants: [], leaseRevokes: [], requests: 1, ...extra });
    this.revision = main;
    return main;
  }

  /** Commits a batch with no key changes (lease grants, revokes, compaction). */
  async meta(extra: Partial<CommitBatch>): Promise<void> {
    await this.backend.commit({ revision: this.revision, changes: [], leaseGrants: [], leaseRevokes: [], requests: 1, ...extra });
  }
}

export function str(kv: KeyValue | undefined): string | undefined {
  return kv === undefined ? undefined : `${kv.key.toString()}=${kv.value.toString()} c${kv.createRevision} m${kv.modRevision} v${kv.version}`;
}
