import type { AppError } from '../../errors';

/** What a sign-in attempt carries; a backend answers only the kinds it understands. */
export type Credentials =
  | { kind: 'password'; identifier: string; password: string }
  | { kind: 'remembered'; username: string };

/**
 * Django's three answers: a user; "not mine / no match" (the next backend is tried);
 * or deny, which stops the chain at once (Django's PermissionDenied).
 */
export type AuthOutcome =
  | { outcome: 'user'; userId: number }
  | { outcome: 'pass' }
  | { outcome: 'deny'; error?: AppError };

/** What the core lends a backend: read access to accounts, nothing more. */
export interface BackendContext {
  findUser(identifier: string): { id: number; username: string; isActive: boolean } | null;
}

export interface AuthBackend {
  authenticate(credentials: Credentials, context: BackendContext): Promise<AuthOutcome>;
}

export const PASS: AuthOutcome = Object.freeze({ outcome: 'pass' });
