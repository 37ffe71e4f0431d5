import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelName } from '../../../../shared/contract';
import type { LoginResult } from '../../../../shared/dto';
import { CHANNEL_ACCESS } from '../../../../electron/core/router/channel-access';
import { OTHER_PASSWORD, STRONG_PASSWORD, makeHarness, setupAdmin, type Harness } from '../../../support/core-harness';

/**
 * Who a session belongs to (DESIGN "Sessions", "The IPC contract"; standards #31,
 * #33, #37, #53): one sender, one user, one session per profile per window, never
 * past its window or the run.
 */

let h: Harness;
afterEach(async () => {
  await h?.cleanup();
});

async function start(settings: Record<string, unknown> = {}): Promise<string> {
  h = await makeHarness({ settings });
  return setupAdmin(h);
}

async function addUser(admin: string, username: string): Promise<void> {
  await h.ok(1, 'admin:users:create', { sessionId: admin, username, password: OTHER_PASSWORD, mustChangePassword: false });
}

const login = (sender: number, username: string, password = OTHER_PASSWORD) =>
  h.ok<LoginResult>(sender, 'auth:login', { username, password });

const ended = () => h.events.filter((e) => e.event === 'session:ended');

function openDb(): Database.Database {
  return new Database(join(h.dataDir, 'accounts.db'), { readonly: true, fileMustExist: true });
}

/** Every channel that needs a session, from the access table itself (default deny). */
const LOGIN_CHANNELS = (Object.keys(CHANNEL_ACCESS) as ChannelName[]).filter((c) => CHANNEL_ACCESS[c].kind !== 'public');

/** A payload that passes each login channel's schema, without its sessionId. */
const MINIMAL: Record<string, Record<string, unknown>> = {
  'auth:logout': {},
  'auth:activity': {},
  'auth:lock': {},
  'auth:unlock': { password: 'x' },
  'auth:reauthenticate': { password: 'x' },
  'profiles:activate': {},
  'session:data:get': { key: 'k' },
  'session:data:set': { key: 'k', value: 1 },
  'session:data:delete': { key: 'k' },
  'session:data:clear': {},
  'account:update': { displayName: 'Mallory' },
  'account:change-password': { currentPassword: 'x', newPassword: 'y' },
  'account:sessions': {},
  'account:revoke-session': { handle: '0123456789abcdef' },
  'prefs:get': {},
  'prefs:set': { theme: 'dark' },
  'admin:users:list': {},
  'admin:users:create': { username: 'mallory', password: 'x' },
  'admin:users:update': { userId: 1, isActive: false },
  'admin:users:set-password': { userId: 1, password: 'x' },
  'admin:users:delete': { userId: 1 },
  'admin:groups:list': {},
  'admin:permissions:list': {},
  'admin:groups:create': { name: 'g', permissions: [] },
  'admin:groups:update': { groupId: 1 },
  'admin:groups:delete': { groupId: 1 },
  'admin:sessions:list': {},
  'admin:sessions:revoke': { handle: '0123456789abcdef' },
  'admin:audit:list': {},
};

describe('sender binding (standards #37)', () => {
  it('refuses a valid ID presented by another window, and keeps it valid for its own', async () => {
    const admin = await start();
    expect(await h.errorCode(2, 'prefs:get', { sessionId: admin })).toBe('SESSION_INVALID');
    expect(await h.errorCode(2, 'auth:logout', { sessionId: admin })).toBe('SESSION_INVALID');
    expect(await h.ok(2, 'auth:session', { sessionId: admin })).toEqual({ user: null, session: null });
    expect((await h.call(1, 'prefs:get', { sessionId: admin })).ok).toBe(true);
    expect(h.events).toEqual([]);
  });
});

