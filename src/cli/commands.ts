/**
 * What every subcommand module (`src/commands/<name>.ts`) is handed besides the program: a way
 * to set the exit code it finished with. Declared here, apart from the registration in
 * `main.ts`, so the commands import it without importing the CLI that imports them.
 */

/** Sets the process exit code a command finished with. */
export type SetExit = (code: number) => void;
