import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelName } from '../../../../shared/contract';
import type { AdminUser, LoginResult, SessionInfo } from '../../../../shared/dto';
import type { ErrorBody } from '../../../../shared/errors';
import { CHANNEL_ACCESS } from '../../../../electron/core/router/channel-access';
import { OTHER_PASSWORD, STRONG_PASSWORD, makeHarness, type Harness } from '../../../support/core-harness';

/**
 * What ends, locks, rotates or narrows a session (DESIGN "Sessions", "Authentication",
 * "The IPC contract"; standards #32, #34, #42, #44, #47-49, #54, #57; Django sessions
 * store behaviours A.2-A.11). After every test, no session ID issued in it may be
 * found at rest: not in accounts.db, its WAL, the audit table or the log (#34).
 */

const THIRD_PASSWORD = 'amber lantern drifting northward';
const SUDO = 300_000;

let h: Harness | undefined;
let issued: string[] = [];
let logs: string[] = [];

const H = (): Harness => h as Harness;
const collect = (data: unknown) => {
  const id = (data as { sessionId?: unknown } | null)?.sessionId;
  if (typeof id === 'string') issued.push(id);
};

async function ok<T = Record<string, unknown>>(sender: number, channel: string, payload: object = {}): Promise<T> {
  const r = await H().call(sender, channel, payload);
  if (!r.ok) throw new Error(`${channel} failed: ${JSON.stringify(r.error)}`);
  collect(r.data);
  return r.data as T;
}
async function fail(sender: number, channel: string, payload: object = {}): Promise<ErrorBody> {
  const r = await H().call(sender, channel, payload);
  if (r.ok) throw new Error(`${channel} unexpectedly succeeded`);
  return r.error;
}
const code = async (sender: number, channel: string, payload: object = {}) => (await fail(sender, channel, payload)).code;

async function start(settings: Record<string, unknown> = {}): Promise<LoginResult> {
  const log = (m: string, c?: Record<string, unknown>) => logs.push(`${m} ${JSON.stringify(c ?? {})}`);
  h = await makeHarness({ settings, logger: { warn: log, error: log } });
  return ok<LoginResult>(1, 'setup:create-admin', { username: 'admin', password: STRONG_PASSWORD });
}
async function addUser(admin: string, username: string, extra: object = {}, sender = 1): Promise<AdminUser> {
  return ok<AdminUser>(sender, 'admin:users:create', { sessionId: admin, username, password: OTHER_PASSWORD, mustChangePassword: false, ...extra });
}
const login = (sender: number, username: string, password = OTHER_PASSWORD, extra: object = {}) =>
  ok<LoginResult>(sender, 'auth:login', { username, password, ...extra });
const events = (name: string) => H().events.filter((e) => e.event === name);
const reasons = (name = 'session:ended') => events(name).map((e) => [e.senderId, e.payload.sessionId, e.payload.reason]);
const dataGet = (sender: number, sessionId: string, key: string) => ok<unknown>(sender, 'session:data:get', { sessionId, key });
const dataSet = (sender: number, sessionId: string, key: string, value: unknown) =>
  ok(sender, 'session:data:set', { sessionId, key, value });

/** Every issued ID found in the DB file, the WAL, the audit table or the log (expected: none). */
function idsAtRest(): string[] {
  const files = ['accounts.db', 'accounts.db-wal'].map((f) => join(H().dataDir, f)).filter((f) => existsSync(f));
  const bytes = Buffer.concat(files.map((f) => readFileSync(f)));
  const db = new Database(join(H().dataDir, 'accounts.db'), { readonly: true, fileMustExist: true });
  const audit = JSON.stringify(db.prepare('SELECT * FROM audit_events').all());
  db.close();
  const text = [audit, ...logs].join('\n');
  return issued.filter((id) => bytes.includes(Buffer.from(id)) || text.includes(id));
}

afterEach(async () => {
  if (!h) return;
  try {
    expect(idsAtRest()).toEqual([]);
  } finally {
    await h.cleanup();
    h = undefined;
    issued = [];
    logs = [];
  }
});

