import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AdminUser, AuditItem, List, LoginResult } from '../../../../shared/dto';
import { makeHarness, OTHER_PASSWORD, setupAdmin, type Harness } from '../../../support/core-harness';

/*
 * The options the admin console needs on top of the first admin channels:
 * admin:users:list sort/order, admin:audit:list since/until, and
 * admin:users:set-password with mustChangePassword false.
 */

let h: Harness;
let admin: string;
beforeEach(async () => {
  h = await makeHarness();
  admin = await setupAdmin(h);
});
afterEach(async () => {
  await h.cleanup();
});

const create = (fields: Record<string, unknown>) =>
  h.ok<AdminUser>(1, 'admin:users:create', { sessionId: admin, password: OTHER_PASSWORD, mustChangePassword: false, ...fields });
const usernames = async (extra: Record<string, unknown>) =>
  (await h.ok<List<AdminUser>>(1, 'admin:users:list', { sessionId: admin, limit: 500, ...extra })).items.map((u) => u.username);

describe('admin:users:list sort and order', () => {
  it('orders by username, display name, email and last sign-in; NULLs last both ways; ties by id', async () => {
    await create({ username: 'carol', displayName: 'Ångström', email: 'a@example.com' });
    await create({ username: 'Bob', displayName: 'zed' });
    await create({ username: 'dave', displayName: 'Émile', email: 'c@example.com' });
    h.time.jump(1000);
    await h.ok<LoginResult>(2, 'auth:login', { username: 'dave', password: OTHER_PASSWORD });

    expect(await usernames({ sort: 'username' })).toEqual(['admin', 'Bob', 'carol', 'dave']);
    expect(await usernames({ sort: 'username', order: 'desc' })).toEqual(['dave', 'carol', 'Bob', 'admin']);
    // The admin has no display name ('' sorts first); case folds like the search, then code points.
    expect(await usernames({ sort: 'displayName' })).toEqual(['admin', 'Bob', 'carol', 'dave']);
    expect(await usernames({ sort: 'displayName', order: 'desc' })).toEqual(['dave', 'carol', 'Bob', 'admin']);
    expect(await usernames({ sort: 'email' })).toEqual(['carol', 'dave', 'admin', 'Bob']);
    expect(await usernames({ sort: 'email', order: 'desc' })).toEqual(['dave', 'carol', 'Bob', 'admin']);
    // dave signed in last; admin signed in at set-up; carol and Bob never (NULL, last, by id).
    expect(await usernames({ sort: 'lastLogin', order: 'desc' })).toEqual(['dave', 'admin', 'Bob', 'carol']);
    expect(await usernames({ sort: 'lastLogin' })).toEqual(['admin', 'dave', 'carol', 'Bob']);
    // Sorting composes with search and paging.
    expect(await usernames({ query: 'example', sort: 'username', order: 'desc', offset: 1, limit: 1 })).toEqual(['carol']);
    expect(await h.errorCode(1, 'admin:users:list', { sessionId: admin, sort: 'password_hash' })).toBe('VALIDATION_ERROR');
  });
});

describe('admin:users:list groupId', () => {
  it("lists one group's members, with search, sort and totals", async () => {
    const g = await h.ok<{ id: number }>(1, 'admin:groups:create', { sessionId: admin, name: 'Support', permissions: [] });
    await h.ok(1, 'admin:groups:create', { sessionId: admin, name: 'Other', permissions: [] });
    await create({ username: 'zoe', groups: ['Support'] });
    await create({ username: 'amy', groups: ['Support', 'Other'] });
    await create({ username: 'ann', groups: ['Other'] });
    const members = await h.ok<List<AdminUser>>(1, 'admin:users:list', { sessionId: admin, groupId: g.id, sort: 'username' });
    expect(members.total).toBe(2);
    expect(members.items.map((u) => u.username)).toEqual(['amy', 'zoe']);
    expect(await usernames({ groupId: g.id, query: 'a' })).toEqual(['amy']);
    expect(await usernames({ groupId: 999 })).toEqual([]);
  });
});

