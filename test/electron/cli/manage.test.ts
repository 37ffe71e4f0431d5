import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../electron/core/audit/audit-log';
import { userThrottleKey } from '../../../electron/core/auth/login-service';
import { LoginThrottle } from '../../../electron/core/auth/login-throttle';
import { PasswordHasher } from '../../../electron/core/auth/password-hasher';
import { RememberedDevices } from '../../../electron/core/auth/remembered-devices';
import { APP_ID } from '../../../electron/core/app-identity';
import { ChangeTracker, openDatabase, type Sqlite } from '../../../electron/core/db/database';
import { KeychainStatus } from '../../../electron/core/keychain/keychain-status';
import { MemoryKeychain } from '../../../electron/core/keychain/memory-keychain';
import { silentLogger } from '../../../electron/core/log';
import { SqliteSessionStore } from '../../../electron/core/sessions/stores/sqlite-session-store';
import { UserRepository } from '../../../electron/core/users/user-repository';
import { OTHER_PASSWORD, STRONG_PASSWORD } from '../../support/core-harness';
import { FakeTime } from '../../support/fake-time';
import {
  ROOT,
  SLOW,
  createAdmin as createAdminIn,
  expectNoStack,
  manage,
  pair,
  sessionRow,
  withDb as withDbIn,
} from '../../support/manage-runner';

const HOUR = 3_600_000;

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'manage-cli-'));
  writeFileSync(join(dir, 'settings.json'), JSON.stringify({ bcryptCost: 4 }));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const withDb = <T>(fn: (db: Sqlite, users: UserRepository) => T): T => withDbIn(dir, fn);
const createAdmin = (): void => createAdminIn(dir);
const session = sessionRow;

function userCount(): number {
  if (!existsSync(join(dir, 'accounts.db'))) return 0;
  return withDb((_db, users) => users.count());
}

describe('manage createsuperuser and users', SLOW, () => {
  it('creates a superuser from stdin; users lists it as a table and as JSON (the acceptance line)', async () => {
    const created = manage(['createsuperuser', '--username', 'admin', '--data-dir', dir], pair(STRONG_PASSWORD));
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain('Superuser "admin" created');
    expect(created.stdout + created.stderr).not.toContain(STRONG_PASSWORD);

    const table = manage(['users', '--data-dir', dir]);
    expect(table.code, table.stderr).toBe(0);
    const [header, row] = table.stdout.trim().split('\n');
    expect(header).toMatch(/^ID\s+USERNAME\s+EMAIL\s+ACTIVE\s+STAFF\s+SUPERUSER\s+LAST LOGIN$/);
    expect(row?.split(/\s{2,}/)).toEqual(['1', 'admin', '-', 'yes', 'yes', 'yes', 'never']);

    const json = manage(['users', '--json', '--data-dir', dir]);
    expect(json.code, json.stderr).toBe(0);
    const list = JSON.parse(json.stdout) as Record<string, unknown>[];
    expect(list).toEqual([
      { id: 1, username: 'admin', email: null, isActive: true, isStaff: true, isSuperuser: true, lastLoginAt: null },
    ]);
    expect(json.stdout).not.toMatch(/hash|\$2[aby]\$/i);

    const stored = withDb((_db, users) => users.findByIdentifier('admin'));
    expect(stored?.mustChangePassword).toBe(false);
    expect(await new PasswordHasher({ cost: 4 }).verify(STRONG_PASSWORD, stored?.passwordHash ?? '')).toBe(true);
  });

  it('works end to end through npm run manage', () => {
    createAdmin();
    const r = spawnSync('npm', ['run', '--silent', 'manage', '--', 'users', '--json', '--data-dir', dir], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { username: string }[]).map((u) => u.username)).toEqual(['admin']);
  });

  it('takes --email and --display-name', () => {
    const r = manage(
      ['createsuperuser', '--username', 'root', '--email', 'Root@Example.COM', '--display-name', 'The Root', '--data-dir', dir],
      pair(STRONG_PASSWORD),
    );
    expect(r.code, r.stderr).toBe(0);
    const u = withDb((_db, users) => users.findByIdentifier('root@example.com'));
    expect(u).toMatchObject({ username: 'root', email: 'Root@example.com', displayName: 'The Root', isSuperuser: true });
  });

  it('refuses mismatched passwords: exit 1, no user', () => {
    const r = manage(['createsuperuser', '--username', 'admin', '--data-dir', dir], pair(STRONG_PASSWORD, OTHER_PASSWORD));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('do not match');
    expectNoStack(r);
    expect(userCount()).toBe(0);
  });

  it('prints every password policy reason: exit 1, no user', () => {
    const r = manage(['createsuperuser', '--username', 'admin', '--data-dir', dir], pair('12345678'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the password was refused');
    expect(r.stderr).toContain('Password must be at least 12 characters. (too-short)');
    expect(r.stderr).toContain('(common)');
    expect(r.stderr).toContain('(numeric)');
    expectNoStack(r);
    expect(userCount()).toBe(0);
  });

  it('applies passwordMinLength from settings.json', () => {
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ bcryptCost: 4, passwordMinLength: 40 }));
    const r = manage(['createsuperuser', '--username', 'admin', '--data-dir', dir], pair(STRONG_PASSWORD));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('at least 40 characters. (too-short)');
    expect(userCount()).toBe(0);
  });

  it('never takes a password from argv: usage error (exit 2), nothing created, value not echoed', () => {
    for (const args of [['--password', 'Zq9-argv-secret'], ['--password=Zq9-argv-secret'], ['-p', 'Zq9-argv-secret']]) {
      const r = manage(['createsuperuser', '--username', 'admin', ...args, '--data-dir', dir], pair(STRONG_PASSWORD));
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).not.toContain('Zq9-argv-secret');
      expectNoStack(r);
    }
    expect(existsSync(join(dir, 'accounts.db'))).toBe(false);
  });

  it('refuses a duplicate username (any case) with a clear message: exit 1', () => {
    createAdmin();
    const r = manage(['createsuperuser', '--username', 'ADMIN', '--data-dir', dir], pair(OTHER_PASSWORD));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('A user named "ADMIN" already exists');
    expectNoStack(r);
    expect(userCount()).toBe(1);
  });

  it('reports an invalid username by option, and a missing --username as a usage error', () => {
    const bad = manage(['createsuperuser', '--username', 'a b', '--data-dir', dir], pair(STRONG_PASSWORD));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--username: Use only letters');
    const missing = manage(['createsuperuser', '--data-dir', dir], pair(STRONG_PASSWORD));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--username is required');
    for (const r of [bad, missing]) expectNoStack(r);
    expect(existsSync(join(dir, 'accounts.db'))).toBe(false);
  });

  it('needs both lines on stdin', () => {
    const r = manage(['createsuperuser', '--username', 'admin', '--data-dir', dir], `${STRONG_PASSWORD}\n`);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Expected two lines on standard input');
    expect(userCount()).toBe(0);
  });
});

