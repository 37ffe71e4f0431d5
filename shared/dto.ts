import type { PasswordPolicyReason } from './errors';

/** Shapes the main process sends to the renderer. A session ID appears only as LoginResult.sessionId. */

export interface User {
  id: number;
  username: string;
  email: string | null;
  phone: string | null;
  displayName: string;
  avatarColor: string;
  isStaff: boolean;
  isSuperuser: boolean;
  /** Effective permissions, 'app_label.codename'. */
  permissions: string[];
  lastLoginAt: number | null;
  mustChangePassword: boolean;
}

export interface AdminUser extends User {
  isActive: boolean;
  groups: string[];
  createdAt: number;
}

export interface SessionInfo {
  /** Public handle: the first 16 hex characters of SHA-256(session ID). */
  handle: string;
  createdAt: number;
  lastActivityAt: number;
  idleExpiresAt: number;
  absoluteExpiresAt: number;
  locked: boolean;
  /** True for the session that made this call. */
  current: boolean;
}

export interface AdminSessionInfo extends SessionInfo {
  userId: number;
  username: string;
  /** The profile's display name and avatar colour ('' when the user is gone). */
  displayName: string;
  avatarColor: string;
  /** The window (renderer, the core's senderId) on this station the session is bound to. */
  windowId: number;
}

export interface LoginResult {
  sessionId: string;
  user: User;
  session: SessionInfo;
  /** True only when this call stored a "stay signed in" token in the keychain. */
  remembered: boolean;
  /**
   * What Unix `login` prints: the user's previous successful sign-in (null when this is
   * the first) and how many failed password attempts on this account came after it.
   * Computed when the session began; unlock and password change carry the same values.
   */
  previousSignIn: PreviousSignIn;
}

export interface PreviousSignIn {
  /** The previous successful sign-in (epoch ms), null when this is the first. */
  at: number | null;
  /** Failed password attempts on this account after that sign-in (or ever, when it is the first). */
  failedAttempts: number;
}

/** `password:check`: what the strength meter shows while the user types. */
export interface PasswordCheck {
  /** Policy rules the password breaks now, in PASSWORD_POLICY_REASONS order; empty when acceptable. */
  reasons: PasswordPolicyReason[];
  /** Estimated strength, 0 (guessable in seconds) to 4 (very hard to guess). */
  score: 0 | 1 | 2 | 3 | 4;
  /** English hints from the estimator ("Add another word or two"); advisory. */
  suggestions: string[];
}

export interface Group {
  id: number;
  name: string;
  permissions: string[];
}

export interface Permission {
  /** The full 'app_label.codename'. */
  codename: string;
  name: string;
}

export interface AuditItem {
  id: number;
  at: number;
  type: string;
  userId?: number;
  username?: string;
  detail?: Record<string, unknown>;
}

export interface RememberedProfile {
  username: string;
  displayName: string;
  avatarColor: string;
  lastLoginAt: number | null;
}

export interface Prefs {
  theme: 'system' | 'light' | 'dark';
  locale: 'system' | 'en' | 'zh-CN';
}

export interface AppInfo {
  setupRequired: boolean;
  keychain: { available: boolean; reason?: string };
  authBackends: string[];
  version: string;
  passwordPolicy: { minLength: number; maxLength: number };
  /**
   * The session store: its engine and whether it can be reached now (a shared Redis may
   * not be: sign-in then fails with STORE_UNAVAILABLE). Optional for older consumers.
   */
  sessionStore?: { engine: 'sqlite' | 'memory' | 'redis'; available: boolean; reason?: string };
  /**
   * What the window needs to explain itself before it happens: whether an idle
   * session is signed out or locked ("You will be signed out in 0:45" vs "…will
   * lock…"), and how many profiles one window may hold ("Add profile…" disabled
   * with the reason instead of a refused sign-in).
   */
  sessions: { idleTimeoutMs: number; idleAction: 'logout' | 'lock'; maxProfilesPerWindow: number };
}

export interface List<T> {
  items: T[];
  total: number;
}

/** JSON values storable in session data. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export type EndReason =
  | 'logout'
  | 'idle'
  | 'absolute'
  | 'replaced'
  | 'revoked'
  | 'password-changed'
  | 'deactivated'
  | 'deleted'
  | 'window-closed'
  | 'restart';

export type LockReason = 'manual' | 'idle' | 'lock-all' | 'suspend' | 'screen-lock';

export interface ProfileState {
  handle: string;
  username: string;
  displayName: string;
  avatarColor: string;
  locked: boolean;
}
