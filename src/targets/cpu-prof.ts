/**
 * `metabench run --cpu-prof DIR`: V8 CPU profiles of the Node processes a run starts, named
 * `<target>.<role>.cpuprofile` (`memory.server.cpuprofile`, `noop.runner.cpuprofile`; a client
 * thread's is `<target>.runner.<scenario>.thread-<n>.cpuprofile`). Node writes a `--cpu-prof`
 * profile when the process exits through `process.exit` or a drained loop, which is how
 * `metabench serve`, the noop server and the runner end after SIGTERM; a SIGKILL loses it.
 */
import { join } from 'node:path';

/** The profile file name of one process. */
export function cpuProfileName(target: string, role: 'runner' | 'server', detail?: string): string {
  return `${target}.${role}${detail ? `.${detail}` : ''}.cpuprofile`;
}

/** Node flags that make a process write its CPU profile into `dir` under that name (none without a dir). */
export function cpuProfArgs(dir: string | undefined, target: string, role: 'runner' | 'server'): string[] {
  if (dir === undefined) return [];
  return ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-name', cpuProfileName(target, role)];
}

/** Absolute path of a profile. */
export function cpuProfilePath(dir: string, target: string, role: 'runner' | 'server', detail?: string): string {
  return join(dir, cpuProfileName(target, role, detail));
}