const LOGIN_CHANNELS = (Object.keys(CHANNEL_ACCESS) as ChannelName[]).filter((c) => CHANNEL_ACCESS[c].kind !== 'public');
const flag = (c: ChannelName, f: 'allowLocked' | 'allowMustChange' | 'sudo') => {
  const a = CHANNEL_ACCESS[c];
  return a.kind === 'session' && a[f] === true;
};
/** A payload that passes each login channel's schema, without its sessionId. */
const MINIMAL: Record<string, Record<string, unknown>> = {
  'auth:logout': {}, 'auth:activity': {}, 'auth:lock': {}, 'auth:unlock': { password: 'x' },
  'auth:reauthenticate': { password: 'x' }, 'profiles:activate': {},
  'session:data:get': { key: 'k' }, 'session:data:set': { key: 'k', value: 1 },
  'session:data:delete': { key: 'k' }, 'session:data:clear': {}, 'account:update': { displayName: 'M' },
  'account:change-password': { currentPassword: 'x', newPassword: 'y' }, 'account:sessions': {},
  'account:revoke-session': { handle: '0123456789abcdef' }, 'prefs:get': {}, 'prefs:set': { theme: 'dark' },
  'admin:users:list': {}, 'admin:users:create': { username: 'mallory', password: 'x' },
  'admin:users:update': { userId: 1, isActive: false }, 'admin:users:set-password': { userId: 1, password: 'x' },
  'admin:users:delete': { userId: 1 }, 'admin:groups:list': {}, 'admin:permissions:list': {},
  'admin:groups:create': { name: 'g', permissions: [] }, 'admin:groups:update': { groupId: 1 },
  'admin:groups:delete': { groupId: 1 }, 'admin:sessions:list': {}, 'admin:sessions:revoke': { handle: '0123456789abcdef' },
  'admin:audit:list': {},
};

