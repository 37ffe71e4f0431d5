import { join } from 'node:path';
import Database from 'better-sqlite3';
import bcrypt from 'bcrypt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_PAYLOAD_BYTES, channels, type ChannelName, type RequestOf } from '../../../../shared/contract';
import type { Reply } from '../../../../shared/errors';
import { CHANNEL_ACCESS } from '../../../../electron/core/router/channel-access';
import type { AuthBackend } from '../../../../electron/core/index';
import type { Logger } from '../../../../electron/core/log';
import { makeHarness, OTHER_PASSWORD, setupAdmin, STRONG_PASSWORD, type Harness } from '../../../support/core-harness';

/*
 * The IPC middleware, driven through createCore's dispatch only: channel, size,
 * schema, NOT_AUTHENTICATED, SESSION_INVALID, SESSION_LOCKED,
 * PASSWORD_CHANGE_REQUIRED, PERMISSION_DENIED, REAUTH_REQUIRED, handler
 * (DESIGN "The IPC contract"; standards #18, #31, #65; Django F.62-63).
 */

const SUDO_MS = 300_000;
/** Shaped like a real session ID (43 base64url characters) but never issued. */
const FORGED_ID = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

type Sample = { [C in ChannelName]: Omit<RequestOf<C>, 'sessionId'> };

/** A schema-valid payload (minus the session) for every channel: a missing entry does not compile. */
const SAMPLE: Sample = {
  'app:info': {},
  'setup:create-admin': { username: 'admin', password: STRONG_PASSWORD },
  'auth:login': { username: 'nobody', password: 'not the password at all' },
  'auth:login-remembered': { username: 'nobody' },
  'auth:logout': {},
  'auth:session': {},
  'auth:activity': {},
  'auth:lock': {},
  'auth:unlock': { password: 'not the password at all' },
  'auth:reauthenticate': { password: 'not the password at all' },
  'profiles:list': {},
  'profiles:forget': { username: 'nobody' },
  'profiles:activate': {},
  'password:check': { password: 'x' },
  'session:data:get': { key: 'k' },
  'session:data:set': { key: 'k', value: 1 },
  'session:data:delete': { key: 'k' },
  'session:data:clear': {},
  'account:update': { displayName: 'Mallory' },
  'account:change-password': { currentPassword: 'a', newPassword: OTHER_PASSWORD },
  'account:sessions': {},
  'account:revoke-session': { handle: '0123456789abcdef' },
  'prefs:get': {},
  'prefs:set': { theme: 'dark' },
  'admin:users:list': {},
  'admin:users:create': { username: 'mallory', password: OTHER_PASSWORD },
  'admin:users:update': { userId: 1, isSuperuser: true },
  'admin:users:set-password': { userId: 1, password: OTHER_PASSWORD },
  'admin:users:delete': { userId: 1 },
  'admin:groups:list': {},
  'admin:permissions:list': {},
  'admin:groups:create': { name: 'mallories', permissions: ['auth.add_user'] },
  'admin:groups:update': { groupId: 1, name: 'x' },
  'admin:groups:delete': { groupId: 1 },
  'admin:sessions:list': {},
  'admin:sessions:revoke': { handle: '0123456789abcdef' },
  'admin:audit:list': {},
};

const ALL = Object.keys(channels) as ChannelName[];
const PUBLIC = ['app:info', 'setup:create-admin', 'auth:login', 'auth:login-remembered', 'auth:session', 'profiles:list', 'profiles:forget', 'password:check'];
const NON_PUBLIC = ALL.filter((c) => CHANNEL_ACCESS[c].kind !== 'public');

