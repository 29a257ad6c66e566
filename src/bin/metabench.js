#!/usr/bin/env node
// Entry point for `metabench` / `npx metabench` / `npm start`. The project is TypeScript run
// directly through tsx's loader (no build step), so a fresh clone works after `npm install`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
