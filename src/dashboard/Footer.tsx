/** The key hints, or a message (stopping, errors reading the files). */
import { Text } from 'ink';

/** Props of `Footer`. */
export interface FooterProps {
  readonly message?: string;
  readonly warning?: string;
  /** Interactive session (keys work); false when stdin is not a terminal. */
  readonly interactive: boolean;
}

/** One row at the bottom. */
export function Footer({ message, warning, interactive }: FooterProps) {
  if (message) return <Text color="yellow" wrap="truncate">{message}</Text>;
  return (
    <Text dimColor wrap="truncate">
      {interactive ? 'q quit · ←/→ Tab target · ↑/↓ scenario · Enter detail · ? help' : 'read-only (stdin is not a terminal)'}
      {warning ? <Text color="red"> · {warning}</Text> : null}
    </Text>
  );
}