const errorOf = (r: Reply) => {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.data)}`);
  return r.error;
};

let h: Harness;
afterEach(async () => {
  await h?.cleanup();
});

/** Admin on sender 1, plus `username` created by the admin and signed in on `sender`. */
async function withUser(
  username: string,
  sender: number,
  extra: Record<string, unknown> = {},
): Promise<{ admin: string; user: string; userId: number }> {
  const admin = await setupAdmin(h);
  const created = await h.ok<{ id: number }>(1, 'admin:users:create', {
    sessionId: admin, username, password: OTHER_PASSWORD, mustChangePassword: false, ...extra,
  });
  const login = await h.ok<{ sessionId: string }>(sender, 'auth:login', { username, password: OTHER_PASSWORD });
  return { admin, user: login.sessionId, userId: created.id };
}

describe('router: channels', () => {
  it('answers NOT_FOUND for unknown channels, inherited names included', async () => {
    h = await makeHarness();
    for (const name of ['nope', '', 'admin:users', 'APP:INFO', '__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(errorOf(await h.call(1, name, {})).code, name).toBe('NOT_FOUND');
    }
    expect(errorOf(await h.core.dispatch(1, 42 as never, {})).code).toBe('NOT_FOUND');
  });

  it('default deny: every contract channel has an access entry and a handler, and nothing else has', async () => {
    h = await makeHarness();
    expect(Object.keys(CHANNEL_ACCESS).sort()).toEqual([...ALL].sort());
    expect(ALL.filter((c) => CHANNEL_ACCESS[c].kind === 'public').sort()).toEqual([...PUBLIC].sort());
    for (const c of ALL) {
      const r = await h.call(1, c, SAMPLE[c]);
      if (!r.ok) expect(r.error.code, c).not.toBe('NOT_FOUND');
    }
  });

  it('no login channel answers without a valid session of this window (standards #31)', async () => {
    h = await makeHarness();
    const { admin } = await withUser('bob', 2);
    for (const c of NON_PUBLIC) {
      expect(errorOf(await h.call(1, c, SAMPLE[c])).code, `${c} without sessionId`).toBe('NOT_AUTHENTICATED');
      expect(errorOf(await h.call(1, c, { ...SAMPLE[c], sessionId: '' })).code, `${c} empty`).toBe('NOT_AUTHENTICATED');
      expect(errorOf(await h.call(1, c, { ...SAMPLE[c], sessionId: FORGED_ID })).code, `${c} forged`).toBe('SESSION_INVALID');
      // The admin's real ID replayed from another window.
      expect(errorOf(await h.call(3, c, { ...SAMPLE[c], sessionId: admin })).code, `${c} foreign`).toBe('SESSION_INVALID');
    }
    // The replays ended nothing: the admin is still signed in.
    expect(await h.ok(1, 'auth:activity', { sessionId: admin })).toHaveProperty('idleExpiresAt');
  });

  it('every permission-guarded channel answers PERMISSION_DENIED to a user without it', async () => {
    h = await makeHarness();
    const { user } = await withUser('bob', 2);
    const guarded = ALL.filter((c) => {
      const a = CHANNEL_ACCESS[c];
      return a.kind === 'session' && a.permissions !== undefined;
    });
    expect(guarded.length).toBe(ALL.filter((c) => c.startsWith('admin:')).length);
    for (const c of guarded) {
      expect(errorOf(await h.call(2, c, { ...SAMPLE[c], sessionId: user })).code, c).toBe('PERMISSION_DENIED');
    }
  });
});

describe('router: middleware order', () => {
  it('size before schema: a 70 KB payload with wrong types is PAYLOAD_TOO_LARGE', async () => {
    h = await makeHarness();
    const junk = 'y'.repeat(70 * 1024);
    expect(errorOf(await h.call(1, 'auth:login', { username: 5, password: junk })).code).toBe('PAYLOAD_TOO_LARGE');
    expect(errorOf(await h.call(1, 'admin:users:list', { sessionId: 42, limit: 'x', junk })).code).toBe('PAYLOAD_TOO_LARGE');
    // Measured as UTF-8: 33 000 "é" are 66 000 bytes in 33 000 UTF-16 units.
    expect(errorOf(await h.call(1, 'auth:login', { username: 'a', password: 'é'.repeat(33_000) })).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('the size limit is 64 KiB of JSON: just under passes on to the schema', async () => {
    h = await makeHarness();
    const admin = await setupAdmin(h);
    const under = 'v'.repeat(MAX_PAYLOAD_BYTES - 1024);
    expect((await h.call(1, 'session:data:set', { sessionId: admin, key: 'big', value: under })).ok).toBe(true);
    expect(await h.ok(1, 'session:data:get', { sessionId: admin, key: 'big' })).toBe(under);
    const over = 'v'.repeat(MAX_PAYLOAD_BYTES + 1);
    expect(errorOf(await h.call(1, 'session:data:set', { sessionId: admin, key: 'big', value: over })).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('schema before session: wrong types without a sessionId are VALIDATION_ERROR naming the field', async () => {
    h = await makeHarness();
    const e = errorOf(await h.call(1, 'admin:users:list', { limit: 'SECRET-INPUT-ten' }));
    expect(e.code).toBe('VALIDATION_ERROR');
    expect(Object.keys(e.fields ?? {})).toEqual(['limit']);
    // The field message describes the problem without echoing the input back.
    expect(JSON.stringify(e)).not.toContain('SECRET-INPUT');
    const unknownKey = errorOf(await h.call(1, 'admin:users:list', { bogus: 1 }));
    expect(unknownKey.code).toBe('VALIDATION_ERROR');
    expect(unknownKey.fields).toHaveProperty('bogus');
    const badSid = errorOf(await h.call(1, 'auth:activity', { sessionId: 42 }));
    expect(badSid.code).toBe('VALIDATION_ERROR');
    expect(badSid.fields).toHaveProperty('sessionId');
    const notObject = errorOf(await h.call(1, 'auth:activity', 'sessionId'));
    expect(notObject.code).toBe('VALIDATION_ERROR');
  });

  it('NOT_AUTHENTICATED before SESSION_INVALID, SESSION_INVALID before SESSION_LOCKED', async () => {
    h = await makeHarness();
    const { user } = await withUser('bob', 2);
    expect(await h.errorCode(2, 'account:sessions', {})).toBe('NOT_AUTHENTICATED');
    await h.ok(2, 'auth:lock', { sessionId: user });
    expect(await h.errorCode(2, 'account:sessions', { sessionId: user })).toBe('SESSION_LOCKED');
    // The same locked session from another window: foreign first.
    expect(await h.errorCode(5, 'account:sessions', { sessionId: user })).toBe('SESSION_INVALID');
    await h.ok(2, 'auth:logout', { sessionId: user });
    expect(await h.errorCode(2, 'auth:logout', { sessionId: user })).toBe('SESSION_INVALID');
  });

  it('SESSION_LOCKED before PASSWORD_CHANGE_REQUIRED before PERMISSION_DENIED', async () => {
    h = await makeHarness();
    const { user } = await withUser('bob', 2, { mustChangePassword: true });
    expect(await h.errorCode(2, 'account:sessions', { sessionId: user })).toBe('PASSWORD_CHANGE_REQUIRED');
    expect(await h.errorCode(2, 'admin:users:list', { sessionId: user })).toBe('PASSWORD_CHANGE_REQUIRED');
    // Answered while mustChangePassword is set (DESIGN "Authentication").
    expect(await h.ok(2, 'auth:activity', { sessionId: user })).toHaveProperty('idleExpiresAt');
    await h.ok(2, 'auth:lock', { sessionId: user });
    // The lock check comes first.
    expect(await h.errorCode(2, 'account:sessions', { sessionId: user })).toBe('SESSION_LOCKED');
    expect(await h.errorCode(2, 'admin:users:list', { sessionId: user })).toBe('SESSION_LOCKED');
    expect(await h.errorCode(2, 'account:change-password', {
      sessionId: user, currentPassword: OTHER_PASSWORD, newPassword: 'a fresh passphrase nobody knows',
    })).toBe('SESSION_LOCKED');
    const unlocked = await h.ok<{ sessionId: string }>(2, 'auth:unlock', { sessionId: user, password: OTHER_PASSWORD });
    expect(await h.errorCode(2, 'admin:users:list', { sessionId: unlocked.sessionId })).toBe('PASSWORD_CHANGE_REQUIRED');
    const changed = await h.ok<{ sessionId: string }>(2, 'account:change-password', {
      sessionId: unlocked.sessionId, currentPassword: OTHER_PASSWORD, newPassword: 'a fresh passphrase nobody knows',
    });
    expect(await h.errorCode(2, 'admin:users:list', { sessionId: changed.sessionId })).toBe('PERMISSION_DENIED');
    expect((await h.call(2, 'account:sessions', { sessionId: changed.sessionId })).ok).toBe(true);
  });

  it('PERMISSION_DENIED before REAUTH_REQUIRED; REAUTH_REQUIRED once sudo mode has lapsed', async () => {
    h = await makeHarness();
    const { admin, user } = await withUser('bob', 2);
    h.time.jump(SUDO_MS);
    expect(await h.errorCode(2, 'admin:users:create', { sessionId: user, username: 'eve', password: OTHER_PASSWORD })).toBe('PERMISSION_DENIED');
    expect(await h.errorCode(1, 'admin:users:create', { sessionId: admin, username: 'eve', password: OTHER_PASSWORD })).toBe('REAUTH_REQUIRED');
    // Non-sudo admin channels still answer.
    expect((await h.call(1, 'admin:users:list', { sessionId: admin })).ok).toBe(true);
    const wrong = await h.call(1, 'auth:reauthenticate', { sessionId: admin, password: 'wrong wrong wrong' });
    expect(errorOf(wrong).code).toBe('INVALID_CREDENTIALS');
    const { sudoUntil } = await h.ok<{ sudoUntil: number }>(1, 'auth:reauthenticate', { sessionId: admin, password: STRONG_PASSWORD });
    expect(sudoUntil).toBe(h.time.now() + SUDO_MS);
    expect((await h.call(1, 'admin:users:create', { sessionId: admin, username: 'eve', password: OTHER_PASSWORD })).ok).toBe(true);
  });

  it('sudo mode lasts sudoModeMs to the millisecond, without a timer having to run', async () => {
    h = await makeHarness();
    const admin = await setupAdmin(h);
    h.time.jump(SUDO_MS - 1);
    expect((await h.call(1, 'admin:groups:create', { sessionId: admin, name: 'one', permissions: [] })).ok).toBe(true);
    h.time.jump(1);
    expect(await h.errorCode(1, 'admin:groups:create', { sessionId: admin, name: 'two', permissions: [] })).toBe('REAUTH_REQUIRED');
  });
});

describe('router: a 1 MB password (standards #18)', () => {
  // The cause, not a wall time: a refused payload never reaches bcrypt (a spy that
  // passes through to the real library counts its calls), so no CPU is spent on it.
  it('is refused with PAYLOAD_TOO_LARGE and never reaches bcrypt (cost 12)', async () => {
    h = await makeHarness({ settings: { bcryptCost: 12 } });
    await setupAdmin(h);
    const compare = vi.spyOn(bcrypt, 'compare');
    const hash = vi.spyOn(bcrypt, 'hash');
    try {
      // Sensitivity check: a real wrong password does reach bcrypt.
      expect(await h.errorCode(1, 'auth:login', { username: 'admin', password: 'a wrong password, checked' })).toBe('INVALID_CREDENTIALS');
      expect(compare).toHaveBeenCalledTimes(1);
      compare.mockClear();
      hash.mockClear();
      const huge = ['x'.repeat(1 << 20), '密'.repeat(1 << 19), `${'x'.repeat(1 << 20)}\u0000`];
      for (const password of huge) {
        const r = await h.call(1, 'auth:login', { username: 'admin', password });
        expect(errorOf(r).code).toBe('PAYLOAD_TOO_LARGE');
      }
      expect(compare).not.toHaveBeenCalled();
      expect(hash).not.toHaveBeenCalled();
    } finally {
      compare.mockRestore();
      hash.mockRestore();
    }
    // Not counted as a failed attempt either: one failure in the audit trail (the sensitivity check).
    const db = new Database(join(h.dataDir, 'accounts.db'), { readonly: true });
    try {
      expect(db.prepare("SELECT count(*) FROM audit_events WHERE type = 'login.failure'").pluck().get()).toBe(1);
      expect(db.prepare('SELECT consecutive FROM login_throttle').pluck().all()).toEqual([1]);
    } finally {
      db.close();
    }
  });

  it('binary payloads (structured clone carries them) are measured by byte length, not enumerated', async () => {
    h = await makeHarness();
    const big = [new Uint8Array(1 << 20), new Float64Array(1 << 17), new ArrayBuffer(64 << 20), new DataView(new ArrayBuffer(1 << 20))];
    const compare = vi.spyOn(bcrypt, 'compare');
    try {
      for (const password of big) {
        // The cause of the slowness this guards against: Object.keys on a 64 MiB buffer
        // builds millions of strings. A pass-through spy sees whether it was called on it.
        const keys = vi.spyOn(Object, 'keys');
        try {
          expect(errorOf(await h.call(1, 'auth:login', { username: 'admin', password })).code).toBe('PAYLOAD_TOO_LARGE');
          expect(keys.mock.calls.some(([v]) => v === password), `${password.constructor.name} was enumerated`).toBe(false);
        } finally {
          keys.mockRestore();
        }
      }
      expect(compare).not.toHaveBeenCalled();
    } finally {
      compare.mockRestore();
    }
    expect(errorOf(await h.call(1, 'auth:login', { username: 'admin', password: new Uint8Array(8) })).code).toBe('VALIDATION_ERROR');
  });
});

describe('router: INTERNAL never leaks (standards #65)', () => {
  const SECRET = 'secret detail SELECT * FROM users';
  const assertGeneric = (r: Reply, ...hidden: string[]) => {
    const e = errorOf(r);
    expect(e.code).toBe('INTERNAL');
    expect(Object.keys(e).sort()).toEqual(['code', 'message']);
    const text = JSON.stringify(r);
    for (const s of hidden) expect(text).not.toContain(s);
    expect(text).not.toMatch(/\bat .+:\d+:\d+|Error:|SELECT|INSERT|RAISE|no such/i);
  };

  it('a throwing authentication backend answers a generic INTERNAL; the log gets the error class, never its message', async () => {
    const logged: unknown[] = [];
    const logger: Logger = { warn: () => {}, error: (m, c) => logged.push({ m, c }) };
    const boom: AuthBackend = {
      authenticate: async () => {
        throw new Error(SECRET);
      },
    };
    h = await makeHarness({ logger, backends: { boom }, settings: { authBackends: ['boom'] } });
    await setupAdmin(h);
    const r = await h.call(1, 'auth:login', { username: 'admin', password: 'the typed password 123' });
    assertGeneric(r, 'secret detail', 'the typed password 123', 'boom');
    // The log gets the error's class and where it was thrown, never its message (it may quote a secret).
    expect(JSON.stringify(logged)).not.toContain(SECRET);
    expect(logged).toEqual([{ m: 'handler failed', c: expect.objectContaining({ channel: 'auth:login', error: 'Error' }) }]);
    expect(JSON.stringify(logged)).not.toContain('the typed password 123');
    // The core keeps working.
    expect((await h.call(1, 'app:info', {})).ok).toBe(true);
  });

  it('an SQLite failure answers INTERNAL without SQL, schema or SQLite text, and the core recovers', async () => {
    h = await makeHarness();
    const admin = await setupAdmin(h);
    // A trigger added by another connection makes the core's own write fail inside SQLite
    // (SQLITE_CONSTRAINT_TRIGGER), with a message that quotes SQL.
    const other = new Database(join(h.dataDir, 'accounts.db'));
    try {
      other.exec(`CREATE TRIGGER test_boom BEFORE INSERT ON user_prefs BEGIN SELECT RAISE(ABORT, '${SECRET}'); END;`);
      const r = await h.call(1, 'prefs:set', { sessionId: admin, theme: 'dark' });
      assertGeneric(r, 'secret detail', 'user_prefs', 'test_boom');
      other.exec('DROP TRIGGER test_boom');
    } finally {
      other.close();
    }
    expect(await h.ok(1, 'prefs:set', { sessionId: admin, theme: 'dark' })).toEqual({ theme: 'dark', locale: 'system' });
  });
});
