#!/usr/bin/env node
// The noop target's server executable: registers tsx (no build step, as src/runner/entry.js) and
// serves the near no-op etcd v3 server on argv[2] (host:port) until SIGTERM.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) });
const { serveNoop } = await import('../server/noop/noop-server.ts');
await serveNoop(process.argv[2]);