describe('manage changepassword', SLOW, () => {
  it('sets the password, clears mustChangePassword, ends only that user\'s sessions, revokes remembered devices', async () => {
    createAdmin();
    const fixture = await (async () => {
      const time = new FakeTime(Date.now());
      const db = openDatabase(dir, { clock: time });
      try {
        const users = new UserRepository(db, time, new ChangeTracker(db));
        const admin = users.findByIdentifier('admin');
        if (!admin) throw new Error('no admin');
        users.update(admin.id, { mustChangePassword: true });
        const bob = users.create({ username: 'bob', passwordHash: 'x' });
        const store = new SqliteSessionStore(db);
        const adminSessions = [session(admin.id), session(admin.id, { senderId: 2 })];
        const bobSession = session(bob.id);
        for (const s of [...adminSessions, bobSession]) store.insert(s);
        const keychain = new MemoryKeychain();
        const remembered = new RememberedDevices({
          db, clock: time, keychain, status: new KeychainStatus(keychain, APP_ID, silentLogger),
          service: APP_ID, rememberDays: 30, log: silentLogger,
        });
        expect(await remembered.remember(admin)).toBe(true);
        expect(await remembered.remember(bob)).toBe(true);
        return { adminId: admin.id, bobId: bob.id, bobHash: bobSession.hash };
      } finally {
        db.close();
      }
    })();

    const r = manage(['changepassword', 'admin', '--data-dir', dir], pair(OTHER_PASSWORD));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Password changed for "admin"; ended 2 sessions.');
    expect(r.stdout).toContain('Revoked the remembered sign-in');
    // No D-Bus in the child: the keychain fails, the change goes through, one readable note.
    expect(r.stderr).toContain('the OS keychain could not be reached');
    expectNoStack(r);

    const hasher = new PasswordHasher({ cost: 4 });
    const after = withDb((db, users) => ({
      admin: users.findById(fixture.adminId),
      sessions: new SqliteSessionStore(db).list({ offset: 0, limit: 10 }).items.map((s) => s.hash),
      devices: db.prepare('SELECT user_id FROM remembered_devices ORDER BY user_id').pluck().all(),
      audit: new AuditLog({ db, clock: new FakeTime() }).list({ userId: fixture.adminId }).items.map((e) => e.type),
    }));
    expect(await hasher.verify(STRONG_PASSWORD, after.admin?.passwordHash ?? '')).toBe(false);
    expect(await hasher.verify(OTHER_PASSWORD, after.admin?.passwordHash ?? '')).toBe(true);
    expect(after.admin?.mustChangePassword).toBe(false);
    expect(after.sessions).toEqual([fixture.bobHash]);
    expect(after.devices).toEqual([fixture.bobId]);
    expect(after.audit).toEqual(expect.arrayContaining(['password.changed', 'sessions.revoked']));
  });

  it('changes nothing on a mismatch, a policy failure or an unknown user', async () => {
    createAdmin();
    const mismatch = manage(['changepassword', 'admin', '--data-dir', dir], pair(OTHER_PASSWORD, STRONG_PASSWORD));
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toContain('do not match');
    const policy = manage(['changepassword', 'admin', '--data-dir', dir], pair('admin1234567'));
    expect(policy.code).toBe(1);
    expect(policy.stderr).toContain('(similar)');
    const unknown = manage(['changepassword', 'nobody', '--data-dir', dir], pair(OTHER_PASSWORD));
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No user "nobody"');
    const usage = manage(['changepassword', '--data-dir', dir], pair(OTHER_PASSWORD));
    expect(usage.code).toBe(2);
    for (const r of [mismatch, policy, unknown, usage]) expectNoStack(r);
    const hash = withDb((_db, users) => users.findByIdentifier('admin')?.passwordHash ?? '');
    expect(await new PasswordHasher({ cost: 4 }).verify(STRONG_PASSWORD, hash)).toBe(true);
  });
});

