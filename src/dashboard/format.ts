/**
 * Short figures for dashboard cells. Throughput and latency reuse the report formatters
 * (`src/grades/format.ts`) so a number reads the same on screen and in `report.md`.
 */
import { fmtMs, fmtOps } from '../grades/format.ts';

export { fmtMs, fmtOps };

/** A duration in ms as `45s`, `3m 05s`, `1h 02m`; negative or unknown as `—`. */
export function fmtDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  const totalSec = Math.round(ms / 1000);
  if (totalSec < 60) return `${totalSec}s`;
  const min = Math.floor(totalSec / 60);
  const sec = totalSec % 60;
  if (min < 60) return `${min}m ${String(sec).padStart(2, '0')}s`;
  return `${Math.floor(min / 60)}h ${String(min % 60).padStart(2, '0')}m`;
}

/** Bytes as `512 KiB`, `120 MiB`, `1.4 GiB`. */
export function fmtBytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 10 || i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

/** A fraction 0..1 as a whole percentage: `60%`. */
export function fmtPct(fraction: number): string {
  return `${Math.floor(Math.min(1, Math.max(0, fraction)) * 100)}%`;
}

/** Throughput compactly for narrow cells and axis labels: `950`, `12.3k`, `1.2M`. */
export function fmtCompact(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  if (abs < 1000) return String(Math.round(n));
  if (abs < 1e6) return `${trim((n / 1e3).toFixed(abs < 1e4 ? 1 : 0))}k`;
  return `${trim((n / 1e6).toFixed(abs < 1e7 ? 1 : 0))}M`;
}

const trim = (s: string): string => (s.includes('.') ? s.replace(/\.?0+$/, '') : s);

/** `s` cut to `width` display columns with `…`, or padded with spaces to it. ASCII-safe only. */
export function fit(s: string, width: number): string {
  if (width <= 0) return '';
  if (s.length > width) return width === 1 ? '…' : `${s.slice(0, width - 1)}…`;
  return s.padEnd(width);
}

/** A horizontal bar of `width` cells filled to `fraction` (eighth-block resolution). */
export function bar(fraction: number, width: number): string {
  if (width <= 0) return '';
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const eighths = Math.round(f * width * 8);
  const full = Math.floor(eighths / 8);
  const rest = eighths % 8;
  const partial = rest > 0 ? PARTIAL[rest] : '';
  return '█'.repeat(full) + partial + '░'.repeat(Math.max(0, width - full - (partial ? 1 : 0)));
}

const PARTIAL = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
