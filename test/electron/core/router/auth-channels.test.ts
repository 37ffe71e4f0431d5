import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { ErrorBody, Reply } from '../../../../shared/errors';
import { APP_ID } from '../../../../electron/core/app-identity';
import { MemoryKeychain } from '../../../../electron/core/keychain/memory-keychain';
import { makeHarness, OTHER_PASSWORD, setupAdmin, STRONG_PASSWORD, type Harness } from '../../../support/core-harness';

/*
 * app:info, setup, password login, throttle, audit and "stay signed in", through
 * dispatch only (DESIGN "Authentication"; standards #2-7, #19-22, #63; Django B).
 */

let h: Harness;
afterEach(async () => {
  await h?.cleanup();
});

const errorOf = (r: Reply): ErrorBody => {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.data)}`);
  return r.error;
};

/** Reads <dataDir>/accounts.db through a read-only connection. */
function inDb<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(join(h.dataDir, 'accounts.db'), { readonly: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** Every byte SQLite holds for the data dir: the file and its write-ahead log. */
function dbBytes(): Buffer {
  const base = join(h.dataDir, 'accounts.db');
  return Buffer.concat([base, `${base}-wal`].filter(existsSync).map((p) => readFileSync(p)));
}

const login = (sender: number, username: string, password: string, remember?: boolean) =>
  h.call(sender, 'auth:login', { username, password, ...(remember !== undefined && { remember }) });

async function createUser(admin: string, username: string, extra: Record<string, unknown> = {}): Promise<number> {
  const u = await h.ok<{ id: number }>(1, 'admin:users:create', {
    sessionId: admin, username, password: OTHER_PASSWORD, mustChangePassword: false, ...extra,
  });
  return u.id;
}

describe('app:info', () => {
  it('reports setup, the keychain, backends and the password policy', async () => {
    h = await makeHarness();
    const before = await h.ok(1, 'app:info');
    expect(before).toMatchObject({
      setupRequired: true,
      keychain: { available: true },
      authBackends: ['local-db', 'keychain'],
      passwordPolicy: { minLength: 12, maxLength: 1024 },
    });
    expect(typeof before.version).toBe('string');
    await setupAdmin(h);
    expect((await h.ok(1, 'app:info')).setupRequired).toBe(false);
    await h.restart({ settings: { passwordMinLength: 15, authBackends: ['local-db'] } });
    expect(await h.ok(1, 'app:info')).toMatchObject({ authBackends: ['local-db'], passwordPolicy: { minLength: 15 } });
  });

  it('tells the window the idle rule and the profile limit, from settings', async () => {
    h = await makeHarness();
    expect(await h.ok(1, 'app:info')).toMatchObject({
      sessions: { idleTimeoutMs: 900_000, idleAction: 'logout', maxProfilesPerWindow: 5 },
    });
    await h.cleanup();
    h = await makeHarness({ settings: { sessionIdleTimeoutMs: 60_000, idleAction: 'lock', maxProfilesPerWindow: 2 } });
    expect(await h.ok(1, 'app:info')).toMatchObject({
      sessions: { idleTimeoutMs: 60_000, idleAction: 'lock', maxProfilesPerWindow: 2 },
    });
  });

  it('reports an unavailable keychain with its reason when the probe at start fails', async () => {
    const keychain = new MemoryKeychain();
    keychain.failWith('The keychain is locked.');
    h = await makeHarness({ keychain });
    expect((await h.ok(1, 'app:info')).keychain).toEqual({ available: false, reason: 'The keychain is locked.' });
  });
});

describe('setup:create-admin', () => {
  it('creates an active staff superuser once, then answers SETUP_ALREADY_DONE', async () => {
    h = await makeHarness();
    const r = await h.ok<{ sessionId: string; user: Record<string, unknown> }>(1, 'setup:create-admin', {
      username: 'Root', password: STRONG_PASSWORD, email: 'root@example.com', displayName: 'The Root',
    });
    expect(r.user).toMatchObject({ username: 'Root', isStaff: true, isSuperuser: true, mustChangePassword: false });
    expect((r.user.permissions as string[]).length).toBe(11);
    const list = await h.ok<{ items: { isActive: boolean }[] }>(1, 'admin:users:list', { sessionId: r.sessionId });
    expect(list.items).toEqual([expect.objectContaining({ isActive: true, email: 'root@example.com' })]);
    expect(await h.errorCode(2, 'setup:create-admin', { username: 'other', password: OTHER_PASSWORD })).toBe('SETUP_ALREADY_DONE');
  });

  it('two concurrent setups create exactly one user', async () => {
    h = await makeHarness();
    const [a, b] = await Promise.all([
      h.call(1, 'setup:create-admin', { username: 'first', password: STRONG_PASSWORD }),
      h.call(2, 'setup:create-admin', { username: 'second', password: OTHER_PASSWORD }),
    ]);
    expect([a, b].filter((r) => r.ok)).toHaveLength(1);
    expect(errorOf((a.ok ? b : a) as Reply).code).toBe('SETUP_ALREADY_DONE');
    expect(inDb((db) => db.prepare('SELECT count(*) FROM users').pluck().get())).toBe(1);
  });

  it('answers PASSWORD_POLICY with every reason and creates nothing', async () => {
    h = await makeHarness();
    const e = errorOf(await h.call(1, 'setup:create-admin', { username: 'admin', password: 'admin' }));
    expect(e.code).toBe('PASSWORD_POLICY');
    expect(e.reasons).toEqual(['too-short', 'common', 'similar']);
    expect(errorOf(await h.call(1, 'setup:create-admin', { username: 'admin', password: '123456789' })).reasons).toEqual([
      'too-short', 'common', 'numeric', 'sequential',
    ]);
    expect((await h.ok(1, 'app:info')).setupRequired).toBe(true);
  });
});

describe('auth:login', () => {
  it('signs in by username (any case) and by email', async () => {
    h = await makeHarness();
    const admin = await setupAdmin(h);
    await createUser(admin, 'Bob', { email: 'Bob@Example.com' });
    for (const id of ['Bob', 'bob', 'BOB', 'bob@example.com', 'BOB@EXAMPLE.COM']) {
      const r = await login(2, id, OTHER_PASSWORD);
      expect(r.ok && (r.data as { user: { username: string } }).user.username, id).toBe('Bob');
    }
  });

  it('answers one identical reply for an unknown user, a wrong password and a disabled account (#22)', async () => {
    h = await makeHarness();
    const admin = await setupAdmin(h);
    const carol = await createUser(admin, 'carol');
    await h.ok(1, 'admin:users:update', { sessionId: admin, userId: carol, isActive: false });
    const unknown = errorOf(await login(2, 'nobody', OTHER_PASSWORD));
    const wrong = errorOf(await login(2, 'admin', OTHER_PASSWORD));
    const disabledWrong = errorOf(await login(2, 'carol', 'not her password at all'));
    expect(unknown.code).toBe('INVALID_CREDENTIALS');
    expect(wrong).toEqual(unknown);
    expect(disabledWrong).toEqual(unknown);
    // ACCOUNT_DISABLED only with the right password.
    expect(errorOf(await login(2, 'carol', OTHER_PASSWORD)).code).toBe('ACCOUNT_DISABLED');
  });

  it('throttles after loginMaxFailures failures, across a restart, then lets the right password in (#19)', async () => {
    h = await makeHarness();
    await setupAdmin(h);
    for (let i = 0; i < 5; i++) expect(errorOf(await login(2, 'admin', `wrong ${i} wrong wrong`)).code).toBe('INVALID_CREDENTIALS');
    const throttled = errorOf(await login(2, 'admin', STRONG_PASSWORD));
    expect(throttled).toMatchObject({ code: 'THROTTLED', retryAfterMs: 30_000 });
    await h.restart();
    expect(errorOf(await login(2, 'admin', STRONG_PASSWORD))).toMatchObject({ code: 'THROTTLED', retryAfterMs: 30_000 });
    h.time.jump(29_999);
    expect(errorOf(await login(2, 'admin', STRONG_PASSWORD))).toMatchObject({ code: 'THROTTLED', retryAfterMs: 1 });
    h.time.jump(1);
    expect((await login(2, 'admin', STRONG_PASSWORD)).ok).toBe(true);
  });

  it('throttles unknown usernames the same way as known ones', async () => {
    h = await makeHarness();
    await setupAdmin(h);
    const known: ErrorBody[] = [];
    const unknown: ErrorBody[] = [];
    for (let i = 0; i < 7; i++) {
      known.push(errorOf(await login(2, 'admin', 'wrong wrong wrong')));
      unknown.push(errorOf(await login(2, 'ghost', 'wrong wrong wrong')));
    }
    expect(unknown).toEqual(known);
    expect(unknown.map((e) => e.code)).toEqual([...Array(5).fill('INVALID_CREDENTIALS'), 'THROTTLED', 'THROTTLED']);
    // The key is the folded identifier: another spelling of the same name is the same key.
    expect(errorOf(await login(2, 'GHOST', 'wrong wrong wrong')).code).toBe('THROTTLED');
  });

  it('40 parallel wrong logins: at most loginMaxFailures are checked, the rest are THROTTLED', async () => {
    h = await makeHarness();
    await setupAdmin(h);
    const replies = await Promise.all(Array.from({ length: 40 }, (_, i) => login(2, 'admin', `parallel guess ${i}`)));
    const codes = replies.map((r) => errorOf(r).code);
    const invalid = codes.filter((c) => c === 'INVALID_CREDENTIALS').length;
    expect(invalid).toBeGreaterThan(0);
    expect(invalid).toBeLessThanOrEqual(5);
    expect(codes.filter((c) => c === 'THROTTLED').length).toBe(40 - invalid);
  });

  it('a successful login resets the consecutive count', async () => {
    h = await makeHarness();
    await setupAdmin(h);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4; i++) expect(errorOf(await login(2, 'admin', 'wrong wrong wrong')).code).toBe('INVALID_CREDENTIALS');
      expect((await login(2, 'admin', STRONG_PASSWORD)).ok).toBe(true);
    }
  });

  it('re-hashes at the configured cost on the next successful login (#17)', async () => {
    h = await makeHarness();
    await setupAdmin(h);
    const hash = () => inDb((db) => db.prepare("SELECT password_hash FROM users WHERE username = 'admin'").pluck().get() as string);
    expect(hash()).toMatch(/^\$2b\$04\$/);
    await h.restart({ settings: { bcryptCost: 5 } });
    expect(hash()).toMatch(/^\$2b\$04\$/);
    expect((await login(2, 'admin', STRONG_PASSWORD)).ok).toBe(true);
    expect(hash()).toMatch(/^\$2b\$05\$/);
    expect((await login(3, 'admin', STRONG_PASSWORD)).ok).toBe(true);
  });
});

describe('password handling end to end', () => {
  async function registers(username: string, password: string): Promise<void> {
    const admin = await h.ok<{ sessionId: string }>(1, 'auth:login', { username: 'admin', password: STRONG_PASSWORD });
    await h.ok(1, 'admin:users:create', { sessionId: admin.sessionId, username, password, mustChangePassword: false });
  }

  it('a 100-character password works; its first 72 bytes do not (#3)', async () => {
    h = await makeHarness();
    await setupAdmin(h);
    const pw = 'Seven purple elephants tiptoe across the frozen lake at dawn, humming quietly to themselves, 1 2 3 4';
    expect(pw).toHaveLength(100);
    await registers('dora', pw);
    expect((await login(2, 'dora', pw)).ok).toBe(true);
    expect(errorOf(await login(2, 'dora', pw.slice(0, 72))).code).toBe('INVALID_CREDENTIALS');
    expect(errorOf(await login(2, 'dora', `${pw.slice(0, 99)}5`)).code).toBe('INVALID_CREDENTIALS');
  });

  it('NFKC: a password set precomposed logs in decomposed (#5)', async () => {
    h = await makeHarness();
    await setupAdmin(h);
    const composed = 'société élégante à côté du café';
    const decomposed = composed.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    await registers('eloise', composed);
    expect((await login(2, 'eloise', decomposed)).ok).toBe(true);
  });

  it('a 64-emoji password registers and logs in; one sharing its first 72 bytes does not (#2)', async () => {
    h = await makeHarness();
    await setupAdmin(h);
    const emoji = (offset: number) => Array.from({ length: 64 }, (_, i) => String.fromCodePoint(0x1f600 + ((i * 7 + offset) % 64))).join('');
    const pw = emoji(0);
    expect(Buffer.byteLength(pw)).toBe(256);
    await registers('emma', pw);
    expect((await login(2, 'emma', pw)).ok).toBe(true);
    const twin = [...pw].slice(0, 18).join('') + emoji(5).slice(36);
    expect(Buffer.from(twin).subarray(0, 72)).toEqual(Buffer.from(pw).subarray(0, 72));
    expect(errorOf(await login(2, 'emma', twin)).code).toBe('INVALID_CREDENTIALS');
  });

  it('a long lowercase passphrase needs no composition rules (#4)', async () => {
    h = await makeHarness();
    await setupAdmin(h);
    await registers('frank', 'correcthorsebatterystaple');
    expect((await login(2, 'frank', 'correcthorsebatterystaple')).ok).toBe(true);
  });

  it('<username>2024!!!!!! is refused as too similar (#7)', async () => {
    h = await makeHarness();
    const admin = await setupAdmin(h);
    const e = errorOf(await h.call(1, 'admin:users:create', { sessionId: admin, username: 'margaret', password: 'margaret2024!!!!!!' }));
    expect(e).toMatchObject({ code: 'PASSWORD_POLICY', reasons: ['similar'] });
    expect(e.message.length).toBeGreaterThan(0);
  });
});

describe('audit of sign-ins (#63)', () => {
  it('success, failure, throttle and logout each write an entry with time, user and outcome', async () => {
    h = await makeHarness();
    await setupAdmin(h);
    const adminId = 1;
    const at: Record<string, number> = {};
    h.time.jump(1000);
    at.success = h.time.now();
    const s = (await h.ok<{ sessionId: string }>(2, 'auth:login', { username: 'admin', password: STRONG_PASSWORD })).sessionId;
    h.time.jump(1000);
    at.logout = h.time.now();
    await h.ok(2, 'auth:logout', { sessionId: s });
    h.time.jump(1000);
    at.failure = h.time.now();
    for (let i = 0; i < 5; i++) await login(2, 'admin', 'wrong wrong wrong');
    h.time.jump(1000);
    at.throttled = h.time.now();
    await login(2, 'admin', 'wrong wrong wrong');
    const rows = inDb((db) =>
      db.prepare('SELECT at, type, user_id AS userId FROM audit_events WHERE at >= ? ORDER BY id').all(at.success),
    ) as { at: number; type: string; userId: number }[];
    const first = (type: string) => rows.find((r) => r.type === type);
    expect(first('login.success')).toEqual({ at: at.success, type: 'login.success', userId: adminId });
    expect(first('logout')).toEqual({ at: at.logout, type: 'logout', userId: adminId });
    expect(first('login.failure')).toEqual({ at: at.failure, type: 'login.failure', userId: adminId });
    expect(first('login.throttled')).toEqual({ at: at.throttled, type: 'login.throttled', userId: adminId });
    expect(rows.filter((r) => r.type === 'login.failure')).toHaveLength(5);
  });

  it('a failed login for an unknown identifier stores no identifier anywhere', async () => {
    h = await makeHarness();
    await setupAdmin(h);
    const typed = 'MyActualPassw0rdTypedInTheWrongBox';
    await login(2, typed, 'whatever whatever');
    await login(2, `${typed}@example.com`, 'whatever whatever');
    const audit = inDb((db) => db.prepare("SELECT * FROM audit_events WHERE type = 'login.failure'").all());
    expect(audit).toHaveLength(2);
    expect(JSON.stringify(audit).toLowerCase()).not.toContain(typed.toLowerCase());
    // Nor in the throttle tables, nor anywhere else in the file (people type passwords there).
    const bytes = dbBytes().toString('latin1').toLowerCase();
    expect(bytes).not.toContain(typed.toLowerCase());
  });
});

describe('stay signed in (in-memory keychain)', () => {
  type Login = { sessionId: string; remembered: boolean };
  const token = (username = 'admin') => h.keychain.getPassword(APP_ID, username);
  const profiles = async () => (await h.ok<{ items: { username: string }[] }>(1, 'profiles:list')).items.map((p) => p.username);
  const remembered = (sender: number, username = 'admin') => h.call(sender, 'auth:login-remembered', { username });

  it('remembers, signs in from another window, rotates the token, grants no sudo, and forgets', async () => {
    h = await makeHarness();
    await setupAdmin(h);
    const replies: string[] = [];
    const call = async (sender: number, channel: string, payload: unknown) => {
      const r = await h.call(sender, channel, payload);
      replies.push(JSON.stringify(r));
      return r;
    };
    const first = (await call(1, 'auth:login', { username: 'admin', password: STRONG_PASSWORD, remember: true })) as Reply<Login>;
    expect(first.ok && first.data.remembered).toBe(true);
    const listed = (await call(4, 'profiles:list', {})) as Reply<{ items: { username: string }[] }>;
    expect(listed.ok && listed.data.items.map((p) => p.username)).toEqual(['admin']);
    const secret1 = await token();
    expect(secret1).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const second = (await call(2, 'auth:login-remembered', { username: 'ADMIN' })) as Reply<Login>;
    if (!second.ok) throw new Error(JSON.stringify(second.error));
    const secret2 = await token();
    expect(secret2).not.toBe(secret1);
    // A remembered sign-in is not a password entry: no sudo mode.
    expect(await h.errorCode(2, 'admin:users:create', { sessionId: second.data.sessionId, username: 'x', password: OTHER_PASSWORD })).toBe('REAUTH_REQUIRED');
    expect((await call(3, 'auth:login-remembered', { username: 'admin' })).ok).toBe(true);
    const secret3 = (await token()) as string;

    // The token is never in the database or in a reply; only its hash is stored.
    const stored = dbBytes().toString('latin1');
    for (const secret of [secret1, secret2, secret3]) {
      expect(stored).not.toContain(secret);
      for (const reply of [...replies, JSON.stringify(h.events)]) expect(reply).not.toContain(secret);
    }
    expect(inDb((db) => db.prepare('SELECT count(*) FROM remembered_devices').pluck().get())).toBe(1);

    await h.ok(3, 'auth:logout', { sessionId: (await h.ok<Login>(3, 'auth:login', { username: 'admin', password: STRONG_PASSWORD })).sessionId, forget: true });
    expect(await profiles()).toEqual([]);
    expect(await token()).toBeNull();
    expect(errorOf(await remembered(4)).code).toBe('NOT_REMEMBERED');
  });

  it('answers NOT_REMEMBERED for a profile this computer does not remember, known or not', async () => {
    h = await makeHarness();
    const admin = await setupAdmin(h);
    await createUser(admin, 'bob');
    expect(errorOf(await remembered(2, 'bob')).code).toBe('NOT_REMEMBERED');
    expect(errorOf(await remembered(2, 'nobody'))).toEqual(errorOf(await remembered(2, 'bob')));
    // A keychain entry the database does not know (planted) signs no one in.
    await h.keychain.setPassword(APP_ID, 'bob', 'planted-token-planted-token-planted-token-00');
    expect(errorOf(await remembered(2, 'bob')).code).toBe('NOT_REMEMBERED');
  });

  it('profiles:forget removes the profile and its keychain entry', async () => {
    h = await makeHarness();
    await setupAdmin(h);
    await h.ok(2, 'auth:login', { username: 'admin', password: STRONG_PASSWORD, remember: true });
    expect(await profiles()).toEqual(['admin']);
    await h.ok(5, 'profiles:forget', { username: 'Admin' });
    expect(await profiles()).toEqual([]);
    expect(await token()).toBeNull();
    expect(errorOf(await remembered(2)).code).toBe('NOT_REMEMBERED');
    expect(await h.ok(5, 'profiles:forget', { username: 'nobody' })).toEqual({});
  });

  it('a failing keychain: password login still works (remembered false), remembered sign-in is KEYCHAIN_UNAVAILABLE', async () => {
    h = await makeHarness();
    await setupAdmin(h);
    await h.ok(1, 'auth:login', { username: 'admin', password: STRONG_PASSWORD, remember: true });
    h.keychain.failWith('The keychain is locked (test).');
    const r = await h.ok<Login>(2, 'auth:login', { username: 'admin', password: STRONG_PASSWORD, remember: true });
    expect(r.remembered).toBe(false);
    expect(await h.errorCode(3, 'auth:login-remembered', { username: 'admin' })).toBe('KEYCHAIN_UNAVAILABLE');
    expect((await h.ok(1, 'app:info')).keychain).toEqual({ available: false, reason: 'The keychain is locked (test).' });
    h.keychain.failWith(null);
    expect((await h.ok<Login>(2, 'auth:login', { username: 'admin', password: STRONG_PASSWORD, remember: true })).remembered).toBe(true);
    expect((await h.ok(1, 'app:info')).keychain).toEqual({ available: true });
    expect((await remembered(3)).ok).toBe(true);
  });

  it('a password change and a deactivation revoke remembered devices', async () => {
    h = await makeHarness();
    const admin = await setupAdmin(h);
    const bob = await createUser(admin, 'bob');
    const mine = await h.ok<Login>(1, 'auth:login', { username: 'admin', password: STRONG_PASSWORD, remember: true });
    await h.ok(2, 'auth:login', { username: 'bob', password: OTHER_PASSWORD, remember: true });
    expect(await profiles()).toEqual(expect.arrayContaining(['admin', 'bob']));
    await h.ok(1, 'account:change-password', { sessionId: mine.sessionId, currentPassword: STRONG_PASSWORD, newPassword: 'an entirely new passphrase' });
    expect(errorOf(await remembered(3, 'admin')).code).toBe('NOT_REMEMBERED');
    const admin2 = await h.ok<Login>(4, 'auth:login', { username: 'admin', password: 'an entirely new passphrase' });
    await h.ok(4, 'admin:users:update', { sessionId: admin2.sessionId, userId: bob, isActive: false });
    await h.ok(4, 'admin:users:update', { sessionId: admin2.sessionId, userId: bob, isActive: true });
    expect(errorOf(await remembered(3, 'bob')).code).toBe('NOT_REMEMBERED');
    expect(await profiles()).toEqual([]);
  });

  it('expires after rememberDays; rememberDays 0 disables remembering', async () => {
    h = await makeHarness();
    await setupAdmin(h);
    await h.ok(1, 'auth:login', { username: 'admin', password: STRONG_PASSWORD, remember: true });
    h.time.jump(30 * 86_400_000);
    expect(await profiles()).toEqual([]);
    expect(errorOf(await remembered(2)).code).toBe('NOT_REMEMBERED');
    await h.restart({ settings: { rememberDays: 0 } });
    expect((await h.ok<Login>(1, 'auth:login', { username: 'admin', password: STRONG_PASSWORD, remember: true })).remembered).toBe(false);
    expect(await profiles()).toEqual([]);
    expect(errorOf(await remembered(2)).code).toBe('NOT_REMEMBERED');
  });
});
