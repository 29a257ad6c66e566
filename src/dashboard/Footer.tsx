/** The key hints of the current view, or a message (stopping, errors reading the files). */
import { Text } from 'ink';

/** Props of `Footer`. */
export interface FooterProps {
  readonly message?: string;
  readonly warning?: string;
  /** Interactive session (keys work); false when stdin is not a terminal. */
  readonly interactive: boolean;
  /** The view the hints are for (default main). */
  readonly view?: 'main' | 'detail' | 'help';
  /** The results table (main view) or the help has rows out of view, so its scroll keys are worth a hint. */
  readonly scrolls?: boolean;
}

/** The keys that work in each view, most useful first (a narrow terminal cuts the end). */
export function keyHints(view: 'main' | 'detail' | 'help', scrolls: boolean): string {
  switch (view) {
    case 'main':
      return `q quit · ←/→ target · ↑/↓ scenario · Enter detail${scrolls ? ' · j/k results' : ''} · ? help`;
    case 'detail':
      return 'Esc back · ↑/↓ j/k PgUp/PgDn scroll · ←/→ target · ? help · q quit';
    case 'help':
      return `Esc or ? close${scrolls ? ' · ↑/↓ j/k PgUp/PgDn scroll' : ''} · q quit`;
  }
}

/** One row at the bottom. */
export function Footer({ message, warning, interactive, view = 'main', scrolls = false }: FooterProps) {
  if (message) return <Text color="yellow" wrap="truncate">{message}</Text>;
  return (
    <Text dimColor wrap="truncate">
      {interactive ? keyHints(view, scrolls) : 'read-only (stdin is not a terminal)'}
      {warning ? <Text color="red"> · {warning}</Text> : null}
    </Text>
  );
}