describe('forged, unknown and empty IDs (standards #31)', () => {
  it('covers every login channel with a payload', () => {
    expect(LOGIN_CHANNELS.length).toBeGreaterThan(20);
    expect(LOGIN_CHANNELS.filter((c) => !(c in MINIMAL))).toEqual([]);
  });

  it('answers NOT_AUTHENTICATED without an ID and SESSION_INVALID for one it did not issue, on every login channel', async () => {
    const admin = await start();
    const forged = [
      randomBytes(32).toString('base64url'), // the right shape, never issued
      createHash('sha256').update(admin).digest('hex'), // what is stored at rest is not a key
      admin.slice(0, 42),
      `${admin}x`,
      'not-a-session',
    ];
    for (const channel of LOGIN_CHANNELS) {
      const base = MINIMAL[channel];
      expect([channel, await h.errorCode(1, channel, base)]).toEqual([channel, 'NOT_AUTHENTICATED']);
      expect([channel, await h.errorCode(1, channel, { ...base, sessionId: '' })]).toEqual([channel, 'NOT_AUTHENTICATED']);
      for (const sessionId of forged) {
        expect([channel, await h.errorCode(1, channel, { ...base, sessionId })]).toEqual([channel, 'SESSION_INVALID']);
      }
    }
    // Nothing happened: one user, the real session untouched, no event.
    const users = await h.ok<{ total: number }>(1, 'admin:users:list', { sessionId: admin });
    expect(users.total).toBe(1);
    expect(h.core.profilesOf(1)).toHaveLength(1);
    expect(h.events).toEqual([]);
  });
});

describe('profiles per window', () => {
  it('refuses a profile past maxProfilesPerWindow; another window is independent', async () => {
    const admin = await start({ maxProfilesPerWindow: 2 });
    await addUser(admin, 'bob');
    await addUser(admin, 'carol');
    await login(1, 'bob');
    expect(await h.errorCode(1, 'auth:login', { username: 'carol', password: OTHER_PASSWORD })).toBe('TOO_MANY_PROFILES');
    await login(2, 'carol');
    await login(2, 'bob');
    // A profile the window already holds is a replacement, not one more.
    await login(1, 'bob');
    expect(h.core.profilesOf(1).map((p) => p.username)).toEqual(['admin', 'bob']);
    expect(h.core.profilesOf(2).map((p) => p.username)).toEqual(['carol', 'bob']);
    await h.ok(1, 'auth:logout', { sessionId: (await login(1, 'bob')).sessionId });
    await login(1, 'carol');
    expect(h.core.profilesOf(1).map((p) => p.username)).toEqual(['admin', 'carol']);
  });

  it('replaces the old session when the same profile signs in again in the window (standards #53)', async () => {
    const admin = await start();
    const elsewhere = await login(2, 'admin', STRONG_PASSWORD);
    const mine = await h.ok<{ items: { handle: string; current: boolean }[] }>(1, 'account:sessions', { sessionId: admin });
    const oldHandle = mine.items.find((s) => s.current)?.handle;
    const again = await login(1, 'admin', STRONG_PASSWORD);
    expect(again.sessionId).not.toBe(admin);
    expect(await h.errorCode(1, 'prefs:get', { sessionId: admin })).toBe('SESSION_INVALID');
    expect((await h.call(1, 'prefs:get', { sessionId: again.sessionId })).ok).toBe(true);
    expect(ended()).toEqual([
      { senderId: 1, event: 'session:ended', payload: { sessionId: admin, handle: oldHandle, reason: 'replaced' } },
    ]);
    expect(h.core.profilesOf(1).map((p) => p.handle)).toEqual([again.session.handle]);
    // The same profile in another window is a separate session, untouched.
    expect((await h.call(2, 'prefs:get', { sessionId: elsewhere.sessionId })).ok).toBe(true);
  });
});

