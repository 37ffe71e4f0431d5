/**
 * Concurrency with the manage CLI (reliability issue, item 5). A core serves the data
 * folder in this process, writing without pause, while a second process changes it:
 * `manage changepassword`, `manage deactivate`, `manage clearsessions`. Afterwards:
 * - no lost writes: every write the core answered ok is in the file, and so is the
 *   other process's change;
 * - the serving core sees the change on its very next call (no sweep, no clock move):
 *   the affected sessions are refused at once, with one session:ended each.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DB_FILE } from '../../electron/core/db/database';
import type { Core } from '../../electron/core/index';
import { FakeTime } from '../support/fake-time';
import { runScript, type Finished, type Running } from './child-process';
import { OTHER_PASSWORD, STRONG_PASSWORD, ok, startCore } from './fault-support';

const NEW_PASSWORD = 'saffron kettle drifting north';
const HOUR = 3_600_000;
const MANAGE = 'electron/cli/manage.ts';

interface Login {
  sessionId: string;
  session: { handle: string };
}
interface Ended {
  senderId: number;
  handle: string;
  reason: string;
}

let dataDir: string;
let core: Core;
let time: FakeTime;
let ended: Ended[];
let adminSid: string;
let adminSender: number;

/** A core on a fresh folder whose settings.json the CLI reads too; admin, alice and bob. */
async function serve(start: number, settings: Record<string, unknown> = {}): Promise<void> {
  writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ bcryptCost: 4, ...settings }));
  time = new FakeTime(start);
  core = await startCore(dataDir, time);
  ended = [];
  core.onEvent((senderId, event, payload) => {
    if (event === 'session:ended') {
      const p = payload as { handle: string; reason: string };
      ended.push({ senderId, handle: p.handle, reason: p.reason });
    }
  });
  adminSender = 1;
  adminSid = (await ok<Login>(core, 1, 'setup:create-admin', { username: 'admin', password: STRONG_PASSWORD })).sessionId;
  await ok(core, 1, 'admin:groups:create', { sessionId: adminSid, name: 'staff', permissions: [] });
  for (const username of ['alice', 'bob']) {
    await ok(core, 1, 'admin:users:create', { sessionId: adminSid, username, password: OTHER_PASSWORD, groups: ['staff'], mustChangePassword: false });
  }
}

const login = (sender: number, username: string, remember = false) =>
  ok<Login>(core, sender, 'auth:login', { username, password: OTHER_PASSWORD, remember });

/**
 * Keeps the core writing (bob's session data, and a new user every 4th turn) until the
 * child exits; every write must succeed. Yields to the event loop between calls so
 * the child's exit is noticed. Returns the child's result and what was written.
 */
async function writeWhile(run: Running, bobSid: string): Promise<{ result: Finished; counter: number; users: string[] }> {
  let exited = false;
  const finished = run.finished.then((r) => ((exited = true), r));
  let counter = 0;
  const users: string[] = [];
  while (!exited) {
    counter++;
    await ok(core, 4, 'session:data:set', { sessionId: bobSid, key: 'counter', value: counter });
    if (counter % 4 === 0) {
      const username = `w${counter}`;
      await ok(core, adminSender, 'admin:users:create', { sessionId: adminSid, username, password: STRONG_PASSWORD });
      users.push(username);
    }
    await new Promise<void>((resume) => setImmediate(resume));
  }
  return { result: await finished, counter, users };
}

/** What the file holds now, through a connection of its own (read-only). */
function stored<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(join(dataDir, DB_FILE), { readonly: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** None of the core's writes was lost: the last counter and every user it created are in the file. */
function expectNoLostWrites(written: { counter: number; users: string[] }, bobHandle: string): void {
  expect(written.counter).toBeGreaterThan(0);
  stored((db) => {
    const data = db.prepare('SELECT data FROM sessions WHERE substr(lower(hex(hash)), 1, 16) = ?').pluck().get(bobHandle) as string;
    expect(JSON.parse(data)).toEqual({ counter: written.counter });
    const names = db.prepare('SELECT username FROM users').pluck().all();
    expect(names).toEqual(expect.arrayContaining(written.users));
  });
}

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'cli-concurrency-'));
});

