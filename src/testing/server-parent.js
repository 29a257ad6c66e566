#!/usr/bin/env node
// A runner-like parent for the orphan tests: starts one target server through the runner's own
// code path (`startTarget`, so the same spawn, flags and stdin pipe), prints one JSON line
// `{"pid":<server pid>,"dataDirs":[…]}` on stdout, then waits to be killed. Never stops the
// server itself: a test SIGKILLs this process and checks what the server does alone.
//   node src/testing/server-parent.js <memory|noop> <tmpRoot>
/* global AbortController -- Node's, not a browser's */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) });
const [kind, tmpRoot] = process.argv.slice(2);
const { startTarget } = await import('../targets/index.ts');
const target = await startTarget(
  { name: kind, kind },
  { keepData: false, tmpRoot, signal: new AbortController().signal, log: (level, msg) => process.stderr.write(`${level}: ${msg}\n`) },
);
process.stdout.write(`${JSON.stringify({ pid: target.server?.pid, dataDirs: readdirSync(tmpRoot).map((d) => join(tmpRoot, d)) })}\n`);
setInterval(() => undefined, 60_000);
