/** Default folder that holds one folder per run (relative to the working directory). */
export const DEFAULT_RESULTS_DIR = 'results';
