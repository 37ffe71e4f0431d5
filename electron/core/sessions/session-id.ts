import { createHash, randomBytes } from 'node:crypto';

/** 32 bytes from the OS CSPRNG, base64url: 43 characters, 256 bits (standards #30). */
export function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}

const SESSION_ID_RE = /^[A-Za-z0-9_-]{43}$/;

/** Cheap shape check before any lookup: anything else cannot be one of ours. */
export function looksLikeSessionId(value: string): boolean {
  return value.length === 43 && SESSION_ID_RE.test(value);
}

/** What is stored at rest (DB, WAL, logs): SHA-256 of the ID, hex. */
export function hashSessionId(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

/** The public name of a session: the first 16 hex characters of its hash. */
export function handleOf(hash: string): string {
  return hash.slice(0, 16);
}
