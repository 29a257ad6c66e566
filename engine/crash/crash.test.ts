/**
 * Crash test: a child process (`crash-writer.ts`) writes through `openStore` with sync `always`
 * and 64 concurrent writers, reporting every acknowledged put; the test kills it with SIGKILL
 * at a random (seeded) moment, reopens the data directory and checks that every acknowledged
 * put is there with its value and mod revision, and that writes after the restart get higher
 * revisions. Several rounds on one data directory, so recovery runs over snapshots, segment
 * clean-up and torn tails left by earlier kills.
 *
 * Seed: CRASH_SEED (default below); a failure message names it so a run can be repeated.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openStore, type EngineName } from '../index.ts';

/** The engines the crash test runs against, one line each. */
const ENGINES: EngineName[] = ['memory', 'rocksdb'];

const SEED = Number(process.env.CRASH_SEED ?? 20261125);
const ROUNDS = 4;
/** Kill between these many milliseconds after the child said it is ready. */
const KILL_AFTER_MS: [number, number] = [150, 900];
/** Small, so that kills land in and around snapshots and segment clean-up. */
const SNAPSHOT_COUNT = 500;
/** Start-up of a tsx child on a loaded 2-core machine can be slow; this only bounds a hang. */
const READY_TIMEOUT_MS = 60_000;

const FIXTURE = fileURLToPath(new URL('./crash-writer.ts', import.meta.url));

/** mulberry32: a tiny seeded PRNG, so the kill moments repeat for a given seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Ack {
  key: string;
  value: string;
  revision: number;
}

interface RoundResult {
  readyRevision: number;
  acks: Ack[];
  stderr: string;
}

/** Starts the writer, kills it `killAfterMs` after it is ready, and returns what it reported. */
function runRound(engine: EngineName, dataDir: string, round: number, killAfterMs: number): Promise<RoundResult> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', FIXTURE, '--engine', engine, '--data-dir', dataDir, '--round', String(round), '--snapshot-count', String(SNAPSHOT_COUNT)],
    // stdin stays open and unused: the writer exits when it closes, i.e. when this process dies.
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    const acks: Ack[] = [];
    let readyRevision: number | undefined;
    let pending = '';
    let stderr = '';
    let killTimer: NodeJS.Timeout | undefined;
    const readyTimer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`crash writer (round ${round}) not ready after ${READY_TIMEOUT_MS} ms; stderr: ${stderr}`));
    }, READY_TIMEOUT_MS);

    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop()!; // only complete lines count
      for (const text of lines) {
        const parts = text.split(' ');
        if (parts[0] === 'ready' && parts.length === 2 && readyRevision === undefined) {
          readyRevision = Number(parts[1]);
          clearTimeout(readyTimer);
          killTimer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        } else if (parts[0] === 'ack' && parts.length === 4 && readyRevision !== undefined) {
          acks.push({ key: parts[1], value: parts[2], revision: Number(parts[3]) });
        } else {
          child.kill('SIGKILL');
          reject(new Error(`crash writer (round ${round}) printed an unexpected line: ${JSON.stringify(text)}`));
        }
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(readyTimer);
      clearTimeout(killTimer);
      if (signal !== 'SIGKILL') {
        reject(new Error(`crash writer (round ${round}) exited by itself (code ${code}, signal ${signal}); stderr: ${stderr}`));
        return;
      }
      // A partial last line (cut by the kill) is not an acknowledgement the parent received.
      resolve({ readyRevision: readyRevision ?? -1, acks, stderr });
    });
  });
}

/** Reopens the store in this process and checks every acknowledged put; returns its revision. */
async function verify(
  engine: EngineName,
  dataDir: string,
  acks: Map<string, Ack>,
  context: string,
): Promise<{ revision: number; warnings: string[] }> {
  const warnings: string[] = [];
  const store = await openStore({ engine, dataDir, sync: 'always', snapshotCount: SNAPSHOT_COUNT, log: (_level, msg) => warnings.push(msg) });
  try {
    const res = await store.range({ key: Buffer.from('crash/'), rangeEnd: Buffer.from('crash0') });
    const found = new Map(res.kvs.map((kv) => [kv.key.toString(), kv]));
    let missing = 0;
    for (const ack of acks.values()) {
      const kv = found.get(ack.key);
      if (kv === undefined) {
        missing++;
        continue;
      }
      assert.equal(kv.value.toString(), ack.value, `${context}: value of ${ack.key}`);
      assert.equal(kv.modRevision, ack.revision, `${context}: mod revision of ${ack.key}`);
    }
    assert.equal(missing, 0, `${context}: ${missing} of ${acks.size} acknowledged puts are missing after recovery (warnings: ${warnings.join('; ')})`);
    return { revision: store.header().revision, warnings };
  } finally {
    await store.close();
  }
}

for (const engine of ENGINES) {
  test(`crash (${engine}): acknowledged puts survive SIGKILL and revisions keep increasing`, async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), `crash-${engine}-`));
    t.after(() => rmSync(dataDir, { recursive: true, force: true }));
    const random = prng(SEED);
    const acked = new Map<string, Ack>();
    let maxAcked = 0;

    for (let round = 0; round < ROUNDS; round++) {
      const killAfterMs = Math.round(KILL_AFTER_MS[0] + random() * (KILL_AFTER_MS[1] - KILL_AFTER_MS[0]));
      const context = `engine ${engine}, seed ${SEED}, round ${round} (killed ${killAfterMs} ms after ready)`;
      const r = await runRound(engine, dataDir, round, killAfterMs);
      assert.ok(r.readyRevision >= maxAcked, `${context}: restarted at revision ${r.readyRevision}, below the acknowledged ${maxAcked}`);
      for (const ack of r.acks) {
        assert.ok(ack.revision > r.readyRevision, `${context}: ${ack.key} got revision ${ack.revision}, not above the recovered ${r.readyRevision}`);
        acked.set(ack.key, ack);
      }
      for (const ack of r.acks) maxAcked = Math.max(maxAcked, ack.revision);
      const { revision: recovered, warnings } = await verify(engine, dataDir, acked, context);
      assert.ok(recovered >= maxAcked, `${context}: recovered revision ${recovered} is below the acknowledged ${maxAcked}`);
      t.diagnostic(`round ${round}: killed after ${killAfterMs} ms, ${r.acks.length} acks, recovered at revision ${recovered}${warnings.length ? `; ${warnings.join('; ')}` : ''}`);
    }
    assert.ok(acked.size > 0, `seed ${SEED}: no put was acknowledged in ${ROUNDS} rounds; the test checked nothing`);
  });
}
