#!/usr/bin/env node
// The runner child's executable: registers tsx (no build step, as src/bin/metabench.js) and runs
// the TypeScript runner. The orchestrator starts it as `node entry.js` with its config in the env.
import { register } from 'tsx/esm/api';

register();
await import('./child.ts');