describe('senderClosed', () => {
  it("ends that window's sessions silently, audits window-closed, and leaves other windows alone", async () => {
    const admin = await start();
    await addUser(admin, 'bob');
    const bob = (await login(1, 'bob')).sessionId;
    const other = (await login(2, 'admin', STRONG_PASSWORD)).sessionId;
    await h.core.senderClosed(1);
    expect(h.events).toEqual([]);
    expect(h.core.profilesOf(1)).toEqual([]);
    for (const sessionId of [admin, bob]) {
      expect(await h.errorCode(1, 'prefs:get', { sessionId })).toBe('SESSION_INVALID');
    }
    expect((await h.call(2, 'prefs:get', { sessionId: other })).ok).toBe(true);
    const db = openDb();
    try {
      const reasons = db
        .prepare<[], string>("SELECT detail FROM audit_events WHERE type = 'session.ended' ORDER BY id")
        .pluck()
        .all()
        .map((d) => (JSON.parse(d) as { reason: string }).reason);
      expect(reasons).toEqual(['window-closed', 'window-closed']);
      expect(db.prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(1);
    } finally {
      db.close();
    }
    await h.core.senderClosed(1); // a second close (reload, then crash) is harmless
    expect(h.core.profilesOf(2)).toHaveLength(1);
  });
});

describe('profilesOf', () => {
  it('lists the window’s profiles in login order with their locked flags', async () => {
    const admin = await start();
    await addUser(admin, 'bob');
    await h.ok(1, 'admin:users:create', {
      sessionId: admin, username: 'carol', password: OTHER_PASSWORD, displayName: 'Carol C', mustChangePassword: false,
    });
    const bob = await login(1, 'bob');
    const carol = await login(1, 'carol');
    await login(2, 'bob');
    await h.ok(1, 'auth:lock', { sessionId: bob.sessionId });
    const profiles = h.core.profilesOf(1);
    expect(profiles.map((p) => [p.username, p.locked])).toEqual([['admin', false], ['bob', true], ['carol', false]]);
    expect(profiles[1]?.handle).toBe(bob.session.handle);
    expect(profiles[2]).toEqual({
      handle: carol.session.handle, username: 'carol', displayName: 'Carol C', avatarColor: carol.user.avatarColor, locked: false,
    });
    // Unlock rotates the ID but keeps the profile's place.
    const unlocked = await h.ok<LoginResult>(1, 'auth:unlock', { sessionId: bob.sessionId, password: OTHER_PASSWORD });
    expect(h.core.profilesOf(1).map((p) => [p.handle, p.locked])).toEqual([
      [profiles[0]?.handle, false], [unlocked.session.handle, false], [carol.session.handle, false],
    ]);
    // Signing a profile in again is a new login: it moves to the end.
    await login(1, 'admin', STRONG_PASSWORD);
    expect(h.core.profilesOf(1).map((p) => p.username)).toEqual(['bob', 'carol', 'admin']);
    expect(h.core.profilesOf(2).map((p) => p.username)).toEqual(['bob']);
    expect(h.core.profilesOf(3)).toEqual([]);
  });
});

describe('restart (standards #33)', () => {
  it('refuses every old ID, leaves no session rows and emits no event', async () => {
    const admin = await start();
    await addUser(admin, 'bob');
    const bobIn2 = (await login(2, 'bob')).sessionId;
    const ids: [number, string][] = [[1, admin], [1, (await login(1, 'bob')).sessionId], [2, bobIn2]];
    await h.ok(2, 'auth:lock', { sessionId: bobIn2 });
    const db = openDb();
    try {
      expect(db.prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(3);
      const before = h.events.length;
      await h.restart();
      expect(db.prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(0);
      for (const [sender, sessionId] of ids) {
        expect(await h.errorCode(sender, 'prefs:get', { sessionId })).toBe('SESSION_INVALID');
        expect(await h.errorCode(sender, 'auth:unlock', { sessionId, password: OTHER_PASSWORD })).toBe('SESSION_INVALID');
        expect(await h.ok(sender, 'auth:session', { sessionId })).toEqual({ user: null, session: null });
      }
      h.time.advance(60_000);
      expect(h.events.length).toBe(before);
      expect(h.core.profilesOf(1)).toEqual([]);
      expect(h.core.profilesOf(2)).toEqual([]);
      const audit = db
        .prepare<[], string>("SELECT detail FROM audit_events WHERE type = 'session.ended'")
        .pluck()
        .all()
        .map((d) => JSON.parse(d) as { reason: string; count?: number });
      expect(audit).toContainEqual({ reason: 'restart', count: 3 });
    } finally {
      db.close();
    }
    // Signing in again after the restart works as usual.
    expect((await login(1, 'admin', STRONG_PASSWORD)).sessionId).not.toBe(admin);
  });
});
