/**
 * The committed lease table: which leases exist, their granted TTL and when they expire.
 * Grants and revokes reach it only after the commit pipeline made them durable; keep-alives
 * only move the expiry (not persisted, as in etcd: after a restart every lease gets a fresh
 * full TTL). Which keys a lease holds is the engine's business (`Backend.leaseKeys`).
 */
import type { LeaseRecord } from '../backend/backend.ts';

/** etcd's MaxLeaseTTL in seconds. */
export const MAX_LEASE_TTL_SEC = 9_000_000_000;
/**
 * etcd's minimum TTL with default timing: ceil(1.5 * election timeout of 1 s) = 2 s. Shorter
 * requests are raised to it.
 */
export const DEFAULT_MIN_LEASE_TTL_SEC = 2;

/** One live lease. */
export interface LeaseEntry {
  id: number;
  /** Granted TTL in seconds. */
  ttlSec: number;
  /** Wall-clock expiry in ms since the epoch. */
  expiresAtMs: number;
  /** A revoke (by expiry) is already queued. */
  revoking: boolean;
}

/** Committed leases by ID, with their expiry; `now` is injectable for tests (ms since the epoch). */
export class LeaseTable {
  private readonly leases = new Map<number, LeaseEntry>();
  private nextId: number;

  constructor(private readonly now: () => number = Date.now) {
    // Start IDs at a random point so two stores rarely hand out the same IDs (as etcd's
    // member-prefixed generator avoids), leaving room below 2^53.
    this.nextId = 1 + Math.floor(Math.random() * 2 ** 40) * 2 ** 8;
  }

  has(id: number): boolean {
    return this.leases.has(id);
  }

  get(id: number): LeaseEntry | undefined {
    return this.leases.get(id);
  }

  get size(): number {
    return this.leases.size;
  }

  /** Adds a committed grant with a fresh full TTL. */
  add(rec: LeaseRecord): void {
    this.leases.set(rec.id, { id: rec.id, ttlSec: rec.ttlSec, expiresAtMs: this.now() + rec.ttlSec * 1000, revoking: false });
  }

  remove(id: number): void {
    this.leases.delete(id);
  }

  /** Restarts a lease's TTL; returns the granted TTL, or undefined when it does not exist. */
  renew(id: number): number | undefined {
    const l = this.leases.get(id);
    if (l === undefined) return undefined;
    l.expiresAtMs = this.now() + l.ttlSec * 1000;
    return l.ttlSec;
  }

  /** Remaining seconds (rounded up), -1 when the lease does not exist or has expired. */
  remainingSec(id: number): number {
    const l = this.leases.get(id);
    if (l === undefined) return -1;
    const ms = l.expiresAtMs - this.now();
    return ms <= 0 ? -1 : Math.ceil(ms / 1000);
  }

  /** A fresh positive ID below 2^53 for which `taken` is false. */
  pickId(taken: (id: number) => boolean): number {
    for (;;) {
      const id = this.nextId++;
      if (this.nextId >= Number.MAX_SAFE_INTEGER) this.nextId = 1;
      if (!this.leases.has(id) && !taken(id)) return id;
    }
  }

  /** Leases past their expiry with no revoke queued yet; marks them as being revoked. */
  takeExpired(): number[] {
    const now = this.now();
    const out: number[] = [];
    for (const l of this.leases.values()) {
      if (!l.revoking && l.expiresAtMs <= now) {
        l.revoking = true;
        out.push(l.id);
      }
    }
    return out;
  }

  /** Lets a lease whose expiry revoke failed be tried again. */
  unmarkRevoking(id: number): void {
    const l = this.leases.get(id);
    if (l !== undefined) l.revoking = false;
  }

  ids(): number[] {
    return [...this.leases.keys()];
  }
}
