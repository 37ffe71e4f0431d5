import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PrincipalDirectory, hasPermission, hasPermissions, type Principal } from '../../../../electron/core/auth/permissions';
import { ChangeTracker, openDatabase, type Sqlite } from '../../../../electron/core/db/database';
import { PermissionRepository } from '../../../../electron/core/users/permission-repository';
import { UserRepository, type NewUser } from '../../../../electron/core/users/user-repository';
import { FakeTime } from '../../../support/fake-time';

let dir: string;
let time: FakeTime;
let db: Sqlite;
let changes: ChangeTracker;
let users: UserRepository;
let perms: PermissionRepository;
let directory: PrincipalDirectory;
const extra: Sqlite[] = [];

const create = (username: string, flags: Partial<NewUser> = {}): number =>
  users.create({ username, passwordHash: 'h', ...flags }).id;

/** The principal of `userId`, which must exist. */
function principal(userId: number): Principal {
  const p = directory.get(userId);
  expect(p).not.toBeNull();
  return p as Principal;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'permissions-'));
  time = new FakeTime();
  db = openDatabase(dir, { clock: time });
  changes = new ChangeTracker(db);
  users = new UserRepository(db, time, changes);
  perms = new PermissionRepository(db, changes);
  directory = new PrincipalDirectory(users, perms, changes);
});

afterEach(() => {
  for (const other of extra.splice(0)) other.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('hasPermission (Django section G)', () => {
  it('grants user ∪ group permissions and nothing else', () => {
    const id = create('alice');
    perms.createGroup('Support', ['sessions.view_session']);
    perms.setUserGroups(id, ['Support']);
    perms.setUserPermissions(id, ['auth.view_user']);
    const p = principal(id);
    expect(hasPermission(p, 'auth.view_user')).toBe(true);
    expect(hasPermission(p, 'sessions.view_session')).toBe(true);
    expect(hasPermission(p, 'auth.delete_user')).toBe(false);
    expect(hasPermission(p, 'made.up')).toBe(false);
    expect(hasPermissions(p, ['auth.view_user', 'sessions.view_session'])).toBe(true);
    expect(hasPermissions(p, ['auth.view_user', 'auth.delete_user'])).toBe(false);
    expect(directory.effectivePermissions(p)).toEqual(['auth.view_user', 'sessions.view_session']);
  });

  it('gives an active superuser everything, even a permission that does not exist', () => {
    const p = principal(create('root', { isSuperuser: true }));
    expect(hasPermission(p, 'auth.delete_user')).toBe(true);
    expect(hasPermission(p, 'no_such_app.launch_rockets')).toBe(true);
    expect(hasPermissions(p, ['audit.view_event', 'anything.at_all'])).toBe(true);
    expect(directory.effectivePermissions(p)).toHaveLength(11);
  });

  it('gives an inactive superuser nothing', () => {
    const p = principal(create('root', { isSuperuser: true, isActive: false }));
    expect(hasPermission(p, 'auth.view_user')).toBe(false);
    expect(hasPermission(p, 'no_such_app.launch_rockets')).toBe(false);
    expect(directory.effectivePermissions(p)).toEqual([]);
  });

  it('gives an inactive user nothing, even with direct and group grants', () => {
    const id = create('alice', { isActive: false });
    perms.createGroup('Support', ['sessions.view_session']);
    perms.setUserGroups(id, ['Support']);
    perms.setUserPermissions(id, ['auth.view_user']);
    const p = principal(id);
    expect(hasPermission(p, 'auth.view_user')).toBe(false);
    expect(hasPermission(p, 'sessions.view_session')).toBe(false);
    expect(directory.effectivePermissions(p)).toEqual([]);
    // Even a principal assembled by hand with permissions is denied while inactive.
    const forged: Principal = { user: p.user, permissions: new Set(['auth.view_user']) };
    expect(hasPermission(forged, 'auth.view_user')).toBe(false);
  });

  it('grants nothing for is_staff alone', () => {
    const p = principal(create('staffer', { isStaff: true }));
    expect(p.permissions.size).toBe(0);
    for (const { codename } of perms.listPermissions()) expect(hasPermission(p, codename)).toBe(false);
  });
});

describe('PrincipalDirectory freshness', () => {
  it('returns null for an unknown user and serves repeated reads from its cache', () => {
    expect(directory.get(12345)).toBeNull();
    const id = create('alice');
    const first = principal(id);
    expect(directory.get(id)).toBe(first); // same object: no re-read without a write
  });

  it('sees a permission revoked by the repository on the very next get()', () => {
    const id = create('alice');
    perms.setUserPermissions(id, ['auth.view_user']);
    expect(hasPermission(principal(id), 'auth.view_user')).toBe(true);
    perms.setUserPermissions(id, []);
    expect(hasPermission(principal(id), 'auth.view_user')).toBe(false);
  });

  it('sees group changes, deactivation, demotion and deletion on the next get()', () => {
    const id = create('alice', { isSuperuser: true });
    const g = perms.createGroup('Support', ['auth.view_user']);
    perms.setUserGroups(id, ['Support']);
    expect(hasPermission(principal(id), 'made.up')).toBe(true);
    users.update(id, { isSuperuser: false });
    expect(hasPermission(principal(id), 'made.up')).toBe(false);
    expect(hasPermission(principal(id), 'auth.view_user')).toBe(true);
    perms.updateGroup(g.id, { permissions: [] });
    expect(hasPermission(principal(id), 'auth.view_user')).toBe(false);
    perms.updateGroup(g.id, { permissions: ['auth.view_user'] });
    users.update(id, { isActive: false });
    expect(hasPermission(principal(id), 'auth.view_user')).toBe(false);
    users.delete(id);
    expect(directory.get(id)).toBeNull();
  });

  it('sees a change committed by another connection (e.g. the manage CLI) on the next get()', () => {
    const id = create('alice');
    perms.setUserPermissions(id, ['auth.view_user', 'auth.change_user']);
    expect(hasPermission(principal(id), 'auth.change_user')).toBe(true);

    const other = openDatabase(dir, { clock: time });
    extra.push(other);
    const otherChanges = new ChangeTracker(other);
    const otherPerms = new PermissionRepository(other, otherChanges);
    otherPerms.setUserPermissions(id, ['auth.view_user']);
    const after = principal(id);
    expect(hasPermission(after, 'auth.change_user')).toBe(false);
    expect(hasPermission(after, 'auth.view_user')).toBe(true);

    new UserRepository(other, time, otherChanges).update(id, { isActive: false });
    expect(hasPermission(principal(id), 'auth.view_user')).toBe(false);
  });
});
