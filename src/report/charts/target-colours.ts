/**
 * One colour per target, the same in every picture of a run: the SVG charts, report.html and
 * the dashboard's throughput chart (which takes the Ink name). Chosen by target kind, so memory
 * is cyan in every run whatever else ran; a second target of a kind already coloured (two
 * endpoints) takes the next spare colour. Mid-tones (Tailwind's 500 shades), so that a line
 * reads on a white page and on a dark one alike.
 */

/** Ink colour names (what the dashboard can draw). */
export type InkColour = 'cyan' | 'magenta' | 'blue' | 'yellow' | 'gray' | 'green' | 'red' | 'white';

/** A target's colour: hex for SVG and HTML, and the nearest Ink colour for the terminal. */
export interface TargetColour {
  hex: string;
  ink: InkColour;
}

const BY_KIND: Readonly<Record<string, TargetColour>> = {
  memory: { hex: '#06b6d4', ink: 'cyan' },
  rocksdb: { hex: '#d946ef', ink: 'magenta' },
  etcd: { hex: '#3b82f6', ink: 'blue' },
  endpoint: { hex: '#f59e0b', ink: 'yellow' },
  noop: { hex: '#6b7280', ink: 'gray' },
};

/** Colours for targets whose kind is unknown or already taken, in order. */
const SPARE: readonly TargetColour[] = [
  { hex: '#10b981', ink: 'green' },
  { hex: '#ef4444', ink: 'red' },
  { hex: '#8b5cf6', ink: 'magenta' },
  { hex: '#84cc16', ink: 'green' },
  { hex: '#ec4899', ink: 'red' },
];

/** The colour of a target of `kind` when it is the only one of its kind (the dashboard's case). */
export function kindColour(kind: string | undefined): TargetColour {
  return (kind !== undefined ? BY_KIND[kind] : undefined) ?? SPARE[0];
}

/**
 * Colours of a run's targets, in their order: the first target of each kind gets its kind's
 * colour, any other a spare one (cycling when there are more targets than colours).
 */
export function targetColours(targets: readonly { name: string; kind?: string }[]): Map<string, TargetColour> {
  const out = new Map<string, TargetColour>();
  const usedKinds = new Set<string>();
  let spare = 0;
  for (const t of targets) {
    const own = t.kind !== undefined && !usedKinds.has(t.kind) ? BY_KIND[t.kind] : undefined;
    if (t.kind !== undefined) usedKinds.add(t.kind);
    out.set(t.name, own ?? SPARE[spare++ % SPARE.length]);
  }
  return out;
}