describe('manage unthrottle', SLOW, () => {
  it("clears a throttled admin's key and audits it", () => {
    createAdmin();
    const time = new FakeTime(Date.now());
    const adminId = withDb((db, users) => {
      const id = users.findByIdentifier('admin')?.id as number;
      const throttle = new LoginThrottle({ db, clock: time, maxFailures: 5 });
      for (let i = 0; i < 5; i++) throttle.recordFailure(userThrottleKey(id));
      expect(throttle.check(userThrottleKey(id)).allowed).toBe(false);
      return id;
    });

    const r = manage(['unthrottle', 'admin', '--data-dir', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Throttle cleared for "admin" (it was blocked for another');

    withDb((db) => {
      const throttle = new LoginThrottle({ db, clock: time, maxFailures: 5 });
      expect(throttle.check(userThrottleKey(adminId))).toEqual({ allowed: true });
      expect(throttle.status(userThrottleKey(adminId))).toEqual({ consecutive: 0, blockedUntil: null, failuresLastHour: 0 });
      const events = new AuditLog({ db, clock: time }).list({ type: 'throttle.reset' }).items;
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ userId: adminId, username: 'admin', detail: { consecutive: 5, via: 'manage' } });
    });
  });

  it('says so when nothing was throttled, and refuses an unknown user', () => {
    createAdmin();
    const idle = manage(['unthrottle', 'admin', '--data-dir', dir]);
    expect(idle.code).toBe(0);
    expect(idle.stdout).toContain('was not throttled');
    const unknown = manage(['unthrottle', 'ghost', '--data-dir', dir]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No user "ghost"');
    expectNoStack(unknown);
  });
});

describe('manage clearsessions', SLOW, () => {
  const IDLE = HOUR;

  /** Rows around the cut-offs; returns their hashes by name. */
  function seed(): Record<string, string> {
    const now = Date.now();
    return withDb((db, users) => {
      const uid = users.create({ username: 'carol', passwordHash: 'x' }).id;
      const store = new SqliteSessionStore(db);
      const rows = {
        absolute: session(uid, { createdAt: now - 13 * HOUR, lastActivityAt: now - HOUR / 2, absoluteExpiresAt: now - HOUR, dueAt: now - HOUR }),
        idle: session(uid, { lastActivityAt: now - 3 * IDLE, dueAt: now - 2 * IDLE }),
        // Past the idle timeout by its persisted activity, but within the idle/10 lag: may still be active.
        lagging: session(uid, { lastActivityAt: now - IDLE - 3 * 60_000, dueAt: now - 3 * 60_000 }),
        fresh: session(uid),
        lockedIdle: session(uid, { lastActivityAt: now - 3 * IDLE, dueAt: now - 2 * IDLE, locked: true }),
      };
      for (const s of Object.values(rows)) store.insert(s);
      return Object.fromEntries(Object.entries(rows).map(([k, s]) => [k, s.hash]));
    });
  }

  const remaining = (): string[] =>
    withDb((db) => new SqliteSessionStore(db).list({ offset: 0, limit: 100 }).items.map((s) => s.hash)).sort();

  it('removes only expired rows (absolute, or idle beyond the persistence lag)', () => {
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ bcryptCost: 4, sessionIdleTimeoutMs: IDLE }));
    const h = seed();
    const r = manage(['clearsessions', '--data-dir', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Removed 2 expired sessions.');
    expect(remaining()).toEqual([h.lagging, h.fresh, h.lockedIdle].sort());
  });

  it("keeps idle sessions with idleAction 'lock' (they are locked, not ended)", () => {
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ bcryptCost: 4, sessionIdleTimeoutMs: IDLE, idleAction: 'lock' }));
    const h = seed();
    const r = manage(['clearsessions', '--data-dir', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Removed 1 expired session.');
    expect(remaining()).toEqual([h.idle, h.lagging, h.fresh, h.lockedIdle].sort());
  });

  it("has nothing to clear with sessionEngine 'memory'", () => {
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ bcryptCost: 4, sessionEngine: 'memory' }));
    const h = seed();
    const r = manage(['clearsessions', '--data-dir', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("sessionEngine is 'memory'");
    expect(remaining()).toHaveLength(Object.keys(h).length);
  });
});

