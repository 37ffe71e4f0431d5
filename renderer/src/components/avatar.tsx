import { initialsOf } from '../lib/format';

/**
 * Initials on the profile's colour. The colour comes from the core; the text is
 * white, and a 1px inner shade keeps light colours AA-readable. Decorative:
 * the name is always written next to it, so it is hidden from screen readers.
 */
export function Avatar({ name, color, size = 32 }: { name: string; color: string; size?: 24 | 32 | 40 | 56 | 88 }) {
  return (
    <span className={`avatar avatar--${size}`} style={{ backgroundColor: safeColor(color) }} aria-hidden="true">
      {initialsOf(name)}
    </span>
  );
}

/** Only a #rrggbb colour reaches CSS (the value crosses the IPC boundary). */
function safeColor(color: string): string {
  return /^#[0-9a-f]{6}$/i.test(color) ? color : '#5a6170';
}
