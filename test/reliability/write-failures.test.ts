/**
 * A write that fails in the middle of a handler leaves no half-state (reliability
 * issue, item 3, "nothing lost"). The failure is real SQLite: a second connection adds
 * a trigger that aborts one specific write (the way a full disk or a lost lock would
 * fail it), so the handler's earlier writes have already run when it fails. After each
 * failure the caller has a plain INTERNAL, and the state is all-before: no session the
 * caller never received, no password change with its sessions still alive, no session
 * data the database refused.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DB_FILE } from '../../electron/core/db/database';
import { OTHER_PASSWORD, STRONG_PASSWORD, makeHarness, setupAdmin, type Harness } from '../support/core-harness';
import { expectPlainInternal } from './fault-support';

const NEW_PASSWORD = 'saffron kettle drifting north';
const GENERIC = /could not be used: an unexpected database error/;

let h: Harness;
let db: Database.Database;
let adminSid: string;
let aliceId: number;

interface Login {
  sessionId: string;
  session: { handle: string };
}

beforeEach(async () => {
  h = await makeHarness();
  adminSid = await setupAdmin(h);
  await h.ok(1, 'admin:groups:create', { sessionId: adminSid, name: 'staff', permissions: [] });
  const alice = await h.ok<{ id: number }>(1, 'admin:users:create', {
    sessionId: adminSid, username: 'alice', password: OTHER_PASSWORD, groups: ['staff'], mustChangePassword: false,
  });
  aliceId = alice.id;
  db = new Database(join(h.dataDir, DB_FILE));
});

afterEach(async () => {
  db.close();
  await h.cleanup();
});

/** Makes one kind of write fail (RAISE(ABORT) in a trigger) until the returned function heals it. */
function breakWrite(sql: string): () => void {
  db.exec(`CREATE TRIGGER fault BEFORE ${sql} BEGIN SELECT RAISE(ABORT, 'injected fault'); END`);
  return () => db.exec('DROP TRIGGER fault');
}

const loginAlice = (sender: number, remember = false) =>
  h.ok<Login>(sender, 'auth:login', { username: 'alice', password: OTHER_PASSWORD, remember });
const aliceRow = () =>
  db.prepare('SELECT password_hash, password_changed_at, must_change_password, is_active FROM users WHERE id = ?').get(aliceId);
const sessionsOfAlice = () => db.prepare('SELECT count(*) FROM sessions WHERE user_id = ?').pluck().get(aliceId);

describe('a login whose last-login write fails', () => {
  it('answers INTERNAL and leaves no session behind, in memory or in the database', async () => {
    const heal = breakWrite("UPDATE OF last_login_at ON users WHEN NEW.username = 'alice'");
    expectPlainInternal(await h.call(2, 'auth:login', { username: 'alice', password: OTHER_PASSWORD }), GENERIC);
    expect(h.core.profilesOf(2)).toEqual([]);
    expect(sessionsOfAlice()).toBe(0);
    const sessions = await h.ok<{ total: number }>(1, 'admin:sessions:list', { sessionId: adminSid, userId: aliceId });
    expect(sessions.total).toBe(0);
    heal();
    await loginAlice(2);
    expect(h.core.profilesOf(2).map((p) => p.username)).toEqual(['alice']);
  });
});

describe('a password change whose session or remembered-device revocation fails', () => {
  it('admin set-password: all or nothing; the old password still works and the change is not half-made', async () => {
    await loginAlice(2);
    await loginAlice(3);
    const before = aliceRow();
    const heal = breakWrite(`DELETE ON sessions WHEN OLD.user_id = ${aliceId}`);
    expectPlainInternal(await h.call(1, 'admin:users:set-password', { sessionId: adminSid, userId: aliceId, password: NEW_PASSWORD }), GENERIC);
    heal();
    expect(aliceRow()).toEqual(before);
    await loginAlice(4);
    expect(await h.errorCode(5, 'auth:login', { username: 'alice', password: NEW_PASSWORD })).toBe('INVALID_CREDENTIALS');
  });

  it('admin set-password with the remembered-device revocation failing: nothing changes', async () => {
    await loginAlice(2, true);
    expect(db.prepare('SELECT count(*) FROM remembered_devices').pluck().get()).toBe(1);
    const before = aliceRow();
    const heal = breakWrite('DELETE ON remembered_devices');
    expectPlainInternal(await h.call(1, 'admin:users:set-password', { sessionId: adminSid, userId: aliceId, password: NEW_PASSWORD }), GENERIC);
    heal();
    expect(aliceRow()).toEqual(before);
    expect(db.prepare('SELECT count(*) FROM remembered_devices').pluck().get()).toBe(1);
    await loginAlice(4);
  });

  it("own change-password: the password stays as it was and the caller's session keeps working", async () => {
    const own = await loginAlice(2);
    await loginAlice(3);
    const before = aliceRow();
    const heal = breakWrite(`DELETE ON sessions WHEN OLD.user_id = ${aliceId}`);
    const reply = await h.call(2, 'account:change-password', { sessionId: own.sessionId, currentPassword: OTHER_PASSWORD, newPassword: NEW_PASSWORD });
    expectPlainInternal(reply, GENERIC);
    heal();
    expect(aliceRow()).toEqual(before);
    await h.ok(2, 'auth:activity', { sessionId: own.sessionId });
    await loginAlice(4);
  });
});

describe('a deactivation whose session revocation fails', () => {
  it('the user stays active in the database (no inactive user with live session rows)', async () => {
    await loginAlice(2);
    const heal = breakWrite(`DELETE ON sessions WHEN OLD.user_id = ${aliceId}`);
    expectPlainInternal(await h.call(1, 'admin:users:update', { sessionId: adminSid, userId: aliceId, isActive: false }), GENERIC);
    heal();
    expect(aliceRow()).toMatchObject({ is_active: 1 });
    await loginAlice(3);
  });
});

describe('session data the database refuses', () => {
  it.each([
    ['session:data:set', { key: 'draft', value: 'second' }],
    ['session:data:delete', { key: 'draft' }],
    ['session:data:clear', {}],
  ])('%s: the reply is INTERNAL and a read shows what is stored, not the refused value', async (channel, payload) => {
    const { sessionId } = await loginAlice(2);
    await h.ok(2, 'session:data:set', { sessionId, key: 'draft', value: 'first' });
    const heal = breakWrite('UPDATE OF data ON sessions WHEN NEW.data <> OLD.data');
    expectPlainInternal(await h.call(2, channel, { sessionId, ...payload }), GENERIC);
    heal();
    expect(await h.ok<unknown>(2, 'session:data:get', { sessionId, key: 'draft' })).toBe('first');
    expect(JSON.parse(db.prepare('SELECT data FROM sessions WHERE user_id = ?').pluck().get(aliceId) as string)).toEqual({ draft: 'first' });
  });
});

describe('the admin stays usable after every injected failure', () => {
  it('a fresh sign-in of the admin works and the audit trail has no trace of the aborted writes', async () => {
    const heal = breakWrite(`DELETE ON sessions WHEN OLD.user_id = ${aliceId}`);
    await loginAlice(2);
    await h.call(1, 'admin:users:set-password', { sessionId: adminSid, userId: aliceId, password: NEW_PASSWORD });
    heal();
    const audit = await h.ok<{ items: { type: string }[] }>(1, 'admin:audit:list', { sessionId: adminSid, type: 'password.changed' });
    expect(audit.items).toEqual([]);
    await h.ok(7, 'auth:login', { username: 'admin', password: STRONG_PASSWORD });
  });
});
