import type { AdminUser, LoginResult, User } from '../../../shared/dto';
import type { Principal, PrincipalDirectory } from '../auth/permissions';
import type { SessionTimeouts, LiveSession } from '../sessions/live-session';
import { toSessionInfo } from '../sessions/live-session';
import type { PermissionRepository } from '../users/permission-repository';
import type { UserRecord } from '../users/user-record';

/**
 * The one place domain objects become contract shapes. Nothing here carries a
 * password hash; the raw session ID appears only in LoginResult.
 */
export class Presenter {
  constructor(
    private readonly directory: PrincipalDirectory,
    private readonly permissions: PermissionRepository,
    private readonly timeouts: SessionTimeouts,
  ) {}

  user(principal: Principal): User {
    const u = principal.user;
    return {
      id: u.id,
      username: u.username,
      email: u.email,
      phone: u.phone,
      displayName: u.displayName,
      avatarColor: u.avatarColor,
      isStaff: u.isStaff,
      isSuperuser: u.isSuperuser,
      permissions: this.directory.effectivePermissions(principal),
      lastLoginAt: u.lastLoginAt,
      mustChangePassword: u.mustChangePassword,
    };
  }

  adminUser(record: UserRecord): AdminUser {
    const principal = this.directory.get(record.id) ?? { user: record, permissions: new Set<string>() };
    return {
      ...this.user(principal),
      isActive: record.isActive,
      groups: this.permissions.groupsOf(record.id),
      createdAt: record.createdAt,
    };
  }

  loginResult(session: LiveSession, principal: Principal, remembered: boolean): LoginResult {
    return {
      sessionId: session.id,
      user: this.user(principal),
      session: toSessionInfo(session, this.timeouts, session.hash),
      remembered,
      previousSignIn: session.previousSignIn ?? { at: null, failedAttempts: 0 },
    };
  }
}
