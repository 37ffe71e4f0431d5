import type { ChangeTracker } from '../db/database';
import type { PermissionRepository } from '../users/permission-repository';
import type { UserRecord } from '../users/user-record';
import type { UserRepository } from '../users/user-repository';

/** A user with their effective permissions, as every access check sees them. */
export interface Principal {
  user: UserRecord;
  /** Effective 'app_label.codename' set: user ∪ groups; all for an active superuser; none when inactive. */
  permissions: ReadonlySet<string>;
}

/**
 * Django's has_perm: an inactive user has nothing (superuser or not), an active
 * superuser has everything (even permissions that do not exist), is_staff grants
 * nothing by itself, everyone else has user ∪ group permissions.
 */
export function hasPermission(principal: Principal, permission: string): boolean {
  if (!principal.user.isActive) return false;
  if (principal.user.isSuperuser) return true;
  return principal.permissions.has(permission);
}

export function hasPermissions(principal: Principal, permissions: readonly string[]): boolean {
  return permissions.every((p) => hasPermission(principal, p));
}

/**
 * Users and their permissions, read through a cache that is exactly as fresh as the
 * database: each entry remembers the ChangeTracker generation it was read at, and any
 * write (ours, or another process's seen through PRAGMA data_version) makes it re-read.
 * So a permission revoked mid-session denies the very next call (standards #57),
 * without a query per check on the hot path.
 */
export class PrincipalDirectory {
  private readonly cache = new Map<number, { generation: number; principal: Principal | null }>();

  constructor(
    private readonly users: UserRepository,
    private readonly permissions: PermissionRepository,
    private readonly changes: ChangeTracker,
  ) {}

  /** `generation`: pass the router's reading to spare a second PRAGMA on the hot path. */
  get(userId: number, generation = this.changes.current()): Principal | null {
    const hit = this.cache.get(userId);
    if (hit && hit.generation === generation) return hit.principal;
    const principal = this.load(userId);
    if (principal) this.cache.set(userId, { generation, principal });
    else this.cache.delete(userId);
    return principal;
  }

  /** The permission list shown to the user (what `User.permissions` carries). */
  effectivePermissions(principal: Principal): string[] {
    if (!principal.user.isActive) return [];
    if (principal.user.isSuperuser) return this.permissions.listPermissions().map((p) => p.codename);
    return [...principal.permissions].sort();
  }

  private load(userId: number): Principal | null {
    const user = this.users.findById(userId);
    if (!user) return null;
    const permissions = user.isActive ? new Set(this.permissions.permissionsOf(userId)) : new Set<string>();
    return { user, permissions };
  }
}
