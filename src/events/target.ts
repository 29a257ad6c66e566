/**
 * A target of a run, declared once: the command line builds it (`src/commands/run-options.ts`),
 * the orchestrator hands it to the runner (`src/runner/config.ts`), the runner starts it
 * (`src/targets/`), and `run.json` records it without its secrets (`ManifestTarget`).
 */
import { z } from 'zod';

/**
 * Kinds of target (DESIGN section 3). `noop` is the near no-op server that measures the load
 * generator's own ceiling; its scenarios are not graded.
 */
export const TargetKind = z.enum(['memory', 'rocksdb', 'etcd', 'endpoint', 'noop']);
export type TargetKind = z.infer<typeof TargetKind>;

/** One target as chosen on the command line. */
export const TargetSpec = z.object({
  /** Name shown to users and used for the result file (`<name>.ndjson`). */
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/),
  kind: TargetKind,
  /** `endpoint` only: `host:port` of each member. */
  endpoints: z.array(z.string()).optional(),
  /** `endpoint` only: TLS files (absolute paths). */
  tls: z.object({ cacert: z.string().optional(), cert: z.string().optional(), key: z.string().optional() }).optional(),
  /** `endpoint` only: credentials (never written to `run.json`). */
  auth: z.object({ user: z.string(), password: z.string() }).optional(),
});
export type TargetSpec = z.infer<typeof TargetSpec>;

/** A target as `run.json` records it: name, kind and endpoint members, no TLS files or credentials. */
export const ManifestTarget = TargetSpec.pick({ name: true, kind: true, endpoints: true });
export type ManifestTarget = z.infer<typeof ManifestTarget>;
