#!/usr/bin/env node
// The noop target's server executable: registers tsx (no build step, as src/runner/entry.js) and
// serves the near no-op etcd v3 server on argv[2] (host:port) until SIGTERM, or, with
// `--exit-with-parent` as argv[3], until stdin reaches end-of-file (the runner is gone).
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) });
const { serveNoop } = await import('../server/noop/noop-server.ts');
await serveNoop(process.argv[2], { exitWithParent: process.argv[3] === '--exit-with-parent' });
