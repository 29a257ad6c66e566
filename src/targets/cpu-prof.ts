/**
 * `metabench run --cpu-prof DIR`: V8 CPU profiles of the Node processes a run starts, named
 * `<target>.<role>.cpuprofile` (`memory.server.cpuprofile`, `noop.runner.cpuprofile`; a client
 * thread's is `<target>.runner.<scenario>.thread-<n>.cpuprofile`). Node writes a `--cpu-prof`
 * profile when the process exits through `process.exit` or a drained loop, which is how
 * `metabench serve`, the noop server and the runner end after SIGTERM; a SIGKILL loses it.
 *
 * Why a staging folder and not `--cpu-prof-name`: `--cpu-prof` profiles every thread of the
 * process, and tsx's loader hooks run on a thread of their own. With one fixed name both threads
 * write the same file and the one that exits last wins: the noop server's profile held only
 * module loading. So each process writes Node's default names
 * (`CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile`) into `DIR/.<target>.<role>/`, and
 * once it has exited `collectCpuProfile` keeps the main thread's (thread id 0) under the
 * documented name and removes the folder with the loader thread's.
 */
import { readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** The profile file name of one process. */
export function cpuProfileName(target: string, role: 'runner' | 'server', detail?: string): string {
  return `${target}.${role}${detail ? `.${detail}` : ''}.cpuprofile`;
}

/** Where one process writes its threads' profiles before `collectCpuProfile`. */
function stagingDir(dir: string, target: string, role: 'runner' | 'server'): string {
  return join(dir, `.${target}.${role}`);
}

/** Node flags that make a process write its CPU profiles for `collectCpuProfile` (none without a dir). */
export function cpuProfArgs(dir: string | undefined, target: string, role: 'runner' | 'server'): string[] {
  if (dir === undefined) return [];
  return ['--cpu-prof', '--cpu-prof-dir', stagingDir(dir, target, role)];
}

/** Node's default profile name of a process's main thread (thread id 0). */
const MAIN_THREAD_PROFILE = /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/;

/**
 * After the process has exited: moves its main thread's profile to `DIR/<target>.<role>.cpuprofile`
 * and removes the staging folder (the loader thread's profile with it). Returns the path, or
 * undefined when the process wrote none (a SIGKILL) or there is no `dir`. Never throws: a
 * profile that cannot be collected must not fail the run.
 */
export function collectCpuProfile(dir: string | undefined, target: string, role: 'runner' | 'server'): string | undefined {
  if (dir === undefined) return undefined;
  const staging = stagingDir(dir, target, role);
  try {
    const main = readdirSync(staging).find((f) => MAIN_THREAD_PROFILE.test(f));
    if (main === undefined) return undefined;
    const to = cpuProfilePath(dir, target, role);
    renameSync(join(staging, main), to);
    return to;
  } catch {
    return undefined;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Absolute path of a profile. */
export function cpuProfilePath(dir: string, target: string, role: 'runner' | 'server', detail?: string): string {
  return join(dir, cpuProfileName(target, role, detail));
}