describe('manage: usage and broken data folders', SLOW, () => {
  it('answers an unknown command or none with exit 2 and the usage', () => {
    for (const args of [['frobnicate'], []]) {
      const r = manage(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('Usage: manage <command>');
      expect(r.stderr).toContain('createsuperuser');
      expectNoStack(r);
    }
  });

  it('prints --help for every command (exit 0)', () => {
    const top = manage(['--help']);
    expect(top.code).toBe(0);
    for (const name of ['createsuperuser', 'changepassword', 'unthrottle', 'users', 'clearsessions']) {
      expect(top.stdout).toContain(name);
      const r = manage([name, '--help']);
      expect(r.code, name).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: manage ${name}`));
      expect(r.stdout).toContain('--data-dir DIR');
    }
  });

  it('reports a missing data folder clearly and does not create it', () => {
    const missing = join(dir, 'nope');
    const r = manage(['users', '--data-dir', missing]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`No data folder at ${missing}`);
    expectNoStack(r);
    expect(existsSync(missing)).toBe(false);
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const noDb = manage(['users', '--data-dir', empty]);
    expect(noDb.code).toBe(1);
    expect(noDb.stderr).toContain('accounts.db is missing');
    expect(existsSync(join(empty, 'accounts.db'))).toBe(false);
  });

  it('reports a corrupt accounts.db by name, exit 1, and leaves the file as it was', () => {
    const file = join(dir, 'accounts.db');
    const garbage = Buffer.alloc(8192, 0x5a);
    garbage.write('this is not an SQLite database');
    writeFileSync(file, garbage);
    for (const args of [['users'], ['unthrottle', 'admin'], ['clearsessions']]) {
      const r = manage([...args, '--data-dir', dir]);
      expect(r.code, args[0]).toBe(1);
      expect(r.stderr).toContain(file);
      expectNoStack(r);
    }
    expect(readFileSync(file).equals(garbage)).toBe(true);
  });

  it('reports an invalid settings.json by key, exit 1', () => {
    createAdmin();
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ bcryptCost: 99 }));
    const r = manage(['users', '--data-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('"bcryptCost"');
    expectNoStack(r);
  });

  it('rejects unknown options and stray arguments as usage errors', () => {
    const opt = manage(['users', '--frob', '--data-dir', dir]);
    expect(opt.code).toBe(2);
    expect(opt.stderr).toContain("Unknown option '--frob'");
    const extra = manage(['users', 'extra', '--data-dir', dir]);
    expect(extra.code).toBe(2);
    for (const r of [opt, extra]) expectNoStack(r);
  });
});
