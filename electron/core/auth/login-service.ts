import { createHash } from 'node:crypto';
import type { AuditLog } from '../audit/audit-log';
import { AppError } from '../errors';
import { foldKey } from '../users/user-normalize';
import type { UserRecord } from '../users/user-record';
import type { UserRepository } from '../users/user-repository';
import type { AuthResult, Authenticator } from './authenticator';
import type { LoginThrottle } from './login-throttle';
import type { PasswordHasher } from './password-hasher';

/** One reply for an unknown user and a wrong password: same code, same message (enumeration). */
export const invalidCredentials = (): AppError =>
  new AppError('INVALID_CREDENTIALS', 'The username or password is incorrect.');

export interface LoginServiceOptions {
  authenticator: Authenticator;
  throttle: LoginThrottle;
  users: UserRepository;
  hasher: PasswordHasher;
  audit: AuditLog;
}

export const userThrottleKey = (userId: number): string => `user:${userId}`;

/**
 * Throttle key of an identifier that names no user: a SHA-256 of the folded
 * identifier, never the text itself, because the throttle tables are stored in
 * accounts.db and people type their password into the username box (same reason
 * the audit entry omits it). Folding first keeps "Ghost" and "ghost" one key.
 */
export const identifierThrottleKey = (identifier: string): string =>
  `id:${createHash('sha256').update(foldKey(identifier)).digest('hex')}`;

/**
 * Password checks with the throttle and the audit trail around them. The throttle
 * key is the user when the identifier names one, else a hash of the folded identifier, so an
 * unknown name is throttled exactly like a known one; attempts on one key are
 * serialized, so parallel guesses cannot slip past the limit.
 */
export class LoginService {
  constructor(private readonly o: LoginServiceOptions) {}

  /** auth:login: answers the user and the backend that vouched, or throws. */
  async passwordLogin(identifier: string, password: string): Promise<{ user: UserRecord; backend: string }> {
    const known = identifier === '' ? null : this.o.users.findByIdentifier(identifier);
    const key = known ? userThrottleKey(known.id) : identifierThrottleKey(identifier);
    const result = await this.throttled(key, known, async () => {
      const r: AuthResult = await this.o.authenticator.authenticate({ kind: 'password', identifier, password });
      return { ok: r.kind === 'user', value: r };
    });
    if (result.kind !== 'user') {
      // Never the identifier of a name that matches no user: people type passwords there.
      this.o.audit.record(
        known ? { type: 'login.failure', userId: known.id, username: known.username } : { type: 'login.failure' },
      );
      if (result.kind === 'denied' && result.error) throw result.error;
      throw invalidCredentials();
    }
    const user = this.o.users.findById(result.userId);
    if (!user) throw invalidCredentials();
    if (!user.isActive) {
      // Only reachable with the right password (DESIGN: ACCOUNT_DISABLED only then).
      this.o.audit.record({ type: 'login.failure', userId: user.id, username: user.username, detail: { disabled: true } });
      throw new AppError('ACCOUNT_DISABLED', 'This account is disabled. Ask an administrator to enable it.');
    }
    return { user, backend: result.backend };
  }

  /** auth:login-remembered: no secret from the caller, so nothing to throttle. */
  async rememberedLogin(username: string): Promise<{ user: UserRecord; backend: string }> {
    const r = await this.o.authenticator.authenticate({ kind: 'remembered', username });
    if (r.kind === 'denied' && r.error) throw r.error;
    const user = r.kind === 'user' ? this.o.users.findById(r.userId) : null;
    if (!user || r.kind !== 'user') {
      throw new AppError('NOT_REMEMBERED', 'This computer does not remember that profile. Sign in with a password.');
    }
    if (!user.isActive) throw new AppError('ACCOUNT_DISABLED', 'This account is disabled. Ask an administrator to enable it.');
    return { user, backend: r.backend };
  }

  /**
   * The signed-in user's password again (unlock, reauthenticate, change-password):
   * same throttle key as a login for that user; a wrong password is INVALID_CREDENTIALS.
   */
  async confirmPassword(user: UserRecord, password: string): Promise<void> {
    await this.throttled(userThrottleKey(user.id), user, async () => {
      const ok = await this.o.hasher.verify(password, user.passwordHash);
      return { ok, value: ok };
    }).then((ok) => {
      if (!ok) {
        this.o.audit.record({ type: 'login.failure', userId: user.id, username: user.username, detail: { confirm: true } });
        throw invalidCredentials();
      }
    });
  }

  private async throttled<T>(
    key: string,
    user: UserRecord | null,
    fn: () => Promise<{ ok: boolean; value: T }>,
  ): Promise<T> {
    try {
      return await this.o.throttle.attempt(key, fn);
    } catch (e) {
      if (e instanceof AppError && e.code === 'THROTTLED') {
        this.o.audit.record(user ? { type: 'login.throttled', userId: user.id, username: user.username } : { type: 'login.throttled' });
      }
      throw e;
    }
  }
}
