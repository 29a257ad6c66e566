/**
 * Imported first by the dashboard's entry, before React and Ink load, because both decide how
 * to behave once, when their modules are evaluated:
 *
 * - React picks its build from NODE_ENV; the development build's checks cost a steady few
 *   percent of a core on every frame. A NODE_ENV the user set is left alone.
 * - Ink asks `is-in-ci` whether CI or CONTINUOUS_INTEGRATION is set and, if so, draws nothing
 *   until it unmounts (it assumes a log, not a screen). The dashboard is only ever drawn on a
 *   terminal (a TTY, or a test's stream), so a live screen is always what is wanted, including
 *   when someone runs it inside a CI job's tmux. The variables are hidden while Ink loads and
 *   put back by `restoreCiEnv()`, so child processes see the environment unchanged.
 */
const CI_VARS = ['CI', 'CONTINUOUS_INTEGRATION'] as const;
const hidden = new Map<string, string>();

process.env.NODE_ENV ??= 'production';
for (const name of CI_VARS) {
  const value = process.env[name];
  if (value !== undefined) {
    hidden.set(name, value);
    delete process.env[name];
  }
}

/** Puts back the CI variables hidden while Ink loaded (call once, after the imports). */
export function restoreCiEnv(): void {
  for (const [name, value] of hidden) process.env[name] = value;
  hidden.clear();
}