describe('logout and lock', () => {
  it('logout ends the session in the main process: replaying the ID is refused (standards #44)', async () => {
    const { sessionId } = await start();
    expect(await ok(1, 'auth:logout', { sessionId })).toEqual({});
    expect(await code(1, 'prefs:get', { sessionId })).toBe('SESSION_INVALID');
    expect(await code(1, 'auth:logout', { sessionId })).toBe('SESSION_INVALID');
    expect(await ok(1, 'auth:session', { sessionId })).toEqual({ user: null, session: null });
    expect(reasons()).toEqual([[1, sessionId, 'logout']]);
  });

  it('answers SESSION_LOCKED on every login channel but logout and unlock, and logout works while locked', async () => {
    const { sessionId } = await start();
    await dataSet(1, sessionId, 'k', 'kept');
    expect(await ok(1, 'auth:lock', { sessionId })).toEqual({});
    expect(reasons('session:locked')).toEqual([[1, sessionId, 'manual']]);
    const refused = LOGIN_CHANNELS.filter((c) => !flag(c, 'allowLocked'));
    expect(refused).toContain('session:data:get');
    for (const c of refused) expect([c, await code(1, c, { ...MINIMAL[c], sessionId })]).toEqual([c, 'SESSION_LOCKED']);
    expect(H().core.profilesOf(1).map((p) => p.locked)).toEqual([true]);
    expect(await ok(1, 'auth:logout', { sessionId })).toEqual({});
    expect(reasons()).toEqual([[1, sessionId, 'logout']]);
  });

  it('counts wrong unlock passwords toward the throttle, then refuses even the right one (standards #42)', async () => {
    const { sessionId } = await start({ loginMaxFailures: 3 });
    await ok(1, 'auth:lock', { sessionId });
    for (let i = 0; i < 3; i++) expect(await code(1, 'auth:unlock', { sessionId, password: OTHER_PASSWORD })).toBe('INVALID_CREDENTIALS');
    const t = await fail(1, 'auth:unlock', { sessionId, password: STRONG_PASSWORD });
    expect([t.code, t.retryAfterMs]).toEqual(['THROTTLED', 30_000]);
    expect(await code(2, 'auth:login', { username: 'admin', password: STRONG_PASSWORD })).toBe('THROTTLED');
    H().time.advance(30_000);
    expect((await ok<LoginResult>(1, 'auth:unlock', { sessionId, password: STRONG_PASSWORD })).session.locked).toBe(false);
  });

  it('serializes parallel wrong unlocks: no guess slips past the limit', async () => {
    const { sessionId } = await start({ loginMaxFailures: 3 });
    await ok(1, 'auth:lock', { sessionId });
    const guesses = Array.from({ length: 10 }, (_, i) => code(1, 'auth:unlock', { sessionId, password: `${OTHER_PASSWORD} ${i}` }));
    const codes = await Promise.all(guesses);
    expect(codes.filter((c) => c === 'INVALID_CREDENTIALS')).toHaveLength(3);
    expect(codes.filter((c) => c === 'THROTTLED')).toHaveLength(7);
  });

  it('unlock rotates the ID and keeps the data; on an unlocked session it reauthenticates and still rotates', async () => {
    const { sessionId } = await start();
    await dataSet(1, sessionId, 'draft', { text: 'hello' });
    await ok(1, 'auth:lock', { sessionId });
    const r = await ok<LoginResult>(1, 'auth:unlock', { sessionId, password: STRONG_PASSWORD });
    expect(r.sessionId).not.toBe(sessionId);
    expect(await code(1, 'prefs:get', { sessionId })).toBe('SESSION_INVALID');
    expect(await code(1, 'auth:unlock', { sessionId, password: STRONG_PASSWORD })).toBe('SESSION_INVALID');
    expect(await dataGet(1, r.sessionId, 'draft')).toEqual({ text: 'hello' });
    const again = await ok<LoginResult>(1, 'auth:unlock', { sessionId: r.sessionId, password: STRONG_PASSWORD });
    expect(again.sessionId).not.toBe(r.sessionId);
    expect(await code(1, 'prefs:get', { sessionId: r.sessionId })).toBe('SESSION_INVALID');
    expect(await dataGet(1, again.sessionId, 'draft')).toEqual({ text: 'hello' });
    expect(events('session:ended')).toEqual([]); // a rotation is not an end: the caller holds the new ID
  });

  it("lockAll('lock-all') locks every window's sessions once and answers how many it newly locked", async () => {
    const admin = (await start()).sessionId;
    await addUser(admin, 'bob');
    const ids: [number, string][] = [[1, admin], [2, (await login(2, 'bob')).sessionId], [3, (await login(3, 'admin', STRONG_PASSWORD)).sessionId]];
    expect(await H().core.lockAll('lock-all')).toBe(3);
    expect(reasons('session:locked')).toEqual(ids.map(([s, id]) => [s, id, 'lock-all']));
    for (const [s, sessionId] of ids) expect(await code(s, 'prefs:get', { sessionId })).toBe('SESSION_LOCKED');
    expect(await H().core.lockAll('lock-all')).toBe(0);
    expect(events('session:locked')).toHaveLength(3);
  });

  it("lockAll('suspend' / 'screen-lock') does nothing when the settings say so", async () => {
    const { sessionId } = await start({ lockOnSuspend: false, lockOnScreenLock: false });
    expect(await H().core.lockAll('suspend')).toBe(0);
    expect(await H().core.lockAll('screen-lock')).toBe(0);
    expect(events('session:locked')).toEqual([]);
    expect((await H().call(1, 'prefs:get', { sessionId })).ok).toBe(true);
    expect(await H().core.lockAll('lock-all')).toBe(1);
  });

  it("lockAll('suspend') locks with reason suspend by default", async () => {
    const { sessionId } = await start();
    expect(await H().core.lockAll('suspend')).toBe(1);
    expect(reasons('session:locked')).toEqual([[1, sessionId, 'suspend']]);
  });
});