afterEach(async () => {
  await core?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('manage changepassword while the core serves the same folder', () => {
  it("ends alice's sessions and remembered sign-in; the core refuses them on the next call; no write lost", async () => {
    await serve(Date.now());
    const a2 = await login(2, 'alice', true);
    const a3 = await login(3, 'alice');
    const bob = await login(4, 'bob');

    const run = runScript(MANAGE, ['changepassword', 'alice', '--data-dir', dataDir], `${NEW_PASSWORD}\n${NEW_PASSWORD}\n`);
    const written = await writeWhile(run, bob.sessionId);
    expect(written.result.stderr).not.toMatch(/error/i);
    expect(written.result.code).toBe(0);
    expect(written.result.stdout).toMatch(/Password changed for .alice.; ended 2 sessions\./);
    expect(written.result.stdout).toContain('Revoked the remembered sign-in on this computer.');

    // Seen on the next call, before any sweep: both of alice's sessions, one event each.
    expect(ended).toEqual([]);
    expect((await core.dispatch(2, 'auth:activity', { sessionId: a2.sessionId })).ok).toBe(false);
    expect((await core.dispatch(3, 'session:data:get', { sessionId: a3.sessionId, key: 'x' })).ok).toBe(false);
    expect(ended).toEqual([
      { senderId: 2, handle: a2.session.handle, reason: 'revoked' },
      { senderId: 3, handle: a3.session.handle, reason: 'revoked' },
    ]);
    expect(core.profilesOf(2)).toEqual([]);
    expect(await core.sweep()).toBe(0); // nothing left for the sweeper to find

    expectNoLostWrites(written, bob.session.handle);
    await ok(core, 4, 'auth:activity', { sessionId: bob.sessionId });
    const old = await core.dispatch(5, 'auth:login', { username: 'alice', password: OTHER_PASSWORD });
    expect(old.ok ? 'ok' : old.error.code).toBe('INVALID_CREDENTIALS');
    await ok(core, 5, 'auth:login', { username: 'alice', password: NEW_PASSWORD });
    const remembered = await core.dispatch(6, 'auth:login-remembered', { username: 'alice' });
    expect(remembered.ok ? 'ok' : remembered.error.code).toBe('NOT_REMEMBERED');
  });
});

describe('manage deactivate while the core serves', () => {
  it('the deactivated user is refused at once on the next call (no sweep), told why; no write lost', async () => {
    await serve(Date.now());
    const a2 = await login(2, 'alice', true);
    const bob = await login(4, 'bob');

    const run = runScript(MANAGE, ['deactivate', 'alice', '--data-dir', dataDir]);
    const written = await writeWhile(run, bob.sessionId);
    expect(written.result.stderr).not.toMatch(/error/i);
    expect(written.result.code).toBe(0);
    expect(written.result.stdout).toMatch(/Deactivated .alice.; ended 1 session\./);
    expect(written.result.stdout).toContain('Revoked the remembered sign-in on this computer.');

    const reply = await core.dispatch(2, 'auth:activity', { sessionId: a2.sessionId });
    expect(reply.ok ? 'ok' : reply.error.code).toBe('SESSION_INVALID');
    // The CLI removed the row with the flag, in one transaction: the window is told the
    // reason (deactivated), not a bare 'revoked'.
    expect(ended).toEqual([{ senderId: 2, handle: a2.session.handle, reason: 'deactivated' }]);
    const again = await core.dispatch(2, 'auth:login', { username: 'alice', password: OTHER_PASSWORD });
    expect(again.ok ? 'ok' : again.error.code).toBe('ACCOUNT_DISABLED');
    const remembered = await core.dispatch(6, 'auth:login-remembered', { username: 'alice' });
    expect(remembered.ok ? 'ok' : remembered.error.code).toBe('NOT_REMEMBERED');
    expectNoLostWrites(written, bob.session.handle);
    stored((db) => expect(db.prepare("SELECT is_active FROM users WHERE username = 'alice'").pluck().get()).toBe(0));
  });
});

describe('manage clearsessions while the core serves', () => {
  it('removes only the rows expired by its clock; the core refuses exactly those on the next call; no write lost', async () => {
    // The CLI reads the real clock; the core runs 2 h behind it on fake time, idle timeout
    // 1 h for both. Sessions from the core's t0 are idle past the CLI's cut-off (1 h plus
    // its 6 min margin); those made 59 fake minutes later are not.
    await serve(Date.now() - 2 * HOUR, { sessionIdleTimeoutMs: HOUR });
    const staleAlice = await login(2, 'alice');
    time.jump(59 * 60_000);
    const bob = await login(4, 'bob');
    const setupSid = adminSid; // admin's setup session (sender 1) is from t0 too
    const admin = await ok<Login>(core, 5, 'auth:login', { username: 'admin', password: STRONG_PASSWORD });
    adminSid = admin.sessionId;
    adminSender = 5;

    const run = runScript(MANAGE, ['clearsessions', '--data-dir', dataDir]);
    const written = await writeWhile(run, bob.sessionId);
    expect(written.result.code).toBe(0);
    expect(written.result.stdout).toContain('Removed 2 expired sessions.');

    for (const [sender, sessionId] of [[2, staleAlice.sessionId], [1, setupSid]] as const) {
      const reply = await core.dispatch(sender, 'auth:activity', { sessionId });
      expect(reply.ok ? 'ok' : reply.error.code).toBe('SESSION_INVALID');
    }
    expect(ended).toEqual([
      { senderId: 2, handle: staleAlice.session.handle, reason: 'revoked' },
      { senderId: 1, handle: expect.any(String), reason: 'revoked' },
    ]);
    await ok(core, 4, 'auth:activity', { sessionId: bob.sessionId });
    await ok(core, 5, 'auth:activity', { sessionId: admin.sessionId });
    expectNoLostWrites(written, bob.session.handle);
  });
});
