import type { JsonValue, SessionInfo } from '../../../shared/dto';
import type { StoredSession } from './session-store';

/** A signed-in session as the main process holds it for the run (raw ID included). */
export interface LiveSession {
  readonly id: string;
  readonly hash: string;
  readonly handle: string;
  readonly userId: number;
  readonly senderId: number;
  readonly backend: string;
  readonly createdAt: number;
  readonly absoluteExpiresAt: number;
  /** Exact, in memory: idle expiry is enforced from this, to the millisecond. */
  lastActivityAt: number;
  /** What the store holds; written at most once per idle/10. */
  persistedActivityAt: number;
  locked: boolean;
  authAt: number | null;
  data: Record<string, JsonValue>;
  /**
   * ChangeTracker.externalSeen when the stored row was last confirmed: only another
   * process (the manage CLI) can remove a row behind this process's back.
   */
  verifiedExternal: number;
  /**
   * LoginResult.previousSignIn, fixed when the session began (memory only; a rotation
   * copies it, so unlock and password change report the same values).
   */
  previousSignIn?: { at: number | null; failedAttempts: number };
}

export interface SessionTimeouts {
  sessionIdleTimeoutMs: number;
}

/** When the idle timeout would end (or lock) this session; locked sessions only end at their absolute expiry. */
export function idleExpiresAt(s: LiveSession, t: SessionTimeouts): number {
  return s.locked ? s.absoluteExpiresAt : Math.min(s.absoluteExpiresAt, s.lastActivityAt + t.sessionIdleTimeoutMs);
}

/** Next time the sweeper must look: computed from the persisted activity, so never later than the real expiry. */
export function dueAt(s: LiveSession, t: SessionTimeouts): number {
  return s.locked ? s.absoluteExpiresAt : Math.min(s.absoluteExpiresAt, s.persistedActivityAt + t.sessionIdleTimeoutMs);
}

export function toStored(s: LiveSession, t: SessionTimeouts): StoredSession {
  return {
    hash: s.hash,
    userId: s.userId,
    senderId: s.senderId,
    backend: s.backend,
    createdAt: s.createdAt,
    lastActivityAt: s.persistedActivityAt,
    absoluteExpiresAt: s.absoluteExpiresAt,
    dueAt: dueAt(s, t),
    locked: s.locked,
    authAt: s.authAt,
    data: JSON.stringify(s.data),
  };
}

export function toSessionInfo(s: LiveSession, t: SessionTimeouts, currentHash: string | null): SessionInfo {
  return {
    handle: s.handle,
    createdAt: s.createdAt,
    lastActivityAt: s.lastActivityAt,
    idleExpiresAt: idleExpiresAt(s, t),
    absoluteExpiresAt: s.absoluteExpiresAt,
    locked: s.locked,
    current: s.hash === currentHash,
  };
}
