import type { EndReason } from '../../../shared/dto';
import type { AuditLog } from '../audit/audit-log';
import type { Sqlite } from '../db/database';
import { AppError, validationError } from '../errors';
import type { PasswordHasher } from '../auth/password-hasher';
import { checkPasswordPolicy, passwordPolicyError } from '../auth/password-policy';
import type { RememberedDevices } from '../auth/remembered-devices';
import type { PermissionRepository } from '../users/permission-repository';
import type { UserRecord } from '../users/user-record';
import type { NewUser, UserPatch, UserRepository } from '../users/user-repository';
import { validateProfileFields } from '../users/user-validation';

/** Whatever can end a user's sessions: the SessionManager in the app, the table in the CLI. */
export interface SessionEnder {
  endUser(userId: number, reason: EndReason, except?: { hash: string }): number;
}

export interface AccountServiceOptions {
  db: Sqlite;
  users: UserRepository;
  permissions: PermissionRepository;
  hasher: PasswordHasher;
  audit: AuditLog;
  remembered: RememberedDevices;
  sessions: SessionEnder;
  passwordMinLength: number;
}

export interface CreateAccountInput extends Omit<NewUser, 'passwordHash'> {
  password: string;
  groups?: string[];
  permissions?: string[];
}

export interface UpdateAccountInput extends UserPatch {
  groups?: string[];
  permissions?: string[];
}

type Actor = Pick<UserRecord, 'id' | 'username'> | null;

// Lone surrogates would be hashed as U+FFFD: two different strings, one password.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The rules a new password must meet that need no database (everything but
 * "same as the current one"): for the manage CLI, which checks a password before it
 * creates a data folder, so a refused password leaves nothing behind.
 */
export function checkPasswordRules(
  password: string,
  context: { username?: string; email?: string | null; displayName?: string | null },
  minLength: number,
): void {
  if (LONE_SURROGATE.test(password)) {
    throw validationError({ password: 'The password contains characters that cannot be stored.' });
  }
  const reasons = checkPasswordPolicy(password, context, { minLength });
  if (reasons.length > 0) throw passwordPolicyError(reasons, { minLength });
}

/**
 * Account changes with everything that must happen with them: policy, hashing,
 * groups and permissions in one transaction, sessions ended and remembered devices
 * revoked on password change, deactivation and deletion, the last-superuser guard,
 * and the audit trail. Shared by the IPC handlers and the manage CLI.
 */
export class AccountService {
  constructor(private readonly o: AccountServiceOptions) {}

  /** PASSWORD_POLICY with every failing reason, or VALIDATION_ERROR for unusable characters. */
  async checkNewPassword(
    password: string,
    context: { username?: string; email?: string | null; displayName?: string | null },
    currentHash?: string,
  ): Promise<void> {
    if (LONE_SURROGATE.test(password)) {
      throw validationError({ password: 'The password contains characters that cannot be stored.' });
    }
    const reasons = checkPasswordPolicy(password, context, { minLength: this.o.passwordMinLength });
    if (currentHash && (await this.o.hasher.verify(password, currentHash))) reasons.push('same-as-current');
    if (reasons.length > 0) throw passwordPolicyError(reasons, { minLength: this.o.passwordMinLength });
  }

  async createUser(input: CreateAccountInput, actor: Actor): Promise<UserRecord> {
    const fields = validateProfileFields({
      username: input.username,
      email: input.email ?? null,
      phone: input.phone ?? null,
      displayName: input.displayName ?? '',
    });
    await this.checkNewPassword(input.password, fields);
    const passwordHash = await this.o.hasher.hash(input.password);
    // IMMEDIATE: nested, the repository's own IMMEDIATE is only a savepoint, and a
    // deferred outer transaction that reads first fails at once (SQLITE_BUSY, stale
    // snapshot) when another process (the manage CLI) commits between its read and write.
    const user = this.o.db.transaction(() => {
      const created = this.o.users.create({ ...input, passwordHash });
      if (input.groups) this.o.permissions.setUserGroups(created.id, input.groups);
      if (input.permissions) this.o.permissions.setUserPermissions(created.id, input.permissions);
      return created;
    }).immediate();
    this.o.audit.record({
      type: 'user.created',
      userId: user.id,
      username: user.username,
      detail: { by: actor?.id ?? null, superuser: user.isSuperuser, staff: user.isStaff },
    });
    return user;
  }

