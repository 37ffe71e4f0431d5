import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AdminUser, AuditItem, Group, List, LoginResult } from '../../../../shared/dto';
import type { ErrorBody, Reply } from '../../../../shared/errors';
import { makeHarness, OTHER_PASSWORD, setupAdmin, STRONG_PASSWORD, type Harness } from '../../../support/core-harness';

/*
 * The admin console and account isolation through dispatch (DESIGN "The IPC
 * contract"; Django F, G; standards #34, #55).
 */

const ALL_PERMISSIONS = [
  'audit.view_event',
  'auth.add_group', 'auth.add_user', 'auth.change_group', 'auth.change_user',
  'auth.delete_group', 'auth.delete_user', 'auth.view_group', 'auth.view_user',
  'sessions.delete_session', 'sessions.view_session',
];

let h: Harness;
let admin: string;
beforeEach(async () => {
  h = await makeHarness();
  admin = await setupAdmin(h);
});
afterEach(async () => {
  await h.cleanup();
});

const errorOf = (r: Reply): ErrorBody => {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.data)}`);
  return r.error;
};
const create = (fields: Record<string, unknown>) =>
  h.ok<AdminUser>(1, 'admin:users:create', { sessionId: admin, password: OTHER_PASSWORD, mustChangePassword: false, ...fields });
const signIn = (sender: number, username: string, password = OTHER_PASSWORD) =>
  h.ok<LoginResult>(sender, 'auth:login', { username, password });
const listUsers = (extra: Record<string, unknown> = {}) => h.ok<List<AdminUser>>(1, 'admin:users:list', { sessionId: admin, ...extra });

describe('admin:users', () => {
  it('lists 61 users in pages with no duplicates or gaps, and searches username, email and display name', async () => {
    for (let i = 0; i < 60; i++) {
      const n = String(i).padStart(2, '0');
      await create({
        username: `user${n}`,
        ...(i === 7 && { displayName: 'Zoë Zebra' }),
        ...(i === 8 && { email: 'Unique-Mail@Corp.example' }),
      });
    }
    const seen: number[] = [];
    for (let offset = 0; offset < 70; offset += 7) {
      const page = await listUsers({ offset, limit: 7 });
      expect(page.total).toBe(61);
      expect(page.items.length).toBe(Math.max(0, Math.min(7, 61 - offset)));
      seen.push(...page.items.map((u) => u.id));
    }
    expect(new Set(seen).size).toBe(61);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect((await listUsers()).items).toHaveLength(50);
    expect(await h.errorCode(1, 'admin:users:list', { sessionId: admin, limit: 501 })).toBe('VALIDATION_ERROR');

    const names = async (query: string) => (await listUsers({ query, limit: 500 })).items.map((u) => u.username);
    expect(await names('USER1')).toEqual(['user1', ...Array.from({ length: 10 }, (_, i) => `user1${i}`)].slice(1));
    expect(await names('zebra')).toEqual(['user07']);
    expect(await names('unique-mail@')).toEqual(['user08']);
    // LIKE wildcards in the query are literal.
    expect(await names('%')).toEqual([]);
    expect(await names('_')).toEqual([]);
    expect((await listUsers({ query: 'user', limit: 5, offset: 55 })).total).toBe(60);
  });

  it('create answers the AdminUser (mustChangePassword by default) and never a hash', async () => {
    const u = await h.ok<AdminUser>(1, 'admin:users:create', {
      sessionId: admin, username: 'Bob', password: OTHER_PASSWORD, email: 'bob@example.com', phone: '+1 (555) 010-2030',
      displayName: 'Bob B.', isStaff: true, permissions: ['auth.view_user'],
    });
    expect(Object.keys(u).sort()).toEqual([
      'avatarColor', 'createdAt', 'displayName', 'email', 'groups', 'id', 'isActive', 'isStaff', 'isSuperuser',
      'lastLoginAt', 'mustChangePassword', 'permissions', 'phone', 'username',
    ]);
    expect(u).toMatchObject({
      username: 'Bob', email: 'bob@example.com', phone: '+15550102030', displayName: 'Bob B.', isActive: true,
      isStaff: true, isSuperuser: false, mustChangePassword: true, permissions: ['auth.view_user'], groups: [],
      lastLoginAt: null, createdAt: h.time.now(),
    });
    expect(JSON.stringify(u)).not.toMatch(/\$2[aby]\$/);
  });

  it('create answers CONFLICT naming every taken field, VALIDATION_ERROR naming bad ones, and creates nothing', async () => {
    await create({ username: 'bob', email: 'bob@example.com', phone: '+15550102030' });
    const conflict = errorOf(await h.call(1, 'admin:users:create', {
      sessionId: admin, username: 'BOB', password: OTHER_PASSWORD, email: 'BOB@example.com', phone: '+1 555 010 2030',
    }));
    expect(conflict.code).toBe('CONFLICT');
    expect(Object.keys(conflict.fields ?? {}).sort()).toEqual(['email', 'phone', 'username']);
    const invalid = errorOf(await h.call(1, 'admin:users:create', {
      sessionId: admin, username: 'has space', password: OTHER_PASSWORD, email: 'not-an-email', phone: 'abc',
    }));
    expect(invalid.code).toBe('VALIDATION_ERROR');
    expect(Object.keys(invalid.fields ?? {}).sort()).toEqual(['email', 'phone', 'username']);
    const group = errorOf(await h.call(1, 'admin:users:create', { sessionId: admin, username: 'carol', password: OTHER_PASSWORD, groups: ['nosuchgroup'] }));
    expect(group.code).toBe('VALIDATION_ERROR');
    expect(group.fields?.groups).toContain('nosuchgroup');
    const perm = errorOf(await h.call(1, 'admin:users:create', { sessionId: admin, username: 'carol', password: OTHER_PASSWORD, permissions: ['auth.fly'] }));
    expect(perm.code).toBe('VALIDATION_ERROR');
    expect(perm.fields?.permissions).toContain('auth.fly');
    expect((await listUsers()).items.map((u) => u.username)).toEqual(['admin', 'bob']);
  });

  it('update, set-password and delete', async () => {
    await h.ok(1, 'admin:groups:create', { sessionId: admin, name: 'Editors', permissions: ['auth.change_user'] });
    const bob = await create({ username: 'bob' });
    await create({ username: 'carol' });
    const updated = await h.ok<AdminUser>(1, 'admin:users:update', {
      sessionId: admin, userId: bob.id, displayName: 'Robert', email: 'rob@example.com', isStaff: true, groups: ['editors'],
    });
    expect(updated).toMatchObject({ displayName: 'Robert', email: 'rob@example.com', isStaff: true, groups: ['Editors'], permissions: ['auth.change_user'] });
    expect(errorOf(await h.call(1, 'admin:users:update', { sessionId: admin, userId: bob.id, username: 'Carol' })).fields).toHaveProperty('username');
    expect(await h.errorCode(1, 'admin:users:update', { sessionId: admin, userId: 999, displayName: 'x' })).toBe('NOT_FOUND');
    // The last active superuser cannot demote itself.
    expect(await h.errorCode(1, 'admin:users:update', { sessionId: admin, userId: 1, isSuperuser: false })).toBe('CONFLICT');

    const bobSession = await signIn(2, 'bob');
    await h.ok(1, 'admin:users:set-password', { sessionId: admin, userId: bob.id, password: 'a temporary passphrase 9' });
    expect((await listUsers({ query: 'bob' })).items[0]?.mustChangePassword).toBe(true);
    expect(await h.errorCode(2, 'account:sessions', { sessionId: bobSession.sessionId })).toBe('SESSION_INVALID');
    expect(await h.errorCode(2, 'auth:login', { username: 'bob', password: OTHER_PASSWORD })).toBe('INVALID_CREDENTIALS');
    const again = await signIn(2, 'bob', 'a temporary passphrase 9');
    expect(again.user.mustChangePassword).toBe(true);
    expect(await h.errorCode(2, 'account:sessions', { sessionId: again.sessionId })).toBe('PASSWORD_CHANGE_REQUIRED');

    expect(await h.ok(1, 'admin:users:delete', { sessionId: admin, userId: bob.id })).toEqual({});
    expect(await h.errorCode(2, 'auth:activity', { sessionId: again.sessionId })).toBe('SESSION_INVALID');
    expect((await listUsers()).items.map((u) => u.username)).toEqual(['admin', 'carol']);
    expect(await h.errorCode(1, 'admin:users:delete', { sessionId: admin, userId: bob.id })).toBe('NOT_FOUND');
    expect(await h.errorCode(1, 'admin:users:delete', { sessionId: admin, userId: 1 })).toBe('CONFLICT');
  });
});

describe('admin:groups and admin:permissions', () => {
  it('create, update, list and delete groups; the 11 seeded permissions', async () => {
    const perms = await h.ok<List<{ codename: string; name: string }>>(1, 'admin:permissions:list', { sessionId: admin });
    expect(perms.total).toBe(11);
    expect(perms.items.map((p) => p.codename).sort()).toEqual(ALL_PERMISSIONS);
    expect(perms.items.find((p) => p.codename === 'auth.view_user')?.name).toBe('Can view user');

    const g = await h.ok<Group>(1, 'admin:groups:create', { sessionId: admin, name: 'Support', permissions: ['auth.view_user', 'audit.view_event'] });
    expect(g).toEqual({ id: expect.any(Number), name: 'Support', permissions: ['audit.view_event', 'auth.view_user'] });
    expect(await h.errorCode(1, 'admin:groups:create', { sessionId: admin, name: 'SUPPORT', permissions: [] })).toBe('CONFLICT');
    expect(errorOf(await h.call(1, 'admin:groups:create', { sessionId: admin, name: 'x', permissions: ['nope.nope'] })).fields?.permissions).toContain('nope.nope');
    const u = await h.ok<Group>(1, 'admin:groups:update', { sessionId: admin, groupId: g.id, name: 'Helpdesk', permissions: ['auth.view_group'] });
    expect(u).toEqual({ id: g.id, name: 'Helpdesk', permissions: ['auth.view_group'] });
    expect(await h.ok(1, 'admin:groups:list', { sessionId: admin })).toEqual({ items: [u], total: 1 });
    expect(await h.ok(1, 'admin:groups:delete', { sessionId: admin, groupId: g.id })).toEqual({});
    expect(await h.ok(1, 'admin:groups:list', { sessionId: admin })).toEqual({ items: [], total: 0 });
    expect(await h.errorCode(1, 'admin:groups:update', { sessionId: admin, groupId: g.id, name: 'x' })).toBe('NOT_FOUND');
    expect(await h.errorCode(1, 'admin:groups:delete', { sessionId: admin, groupId: g.id })).toBe('NOT_FOUND');
  });
});

describe('permissions decide, not is_staff (Django G.64-65)', () => {
  it('view_user can list but not create; a group granting add_user can create; staff alone gets nothing', async () => {
    await create({ username: 'viewer', isStaff: true, permissions: ['auth.view_user'] });
    await h.ok(1, 'admin:groups:create', { sessionId: admin, name: 'creators', permissions: ['auth.add_user'] });
    await create({ username: 'creator', groups: ['creators'] });
    await create({ username: 'staffer', isStaff: true });

    const viewer = await signIn(2, 'viewer');
    expect(viewer.user.permissions).toEqual(['auth.view_user']);
    expect((await h.call(2, 'admin:users:list', { sessionId: viewer.sessionId })).ok).toBe(true);
    expect(await h.errorCode(2, 'admin:users:create', { sessionId: viewer.sessionId, username: 'x1', password: OTHER_PASSWORD })).toBe('PERMISSION_DENIED');

    const creator = await signIn(3, 'creator');
    expect((await h.call(3, 'admin:users:create', { sessionId: creator.sessionId, username: 'x2', password: OTHER_PASSWORD })).ok).toBe(true);
    expect(await h.errorCode(3, 'admin:users:list', { sessionId: creator.sessionId })).toBe('PERMISSION_DENIED');

    const staffer = await signIn(4, 'staffer');
    for (const c of ['admin:users:list', 'admin:groups:list', 'admin:sessions:list', 'admin:audit:list']) {
      expect(await h.errorCode(4, c, { sessionId: staffer.sessionId }), c).toBe('PERMISSION_DENIED');
    }
    // A permission taken away mid-session is refused on the very next call.
    await h.ok(1, 'admin:groups:update', { sessionId: admin, groupId: 1, permissions: [] });
    expect(await h.errorCode(3, 'admin:users:create', { sessionId: creator.sessionId, username: 'x3', password: OTHER_PASSWORD })).toBe('PERMISSION_DENIED');
  });
});

describe('admin:sessions and admin:audit', () => {
  it('lists sessions with userId and username and never a session ID (#34)', async () => {
    const bob = await create({ username: 'bob' });
    const issued = [admin];
    // Listed by creation time: one second apart.
    for (const sender of [2, 3]) {
      h.time.jump(1000);
      issued.push((await signIn(sender, 'bob')).sessionId);
    }
    const rotated = await h.ok<LoginResult>(3, 'auth:unlock', { sessionId: issued[2], password: OTHER_PASSWORD });
    issued.push(rotated.sessionId);
    const r = await h.call(1, 'admin:sessions:list', { sessionId: admin });
    const text = JSON.stringify(r);
    for (const id of issued) expect(text).not.toContain(id);
    const list = (r as { data: List<{ userId: number; username: string; handle: string; current: boolean }> }).data;
    expect(list.total).toBe(3);
    expect(list.items.map((s) => [s.username, s.userId, s.current])).toEqual([
      ['admin', 1, true], ['bob', bob.id, false], ['bob', bob.id, false],
    ]);
    expect(list.items.every((s) => /^[0-9a-f]{16}$/.test(s.handle))).toBe(true);
    const onlyBob = await h.ok<List<{ userId: number }>>(1, 'admin:sessions:list', { sessionId: admin, userId: bob.id, offset: 1, limit: 1 });
    expect(onlyBob).toEqual({ items: [expect.objectContaining({ userId: bob.id })], total: 2 });
  });

  it('pages the audit trail newest first and filters by type and user; an unknown type is VALIDATION_ERROR', async () => {
    const bob = await create({ username: 'bob' });
    for (let i = 0; i < 3; i++) {
      h.time.jump(1000);
      await signIn(2, 'bob');
    }
    const all = await h.ok<List<AuditItem>>(1, 'admin:audit:list', { sessionId: admin, limit: 500 });
    expect(all.items.map((e) => e.id)).toEqual([...all.items.map((e) => e.id)].sort((a, b) => b - a));
    const pages = [];
    for (let offset = 0; offset < all.total; offset += 4) {
      pages.push(...(await h.ok<List<AuditItem>>(1, 'admin:audit:list', { sessionId: admin, offset, limit: 4 })).items);
    }
    expect(pages).toEqual(all.items);
    const logins = await h.ok<List<AuditItem>>(1, 'admin:audit:list', { sessionId: admin, type: 'login.success', userId: bob.id });
    expect(logins.total).toBe(3);
    expect(logins.items.map((e) => [e.type, e.userId, e.username, e.at])).toEqual(
      [3, 2, 1].map((k) => ['login.success', bob.id, 'bob', h.time.now() - (3 - k) * 1000]),
    );
    const byUser = await h.ok<List<AuditItem>>(1, 'admin:audit:list', { sessionId: admin, userId: bob.id, limit: 500 });
    expect(byUser.items.every((e) => e.userId === bob.id)).toBe(true);
    expect(byUser.items.map((e) => e.type)).toContain('user.created');
    const e = errorOf(await h.call(1, 'admin:audit:list', { sessionId: admin, type: 'no.such.type' }));
    expect(e.code).toBe('VALIDATION_ERROR');
    expect(e.fields).toHaveProperty('type');
  });
});

describe('account isolation between profiles of one window (#55)', () => {
  it("profile A's session cannot read or change B's data through account:*", async () => {
    const b = await create({ username: 'bob', email: 'bob@example.com' });
    await create({ username: 'ann' });
    const A = await signIn(1, 'ann');
    const B = await signIn(1, 'bob');
    await h.ok(1, 'session:data:set', { sessionId: B.sessionId, key: 'draft', value: 'B only' });
    await h.ok(1, 'prefs:set', { sessionId: B.sessionId, theme: 'dark' });

    expect(await h.ok(1, 'session:data:get', { sessionId: A.sessionId, key: 'draft' })).toBeNull();
    expect(await h.ok(1, 'prefs:get', { sessionId: A.sessionId })).toEqual({ theme: 'system', locale: 'system' });
    const mine = await h.ok<List<{ handle: string }>>(1, 'account:sessions', { sessionId: A.sessionId });
    expect(mine.items.map((s) => s.handle)).toEqual([A.session.handle]);
    expect(await h.errorCode(1, 'account:revoke-session', { sessionId: A.sessionId, handle: B.session.handle })).toBe('NOT_FOUND');
    expect(await h.errorCode(1, 'account:update', { sessionId: A.sessionId, userId: b.id, displayName: 'hacked' })).toBe('VALIDATION_ERROR');
    const updated = await h.ok<{ id: number; displayName: string }>(1, 'account:update', { sessionId: A.sessionId, displayName: 'Ann A.' });
    expect(updated.id).not.toBe(b.id);
    expect(await h.errorCode(1, 'account:update', { sessionId: A.sessionId, email: 'bob@example.com' })).toBe('CONFLICT');
    expect(await h.errorCode(1, 'account:change-password', {
      sessionId: A.sessionId, currentPassword: STRONG_PASSWORD, newPassword: 'some brand new passphrase',
    })).toBe('INVALID_CREDENTIALS');

    const bobNow = await h.ok<{ user: { displayName: string; email: string } }>(1, 'auth:session', { sessionId: B.sessionId });
    expect(bobNow.user).toMatchObject({ displayName: '', email: 'bob@example.com' });
    expect(await h.ok(1, 'session:data:get', { sessionId: B.sessionId, key: 'draft' })).toBe('B only');
    expect(await h.ok(1, 'prefs:get', { sessionId: B.sessionId })).toEqual({ theme: 'dark', locale: 'system' });
  });
});
