import { createHash } from 'node:crypto';

/** A palette with enough contrast for white initials (WCAG AA on 14px bold). */
const PALETTE = [
  '#1f6feb', '#8250df', '#bf3989', '#cf222e', '#bc4c00', '#9a6700',
  '#1a7f37', '#0a7d8c', '#57606a', '#6639ba', '#b35900', '#0969da',
] as const;

/** Derived from the user id, so it is stable for the account's whole life (renames included). */
export function avatarColorFor(userId: number): string {
  const digest = createHash('sha256').update(`avatar:${userId}`).digest();
  return PALETTE[digest.readUInt32BE(0) % PALETTE.length] as string;
}