  async updateUser(id: number, patch: UpdateAccountInput, actor: Actor): Promise<UserRecord> {
    const before = this.require(id);
    const losesSuper =
      before.isSuperuser && before.isActive && (patch.isSuperuser === false || patch.isActive === false);
    if (losesSuper) this.guardLastSuperuser();
    // One IMMEDIATE transaction: a deactivation commits with its sessions and remembered
    // devices revoked, or not at all (a crash or a failed write in between must not leave
    // an inactive user with live session rows). IMMEDIATE: the write lock is taken before
    // the first read, so a commit by the CLI meanwhile cannot fail it as a stale snapshot.
    const deactivated = before.isActive && patch.isActive === false;
    const after = this.o.db.transaction(() => {
      const updated = this.o.users.update(id, patch);
      if (patch.groups) this.o.permissions.setUserGroups(id, patch.groups);
      if (patch.permissions) this.o.permissions.setUserPermissions(id, patch.permissions);
      if (deactivated) this.o.sessions.endUser(id, 'deactivated');
      if (deactivated || before.username !== updated.username) this.o.remembered.revokeRows(id);
      return updated;
    }).immediate();
    const changed = Object.keys(patch).filter((k) => k !== 'password');
    this.o.audit.record({ type: 'user.updated', userId: id, username: after.username, detail: { by: actor?.id ?? null, fields: changed } });
    if (deactivated || before.username !== after.username) {
      // The keychain side, best effort. A rename: the entry is filed under the old name,
      // forget it rather than orphan it.
      await this.o.remembered.revoke(before);
    }
    return after;
  }

  /**
   * Sets a new password. Ends every other session of the user (reason
   * `password-changed`; `keep` is the caller's own, which the caller rotates) and
   * revokes remembered devices (standards #47).
   */
  async setPassword(
    user: UserRecord,
    password: string,
    options: { mustChange: boolean; actor: Actor; keep?: { hash: string }; checkCurrent?: boolean },
  ): Promise<void> {
    await this.checkNewPassword(password, user, options.checkCurrent ? user.passwordHash : undefined);
    const hash = await this.o.hasher.hash(password);
    // The new hash, the sessions it ends and the remembered devices it revokes commit
    // together or not at all: a crash or a failed write in between must never leave the
    // new password in force while the old one's sessions or "stay signed in" tokens live on.
    this.o.db.transaction(() => {
      this.o.users.setPassword(user.id, hash, options.mustChange);
      this.o.audit.record({
        type: 'password.changed',
        userId: user.id,
        username: user.username,
        detail: { by: options.actor?.id ?? null, forced: options.mustChange },
      });
      this.o.sessions.endUser(user.id, 'password-changed', options.keep);
      this.o.remembered.revokeRows(user.id);
    }).immediate();
    await this.o.remembered.revoke(user); // the keychain side, best effort
  }

  async deleteUser(id: number, actor: Actor): Promise<void> {
    const user = this.require(id);
    if (user.isSuperuser && user.isActive) this.guardLastSuperuser();
    this.o.sessions.endUser(id, 'deleted');
    await this.o.remembered.revoke(user);
    this.o.users.delete(id);
    this.o.audit.record({ type: 'user.deleted', userId: id, username: user.username, detail: { by: actor?.id ?? null } });
  }

  private require(id: number): UserRecord {
    const user = this.o.users.findById(id);
    if (!user) throw new AppError('NOT_FOUND', 'That user does not exist.');
    return user;
  }

  /** Defends against locking everyone out of administration. */
  private guardLastSuperuser(): void {
    if (this.o.users.countActiveSuperusers() <= 1) {
      throw new AppError(
        'CONFLICT',
        'This is the last active superuser: make another user a superuser first.',
      );
    }
  }
}