describe('sudo mode', () => {
  it('needs a password entry within sudoModeMs; auth:reauthenticate renews it', async () => {
    const { sessionId } = await start();
    await addUser(sessionId, 'u1');
    H().time.advance(SUDO - 1);
    await addUser(sessionId, 'u2');
    H().time.advance(2);
    expect(await code(1, 'admin:users:create', { sessionId, username: 'u3', password: OTHER_PASSWORD })).toBe('REAUTH_REQUIRED');
    expect((await H().call(1, 'admin:users:list', { sessionId })).ok).toBe(true); // not a sudo channel
    expect(await code(1, 'auth:reauthenticate', { sessionId, password: OTHER_PASSWORD })).toBe('INVALID_CREDENTIALS');
    const r = await ok<{ sudoUntil: number }>(1, 'auth:reauthenticate', { sessionId, password: STRONG_PASSWORD });
    expect(r.sudoUntil).toBe(H().time.now() + SUDO);
    await addUser(sessionId, 'u3');
    const fresh = await login(2, 'admin', STRONG_PASSWORD);
    await addUser(fresh.sessionId, 'u4', {}, 2); // a password login grants sudo
  });

  it('never grants sudo to a remembered sign-in', async () => {
    await start();
    expect((await login(2, 'admin', STRONG_PASSWORD, { remember: true })).remembered).toBe(true);
    const r = await ok<LoginResult>(3, 'auth:login-remembered', { username: 'admin' });
    const sudo = LOGIN_CHANNELS.filter((c) => flag(c, 'sudo'));
    expect(sudo).toHaveLength(8);
    for (const c of sudo) expect([c, await code(3, c, { ...MINIMAL[c], sessionId: r.sessionId })]).toEqual([c, 'REAUTH_REQUIRED']);
    await ok(3, 'auth:reauthenticate', { sessionId: r.sessionId, password: STRONG_PASSWORD });
    await addUser(r.sessionId, 'u1', {}, 3);
  });
});

describe('mustChangePassword', () => {
  it('allows only change-password, logout, lock, unlock and activity; the lock check comes first', async () => {
    const admin = (await start()).sessionId;
    const created = await ok<AdminUser>(1, 'admin:users:create', { sessionId: admin, username: 'carol', password: OTHER_PASSWORD });
    expect(created.mustChangePassword).toBe(true);
    const c2 = await login(2, 'carol');
    expect(c2.user.mustChangePassword).toBe(true);
    const refused = LOGIN_CHANNELS.filter((c) => !flag(c, 'allowMustChange'));
    expect(refused).toEqual(expect.arrayContaining(['session:data:get', 'prefs:get']));
    for (const c of refused) expect([c, await code(2, c, { ...MINIMAL[c], sessionId: c2.sessionId })]).toEqual([c, 'PASSWORD_CHANGE_REQUIRED']);
    await ok(2, 'auth:activity', { sessionId: c2.sessionId });
    await ok(2, 'auth:lock', { sessionId: c2.sessionId });
    expect(await code(2, 'session:data:get', { sessionId: c2.sessionId, key: 'k' })).toBe('SESSION_LOCKED');
    const unlocked = await ok<LoginResult>(2, 'auth:unlock', { sessionId: c2.sessionId, password: OTHER_PASSWORD });
    expect(await code(2, 'prefs:get', { sessionId: unlocked.sessionId })).toBe('PASSWORD_CHANGE_REQUIRED');
    const c3 = await login(3, 'carol');
    expect(await ok(3, 'auth:logout', { sessionId: c3.sessionId })).toEqual({});
    const changed = await ok<LoginResult>(2, 'account:change-password', {
      sessionId: unlocked.sessionId, currentPassword: OTHER_PASSWORD, newPassword: THIRD_PASSWORD,
    });
    expect(changed.user.mustChangePassword).toBe(false);
    expect((await H().call(2, 'prefs:get', { sessionId: changed.sessionId })).ok).toBe(true);
  });
});

