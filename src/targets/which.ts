/** Finds an executable on PATH, as a shell would. */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Absolute path of `name` on `pathEnv` (default `$PATH`), or undefined when absent. */
export function which(name: string, pathEnv: string = process.env.PATH ?? ''): string | undefined {
  for (const dir of pathEnv.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch (err) {
      // Not here (ENOENT) or not executable (EACCES): keep looking along PATH.
      void err;
    }
  }
  return undefined;
}
