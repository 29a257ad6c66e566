#!/usr/bin/env node
// Entry point for `metabench` / `npx metabench` / `npm start`. The project is TypeScript run
// directly through tsx's loader (no build step), so a fresh clone works after `npm install`.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

// The project's tsconfig by path: tsx would otherwise look in the working directory, and from
// anywhere else JSX compiles to the classic `React.createElement` ("React is not defined").
register({ tsconfig: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) });
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
