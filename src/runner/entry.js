#!/usr/bin/env node
// The runner child's executable: registers tsx (no build step, as src/bin/metabench.js) and runs
// the TypeScript runner. The orchestrator starts it as `node entry.js` with its config in the env.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

// The project's tsconfig by path: tsx would otherwise look in the working directory, and from
// anywhere else JSX compiles to the classic `React.createElement` ("React is not defined").
register({ tsconfig: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) });
await import('./child.ts');
