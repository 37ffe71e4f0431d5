import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChangeTracker, openDatabase, type Sqlite } from '../../../../electron/core/db/database';
import { AppError } from '../../../../electron/core/errors';
import { PermissionRepository } from '../../../../electron/core/users/permission-repository';
import { UserRepository } from '../../../../electron/core/users/user-repository';
import { FakeTime } from '../../../support/fake-time';

let dir: string;
let db: Sqlite;
let changes: ChangeTracker;
let users: UserRepository;
let perms: PermissionRepository;
let aliceId: number;

function expectAppError(fn: () => unknown, code: AppError['code']): AppError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(AppError);
  expect((caught as AppError).code).toBe(code);
  expect((caught as AppError).message).not.toMatch(/sqlite|constraint|foreign key/i);
  return caught as AppError;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'permission-repository-'));
  const time = new FakeTime();
  db = openDatabase(dir, { clock: time });
  changes = new ChangeTracker(db);
  users = new UserRepository(db, time, changes);
  perms = new PermissionRepository(db, changes);
  aliceId = users.create({ username: 'alice', passwordHash: 'h' }).id;
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('permissions', () => {
  it('lists the 11 seeded permissions as app_label.codename with a name', () => {
    const all = perms.listPermissions();
    expect(all).toHaveLength(11);
    expect(all).toContainEqual({ codename: 'auth.view_user', name: 'Can view user' });
    expect(all).toContainEqual({ codename: 'audit.view_event', name: 'Can view audit event' });
  });

  it('gives a user the union of direct and group permissions, without duplicates', () => {
    perms.createGroup('Support', ['auth.view_user', 'sessions.view_session']);
    perms.setUserGroups(aliceId, ['support']);
    perms.setUserPermissions(aliceId, ['auth.view_user', 'auth.change_user']);
    expect(perms.permissionsOf(aliceId).sort()).toEqual(['auth.change_user', 'auth.view_user', 'sessions.view_session']);
    expect(perms.groupsOf(aliceId)).toEqual(['Support']);
  });

  it('replaces direct permissions; refuses unknown names, naming every one, and changes nothing', () => {
    perms.setUserPermissions(aliceId, ['auth.view_user']);
    perms.setUserPermissions(aliceId, ['auth.add_user']);
    expect(perms.permissionsOf(aliceId)).toEqual(['auth.add_user']);
    const error = expectAppError(
      () => perms.setUserPermissions(aliceId, ['auth.view_user', 'auth.fly', 'nodot', 'AUTH.VIEW_USER']),
      'VALIDATION_ERROR',
    );
    expect(error.fields?.permissions).toContain('auth.fly');
    expect(error.fields?.permissions).toContain('nodot');
    expect(error.fields?.permissions).toContain('AUTH.VIEW_USER');
    expect(perms.permissionsOf(aliceId)).toEqual(['auth.add_user']);
    perms.setUserPermissions(aliceId, []);
    expect(perms.permissionsOf(aliceId)).toEqual([]);
  });

  it('answers NOT_FOUND for an unknown user instead of a foreign-key failure', () => {
    expectAppError(() => perms.setUserPermissions(aliceId + 99, ['auth.view_user']), 'NOT_FOUND');
    perms.createGroup('Support', []);
    expectAppError(() => perms.setUserGroups(aliceId + 99, ['Support']), 'NOT_FOUND');
  });
});