describe('password change, deactivation, deletion (standards #47, #48)', () => {
  it("ends the user's other sessions; the caller continues under a new ID with its data", async () => {
    const admin = (await start()).sessionId;
    await addUser(admin, 'alice');
    const [a2, a3] = [await login(2, 'alice'), await login(3, 'alice')];
    await dataSet(2, a2.sessionId, 'cart', [1, 2]);
    const change = { sessionId: a2.sessionId, currentPassword: STRONG_PASSWORD, newPassword: THIRD_PASSWORD };
    expect(await code(2, 'account:change-password', change)).toBe('INVALID_CREDENTIALS');
    expect(events('session:ended')).toEqual([]);
    const r = await ok<LoginResult>(2, 'account:change-password', { ...change, currentPassword: OTHER_PASSWORD });
    expect(reasons()).toEqual([[3, a3.sessionId, 'password-changed']]);
    for (const [s, sessionId] of [[3, a3.sessionId], [2, a2.sessionId]] as const) {
      expect(await code(s, 'prefs:get', { sessionId })).toBe('SESSION_INVALID');
    }
    expect(await dataGet(2, r.sessionId, 'cart')).toEqual([1, 2]);
    expect((await H().call(1, 'prefs:get', { sessionId: admin })).ok).toBe(true); // other users untouched
    expect(await code(4, 'auth:login', { username: 'alice', password: OTHER_PASSWORD })).toBe('INVALID_CREDENTIALS');
    await login(4, 'alice', THIRD_PASSWORD);
  });

  it("admin set-password ends all of the user's sessions", async () => {
    const admin = (await start()).sessionId;
    const alice = await addUser(admin, 'alice');
    const [a2, a3] = [await login(2, 'alice'), await login(3, 'alice')];
    await ok(1, 'admin:users:set-password', { sessionId: admin, userId: alice.id, password: THIRD_PASSWORD });
    expect(reasons()).toEqual([[2, a2.sessionId, 'password-changed'], [3, a3.sessionId, 'password-changed']]);
    expect(await code(2, 'prefs:get', { sessionId: a2.sessionId })).toBe('SESSION_INVALID');
    expect((await login(2, 'alice', THIRD_PASSWORD)).user.mustChangePassword).toBe(true);
  });

  it("deactivation and deletion end the user's sessions at once", async () => {
    const admin = (await start()).sessionId;
    const [alice, bob] = [await addUser(admin, 'alice'), await addUser(admin, 'bob')];
    const [a2, a3, b2] = [await login(2, 'alice'), await login(3, 'alice'), await login(2, 'bob')];
    await ok(1, 'admin:users:update', { sessionId: admin, userId: alice.id, isActive: false });
    expect(reasons()).toEqual([[2, a2.sessionId, 'deactivated'], [3, a3.sessionId, 'deactivated']]);
    expect(await code(3, 'prefs:get', { sessionId: a3.sessionId })).toBe('SESSION_INVALID');
    expect(await code(3, 'auth:login', { username: 'alice', password: OTHER_PASSWORD })).toBe('ACCOUNT_DISABLED');
    await ok(1, 'admin:users:delete', { sessionId: admin, userId: bob.id });
    expect(reasons().slice(2)).toEqual([[2, b2.sessionId, 'deleted']]);
    expect(await code(2, 'prefs:get', { sessionId: b2.sessionId })).toBe('SESSION_INVALID');
    expect(await code(2, 'auth:login', { username: 'bob', password: OTHER_PASSWORD })).toBe('INVALID_CREDENTIALS');
  });
});

describe('permissions', () => {
  it('denies the very next call after a permission is revoked, directly or through a group (standards #57)', async () => {
    const admin = (await start()).sessionId;
    const viewer = await addUser(admin, 'viewer', { permissions: ['auth.view_user'] });
    const v = (await login(2, 'viewer')).sessionId;
    expect((await H().call(2, 'admin:users:list', { sessionId: v })).ok).toBe(true);
    await ok(1, 'admin:users:update', { sessionId: admin, userId: viewer.id, permissions: [] });
    expect(await code(2, 'admin:users:list', { sessionId: v })).toBe('PERMISSION_DENIED');
    const group = await ok<{ id: number }>(1, 'admin:groups:create', { sessionId: admin, name: 'viewers', permissions: ['auth.view_user'] });
    await ok(1, 'admin:users:update', { sessionId: admin, userId: viewer.id, groups: ['viewers'] });
    expect((await H().call(2, 'admin:users:list', { sessionId: v })).ok).toBe(true);
    await ok(1, 'admin:groups:update', { sessionId: admin, groupId: group.id, permissions: [] });
    expect(await code(2, 'admin:users:list', { sessionId: v })).toBe('PERMISSION_DENIED');
  });

  it('refuses to delete, deactivate or demote the last active superuser', async () => {
    const setup = await start();
    const [admin, id] = [setup.sessionId, setup.user.id];
    await addUser(admin, 'ghost', { isSuperuser: true, isActive: false });
    for (const [c, extra] of [['admin:users:delete', {}], ['admin:users:update', { isActive: false }], ['admin:users:update', { isSuperuser: false }]] as const) {
      expect(await code(1, c, { sessionId: admin, userId: id, ...extra })).toBe('CONFLICT');
    }
    expect(reasons()).toEqual([]);
    const me = await ok<{ user: { isSuperuser: boolean } }>(1, 'auth:session', { sessionId: admin });
    expect(me.user.isSuperuser).toBe(true);
    const bob = await addUser(admin, 'bob', { isSuperuser: true });
    await ok(1, 'admin:users:update', { sessionId: admin, userId: id, isSuperuser: false });
    expect(await code(1, 'admin:users:list', { sessionId: admin })).toBe('PERMISSION_DENIED');
    expect(bob.isSuperuser).toBe(true);
  });
});