describe('admin:audit:list since and until', () => {
  it('keeps events inside the inclusive time range, with other filters and totals', async () => {
    const start = h.time.now();
    const bob = await create({ username: 'bob' });
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      h.time.jump(60_000);
      times.push(h.time.now());
      await h.ok(2, 'auth:login', { username: 'bob', password: OTHER_PASSWORD });
    }
    const list = (extra: Record<string, unknown>) =>
      h.ok<List<AuditItem>>(1, 'admin:audit:list', { sessionId: admin, limit: 500, ...extra });
    const middle = await list({ since: times[1], until: times[1] });
    expect(middle.items.length).toBeGreaterThan(0);
    expect(middle.items.every((e) => e.at === times[1])).toBe(true);
    const lastTwo = await list({ type: 'login.success', userId: bob.id, since: times[1] });
    expect(lastTwo.total).toBe(2);
    expect(lastTwo.items.map((e) => e.at)).toEqual([times[2], times[1]]);
    const before = await list({ until: start });
    expect(before.items.every((e) => e.at <= start)).toBe(true);
    expect(before.items.map((e) => e.type)).toContain('setup');
    expect((await list({ since: h.time.now() + 1 })).total).toBe(0);
    expect(await h.errorCode(1, 'admin:audit:list', { sessionId: admin, since: -1 })).toBe('VALIDATION_ERROR');
  });
});

describe('admin:users:set-password mustChangePassword', () => {
  it('defaults to true and can be turned off', async () => {
    const bob = await create({ username: 'bob' });
    await h.ok(1, 'admin:users:set-password', { sessionId: admin, userId: bob.id, password: 'a temporary passphrase 9', mustChangePassword: false });
    const r = await h.ok<LoginResult>(2, 'auth:login', { username: 'bob', password: 'a temporary passphrase 9' });
    expect(r.user.mustChangePassword).toBe(false);
    await h.ok(1, 'admin:users:set-password', { sessionId: admin, userId: bob.id, password: 'another passphrase 10' });
    const again = await h.ok<LoginResult>(2, 'auth:login', { username: 'bob', password: 'another passphrase 10' });
    expect(again.user.mustChangePassword).toBe(true);
  });
});

describe('your own account', () => {
  it('cannot be deleted or deactivated by yourself (CONFLICT, in words), even with another superuser', async () => {
    await create({ username: 'root2', isSuperuser: true });
    for (const [channel, extra] of [['admin:users:delete', {}], ['admin:users:update', { isActive: false }]] as const) {
      const r = await h.call(1, channel, { sessionId: admin, userId: 1, ...extra });
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('CONFLICT');
        expect(r.error.message).toMatch(/your own account/);
      }
    }
    expect((await h.ok<AdminUser>(1, 'admin:users:update', { sessionId: admin, userId: 1, displayName: 'Boss' })).displayName).toBe('Boss');
    expect(await usernames({})).toEqual(['admin', 'root2']);
  });
});

describe('admin:users:list search over display names', () => {
  it('folds case for ASCII names in SQL and for other names in JavaScript; totals right on full and partial pages', async () => {
    await create({ username: 'u1', displayName: 'Ronald McDonald' });
    await create({ username: 'u2', displayName: 'Émile Zola' });
    await create({ username: 'u3', displayName: 'STRASSE Test' });
    await create({ username: 'u4', displayName: 'Straße Zwei' });
    expect(await usernames({ query: 'mcdon' })).toEqual(['u1']);
    expect(await usernames({ query: 'ÉMILE' })).toEqual(['u2']);
    expect(await usernames({ query: 'émi' })).toEqual(['u2']);
    // 'ß' folds to 'ss' like the stored keys: both people match either spelling.
    expect(await usernames({ query: 'strasse' })).toEqual(['u3', 'u4']);
    expect(await usernames({ query: 'straße' })).toEqual(['u3', 'u4']);
    // A full first page still counts every match; a partial one counts itself.
    const full = await h.ok<List<AdminUser>>(1, 'admin:users:list', { sessionId: admin, query: 'u', limit: 2 });
    expect(full.items).toHaveLength(2);
    expect(full.total).toBe(4);
    const later = await h.ok<List<AdminUser>>(1, 'admin:users:list', { sessionId: admin, query: 'u', offset: 3, limit: 2 });
    expect(later).toMatchObject({ total: 4, items: [expect.objectContaining({ username: 'u4' })] });
  });
});