describe('groups', () => {
  it('creates, finds and lists groups with their permissions', () => {
    const g = perms.createGroup(' Support ', ['sessions.view_session', 'auth.view_user', 'auth.view_user']);
    expect(g).toEqual({ id: g.id, name: 'Support', permissions: ['auth.view_user', 'sessions.view_session'] });
    expect(perms.findGroup(g.id)).toEqual(g);
    const a = perms.createGroup('admins', []);
    expect(perms.listGroups().map((x) => x.name)).toEqual(['admins', 'Support']);
    expect(perms.findGroup(a.id + 100)).toBeNull();
  });

  it('refuses duplicate names case-insensitively (and after NFKC) with CONFLICT on fields.name', () => {
    perms.createGroup('Support', []);
    for (const dup of ['support', 'SUPPORT', ' Support']) {
      expect(expectAppError(() => perms.createGroup(dup, []), 'CONFLICT').fields).toHaveProperty('name');
    }
    perms.createGroup('\u03A9', []);
    expectAppError(() => perms.createGroup('\u2126', []), 'CONFLICT');
    expect(perms.listGroups()).toHaveLength(2);
  });

  it('refuses empty, long or control-character names and unknown permissions, all in one error', () => {
    expect(expectAppError(() => perms.createGroup('  ', []), 'VALIDATION_ERROR').fields?.name).toMatch(/Enter/);
    expect(expectAppError(() => perms.createGroup('g'.repeat(151), []), 'VALIDATION_ERROR').fields?.name).toMatch(/150/);
    expect(expectAppError(() => perms.createGroup('a\nb', []), 'VALIDATION_ERROR').fields?.name).toMatch(/control/);
    const both = expectAppError(() => perms.createGroup('', ['auth.nope', 'x.y']), 'VALIDATION_ERROR');
    expect(Object.keys(both.fields ?? {}).sort()).toEqual(['name', 'permissions']);
    expect(both.fields?.permissions).toMatch(/auth\.nope.*x\.y/);
    expect(perms.createGroup('g'.repeat(150), []).name).toHaveLength(150);
    expect(perms.listGroups()).toHaveLength(1);
  });

  it('updates name and permissions separately', () => {
    const g = perms.createGroup('Support', ['auth.view_user']);
    expect(perms.updateGroup(g.id, { name: 'Helpdesk' })).toEqual({ ...g, name: 'Helpdesk' });
    expect(perms.updateGroup(g.id, { permissions: ['audit.view_event'] })).toEqual({
      id: g.id, name: 'Helpdesk', permissions: ['audit.view_event'],
    });
    expect(perms.updateGroup(g.id, { name: 'HELPDESK' }).name).toBe('HELPDESK'); // its own name, new case
  });

  it('refuses to rename onto another group, unknown permissions, and a missing group', () => {
    perms.createGroup('Admins', []);
    const g = perms.createGroup('Support', ['auth.view_user']);
    expectAppError(() => perms.updateGroup(g.id, { name: 'admins' }), 'CONFLICT');
    const error = expectAppError(() => perms.updateGroup(g.id, { permissions: ['auth.nope'] }), 'VALIDATION_ERROR');
    expect(error.fields?.permissions).toContain('auth.nope');
    expect(perms.findGroup(g.id)).toEqual(g);
    expectAppError(() => perms.updateGroup(g.id + 100, { name: 'x' }), 'NOT_FOUND');
    expectAppError(() => perms.deleteGroup(g.id + 100), 'NOT_FOUND');
  });

  it("deleting a group removes its grants from its members", () => {
    const g = perms.createGroup('Support', ['auth.view_user']);
    perms.setUserGroups(aliceId, ['Support']);
    expect(perms.permissionsOf(aliceId)).toEqual(['auth.view_user']);
    perms.deleteGroup(g.id);
    expect(perms.permissionsOf(aliceId)).toEqual([]);
    expect(perms.groupsOf(aliceId)).toEqual([]);
    expect(perms.findGroup(g.id)).toBeNull();
  });

  it('sets user groups by name (case-insensitive), refusing unknown ones by name', () => {
    perms.createGroup('Support', []);
    perms.createGroup('Admins', []);
    perms.setUserGroups(aliceId, ['SUPPORT', 'admins', 'Support']);
    expect(perms.groupsOf(aliceId)).toEqual(['Admins', 'Support']);
    const error = expectAppError(() => perms.setUserGroups(aliceId, ['Admins', 'Ghosts', 'Spooks']), 'VALIDATION_ERROR');
    expect(error.fields?.groups).toMatch(/Ghosts.*Spooks/);
    expect(perms.groupsOf(aliceId)).toEqual(['Admins', 'Support']);
    perms.setUserGroups(aliceId, []);
    expect(perms.groupsOf(aliceId)).toEqual([]);
  });

  it("deleting a user drops their memberships and grants, not the group's", () => {
    const g = perms.createGroup('Support', ['auth.view_user']);
    perms.setUserGroups(aliceId, ['Support']);
    perms.setUserPermissions(aliceId, ['auth.add_user']);
    users.delete(aliceId);
    expect(db.prepare('SELECT count(*) FROM user_groups').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM user_permissions').pluck().get()).toBe(0);
    expect(perms.findGroup(g.id)?.permissions).toEqual(['auth.view_user']);
  });
});

describe('every write bumps the ChangeTracker', () => {
  it('createGroup, updateGroup, deleteGroup, setUserGroups, setUserPermissions', () => {
    let gid = 0;
    const steps: [string, () => unknown][] = [
      ['createGroup', () => (gid = perms.createGroup('Support', []).id)],
      ['updateGroup', () => perms.updateGroup(gid, { permissions: ['auth.view_user'] })],
      ['setUserGroups', () => perms.setUserGroups(aliceId, ['Support'])],
      ['setUserPermissions', () => perms.setUserPermissions(aliceId, ['auth.add_user'])],
      ['deleteGroup', () => perms.deleteGroup(gid)],
    ];
    for (const [name, step] of steps) {
      const before = changes.current();
      step();
      expect(changes.current(), name).toBeGreaterThan(before);
    }
  });
});
