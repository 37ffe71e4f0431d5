import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APP_ID } from '../../../../electron/core/app-identity';
import { AuditLog } from '../../../../electron/core/audit/audit-log';
import { PasswordHasher } from '../../../../electron/core/auth/password-hasher';
import { RememberedDevices } from '../../../../electron/core/auth/remembered-devices';
import { ChangeTracker, openDatabase } from '../../../../electron/core/db/database';
import { KeychainStatus } from '../../../../electron/core/keychain/keychain-status';
import { MemoryKeychain } from '../../../../electron/core/keychain/memory-keychain';
import { silentLogger } from '../../../../electron/core/log';
import { SqliteSessionStore } from '../../../../electron/core/sessions/stores/sqlite-session-store';
import { UserRepository } from '../../../../electron/core/users/user-repository';
import { OTHER_PASSWORD } from '../../../support/core-harness';
import { FakeTime } from '../../../support/fake-time';
import { SLOW, createAdmin, expectNoStack, manage, sessionRow, withDb } from '../../../support/manage-runner';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'manage-deactivate-'));
  writeFileSync(join(dir, 'settings.json'), JSON.stringify({ bcryptCost: 4 }));
  createAdmin(dir);
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** bob (email bob@example.com) with two sessions and a remembered sign-in; admin with one session. */
async function bobWithSessions(): Promise<{ bobId: number; adminHash: string }> {
  const hash = await new PasswordHasher({ cost: 4 }).hash(OTHER_PASSWORD);
  const time = new FakeTime(Date.now());
  const db = openDatabase(dir, { clock: time });
  try {
    const users = new UserRepository(db, time, new ChangeTracker(db));
    const bob = users.create({ username: 'bob', email: 'bob@example.com', passwordHash: hash });
    const admin = users.findByIdentifier('admin');
    if (!admin) throw new Error('no admin');
    const store = new SqliteSessionStore(db);
    const adminSession = sessionRow(admin.id);
    for (const s of [sessionRow(bob.id), sessionRow(bob.id, { senderId: 2 }), adminSession]) store.insert(s);
    const keychain = new MemoryKeychain();
    const remembered = new RememberedDevices({
      db, clock: time, keychain, status: new KeychainStatus(keychain, APP_ID, silentLogger),
      service: APP_ID, rememberDays: 30, log: silentLogger,
    });
    expect(await remembered.remember(bob)).toBe(true);
    return { bobId: bob.id, adminHash: adminSession.hash };
  } finally {
    db.close();
  }
}

/** What the file holds about bob and the sessions table. */
function state(bobId: number) {
  return withDb(dir, (db, users) => ({
    active: users.findById(bobId)?.isActive,
    sessions: new SqliteSessionStore(db).list({ offset: 0, limit: 10 }).items.map((s) => s.hash),
    devices: db.prepare('SELECT count(*) FROM remembered_devices WHERE user_id = ?').pluck().get(bobId),
    audit: new AuditLog({ db, clock: new FakeTime() }).list({ userId: bobId }).items.map((e) => e.type),
  }));
}

describe('manage deactivate and activate', SLOW, () => {
  it("deactivate turns sign-in off, ends only that user's sessions and revokes the remembered sign-in", async () => {
    const { bobId, adminHash } = await bobWithSessions();
    const r = manage(['deactivate', 'bob@example.com', '--data-dir', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Deactivated "bob"; ended 2 sessions.');
    expect(r.stdout).toContain('Revoked the remembered sign-in on this computer.');
    // No D-Bus in the child: the keychain fails, the database revocation stands, one readable note.
    expect(r.stderr).toContain('the OS keychain could not be reached');
    expectNoStack(r);
    const after = state(bobId);
    expect(after).toMatchObject({ active: false, sessions: [adminHash], devices: 0 });
    expect(after.audit).toEqual(expect.arrayContaining(['user.updated', 'sessions.revoked']));
  });

  it('says so and changes nothing when the user is already in the state asked for', async () => {
    const { bobId } = await bobWithSessions();
    expect(manage(['deactivate', 'bob', '--data-dir', dir]).code).toBe(0);
    const twice = manage(['deactivate', 'bob', '--data-dir', dir]);
    expect(twice.code).toBe(0);
    expect(twice.stdout).toBe('"bob" is already inactive; nothing to do.\n');

    const activate = manage(['activate', 'bob', '--data-dir', dir]);
    expect(activate.code, activate.stderr).toBe(0);
    expect(activate.stdout).toBe('Activated "bob"; they can sign in again.\n');
    const after = state(bobId);
    // Active again; the sessions and the remembered sign-in the deactivation ended stay ended.
    expect(after).toMatchObject({ active: true, devices: 0 });
    expect(after.sessions).toHaveLength(1);
    const again = manage(['activate', 'bob', '--data-dir', dir]);
    expect(again.stdout).toBe('"bob" is already active; nothing to do.\n');
  });

  it('refuses the last active superuser, an unknown user and a missing argument, changing nothing', async () => {
    const last = manage(['deactivate', 'admin', '--data-dir', dir]);
    expect(last.code).toBe(1);
    expect(last.stderr).toContain('last active superuser');
    const unknown = manage(['deactivate', 'nobody', '--data-dir', dir]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No user "nobody"');
    const usage = manage(['activate', '--data-dir', dir]);
    expect(usage.code).toBe(2);
    for (const r of [last, unknown, usage]) expectNoStack(r);
    expect(withDb(dir, (_db, users) => users.findByIdentifier('admin')?.isActive)).toBe(true);
  });
});
