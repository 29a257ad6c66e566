// A client thread's entry (`new Worker(thread-entry.js)`): registers tsx in this thread (a runner
// started as `node entry.js` has no --import flag for workers to inherit), then runs the TypeScript.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) });
await import('./thread-main.ts');
