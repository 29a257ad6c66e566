/**
 * ECharts' browser build, read from the installed package so report.html carries it inline and
 * needs no network. The "common" build (line, bar, scatter, pie; legend, tooltip, mark lines) is
 * all the charts use, at about two thirds of the full build's size.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** Path of the minified build inside node_modules. */
export function echartsScriptPath(): string {
  return join(dirname(require.resolve('echarts/package.json')), 'dist', 'echarts.common.min.js');
}

let cached: Promise<string> | undefined;

/** The script's text (read once per process), made safe to sit inside `<script>…</script>`. */
export function echartsScript(): Promise<string> {
  cached ??= readFile(echartsScriptPath(), 'utf8').then(inlineSafe);
  return cached;
}

/** A script's text with every `</script` broken up, so the inline element cannot end early. */
export function inlineSafe(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1');
}