describe('listing and revoking sessions (standards #49, #54)', () => {
  it("account:sessions lists the caller's own sessions, current=true on the caller", async () => {
    const admin = (await start()).sessionId;
    await addUser(admin, 'alice');
    const [a2, a3] = [await login(2, 'alice'), await login(3, 'alice')];
    const list = await ok<{ items: SessionInfo[]; total: number }>(2, 'account:sessions', { sessionId: a2.sessionId });
    expect(list.total).toBe(2);
    expect(list.items.map((s) => [s.handle, s.current])).toEqual([[a2.session.handle, true], [a3.session.handle, false]]);
    expect(JSON.stringify(list)).not.toContain(a2.sessionId);
    expect(JSON.stringify(list)).not.toContain(a3.sessionId);
  });

  it("account:revoke-session ends only the caller's own sessions; another user's handle is NOT_FOUND", async () => {
    const setup = await start();
    await addUser(setup.sessionId, 'alice');
    const [a2, a3] = [await login(2, 'alice'), await login(3, 'alice')];
    const revoke = (handle: string) => H().call(2, 'account:revoke-session', { sessionId: a2.sessionId, handle });
    expect(await revoke(setup.session.handle)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await revoke('ffffffffffffffff')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect((await H().call(1, 'prefs:get', { sessionId: setup.sessionId })).ok).toBe(true);
    expect(await revoke(a3.session.handle)).toEqual({ ok: true, data: {} });
    expect(reasons()).toEqual([[3, a3.sessionId, 'revoked']]);
    expect(await code(3, 'prefs:get', { sessionId: a3.sessionId })).toBe('SESSION_INVALID');
    expect((await H().call(2, 'prefs:get', { sessionId: a2.sessionId })).ok).toBe(true);
  });

  it('admin:sessions:revoke ends any session with reason revoked', async () => {
    const admin = (await start()).sessionId;
    await addUser(admin, 'alice');
    const a2 = await login(2, 'alice');
    expect(await code(1, 'admin:sessions:revoke', { sessionId: admin, handle: 'ffffffffffffffff' })).toBe('NOT_FOUND');
    expect(await ok(1, 'admin:sessions:revoke', { sessionId: admin, handle: a2.session.handle })).toEqual({});
    expect(reasons()).toEqual([[2, a2.sessionId, 'revoked']]);
    expect(await code(2, 'prefs:get', { sessionId: a2.sessionId })).toBe('SESSION_INVALID');
  });
});

describe('session data (Django request.session)', () => {
  it('gets null for a missing key, round-trips, deletes and clears', async () => {
    const { sessionId } = await start();
    expect(await dataGet(1, sessionId, 'missing')).toBeNull();
    const value = { a: 1, b: [true, null, 'x'], c: { d: 'é' } };
    await dataSet(1, sessionId, 'obj', value);
    await dataSet(1, sessionId, 'n', 0);
    expect(await dataGet(1, sessionId, 'obj')).toEqual(value);
    expect(await dataGet(1, sessionId, 'n')).toBe(0);
    expect(await ok(1, 'session:data:delete', { sessionId, key: 'obj' })).toEqual({});
    expect(await ok(1, 'session:data:delete', { sessionId, key: 'never-set' })).toEqual({});
    expect(await dataGet(1, sessionId, 'obj')).toBeNull();
    expect(await ok(1, 'session:data:clear', { sessionId })).toEqual({});
    expect(await dataGet(1, sessionId, 'n')).toBeNull();
  });

  it('refuses a write past 64 KiB (PAYLOAD_TOO_LARGE, nothing changed) and a key past 128 characters', async () => {
    const { sessionId } = await start();
    const big = 'x'.repeat(40_000);
    await dataSet(1, sessionId, 'a', big);
    expect(await code(1, 'session:data:set', { sessionId, key: 'b', value: big })).toBe('PAYLOAD_TOO_LARGE');
    expect(await code(1, 'session:data:set', { sessionId, key: 'a', value: 'y'.repeat(64 * 1024) })).toBe('PAYLOAD_TOO_LARGE');
    expect(await dataGet(1, sessionId, 'b')).toBeNull();
    expect(await dataGet(1, sessionId, 'a')).toBe(big);
    const db = new Database(join(H().dataDir, 'accounts.db'), { readonly: true });
    const hash = createHash('sha256').update(sessionId).digest('hex');
    expect(JSON.parse(db.prepare('SELECT data FROM sessions WHERE hash = unhex(?)').pluck().get(hash) as string)).toEqual({ a: big });
    db.close();
    const e = await fail(1, 'session:data:set', { sessionId, key: 'k'.repeat(129), value: 1 });
    expect([e.code, Object.keys(e.fields ?? {})]).toEqual(['VALIDATION_ERROR', ['key']]);
    await dataSet(1, sessionId, 'k'.repeat(128), 1);
    expect(await dataGet(1, sessionId, 'k'.repeat(128))).toBe(1);
  });

  it('is lost when the session ends: a new login starts empty', async () => {
    const { sessionId } = await start();
    await dataSet(1, sessionId, 'k', 'v');
    const replaced = await login(1, 'admin', STRONG_PASSWORD);
    expect(await dataGet(1, replaced.sessionId, 'k')).toBeNull();
    await dataSet(1, replaced.sessionId, 'k', 'v');
    await ok(1, 'auth:logout', { sessionId: replaced.sessionId });
    expect(await dataGet(1, (await login(1, 'admin', STRONG_PASSWORD)).sessionId, 'k')).toBeNull();
  });

  it('stores __proto__ as a plain key and pollutes nothing', async () => {
    const { sessionId } = await start();
    for (const key of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) expect(await dataGet(1, sessionId, key)).toBeNull();
    await dataSet(1, sessionId, '__proto__', { polluted: true });
    await dataSet(1, sessionId, 'constructor', 'c');
    expect(await dataGet(1, sessionId, '__proto__')).toEqual({ polluted: true });
    expect(await dataGet(1, sessionId, 'polluted')).toBeNull();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await ok(1, 'auth:lock', { sessionId });
    const r = await ok<LoginResult>(1, 'auth:unlock', { sessionId, password: STRONG_PASSWORD });
    expect(await dataGet(1, r.sessionId, '__proto__')).toEqual({ polluted: true });
    expect(await dataGet(1, r.sessionId, 'constructor')).toBe('c');
    await ok(1, 'session:data:delete', { sessionId: r.sessionId, key: '__proto__' });
    expect(await dataGet(1, r.sessionId, '__proto__')).toBeNull();
  });
});

describe('no session ID at rest (standards #34)', () => {
  it('keeps only hashes in accounts.db, its WAL and the audit table, across logins, rotations and ends', async () => {
    const admin = await start();
    await addUser(admin.sessionId, 'alice');
    for (let s = 2; s <= 11; s++) {
      const a = await login(s, 'alice');
      await dataSet(s, a.sessionId, 'note', `window ${s}`);
      await ok(s, 'auth:lock', { sessionId: a.sessionId });
      const u = await ok<LoginResult>(s, 'auth:unlock', { sessionId: a.sessionId, password: OTHER_PASSWORD });
      if (s % 2 === 0) await ok(s, 'auth:logout', { sessionId: u.sessionId });
    }
    await ok(2, 'account:change-password', {
      sessionId: (await login(2, 'alice')).sessionId, currentPassword: OTHER_PASSWORD, newPassword: THIRD_PASSWORD,
    });
    H().time.advance(16 * 60_000); // the rest idle out through the sweeper
    expect(issued.length).toBeGreaterThanOrEqual(23);
    expect(existsSync(join(H().dataDir, 'accounts.db-wal'))).toBe(true);
    // The grep can see what is stored: the current admin session's hash is there, its ID is not.
    const live = await login(1, 'admin', STRONG_PASSWORD);
    const files = Buffer.concat(['accounts.db', 'accounts.db-wal'].map((f) => readFileSync(join(H().dataDir, f))));
    expect(files.includes(createHash('sha256').update(live.sessionId).digest())).toBe(true);
    expect(idsAtRest()).toEqual([]);
  });
});
