import { describe, expect, it } from 'vitest';
import { channels } from '../../shared/contract';
import type { Reply } from '../../shared/errors';
import type { AuthBackend } from '../../electron/core/index';
import { PASS } from '../../electron/core/auth/backends/auth-backend';
import { prehashPassword } from '../../electron/core/auth/password-hasher';
import { hashSessionId } from '../../electron/core/sessions/session-id';
import { makeHarness } from '../support/core-harness';
import { captureOutput, dumpTables, rawFiles, recordingLogger, whereFound } from './support/leak-scan';

/*
 * Item 7: secrets never leak. One run through every channel with canary passwords (setup,
 * sign-ins, change-password old and new, unlock, reauthenticate, admin create and
 * set-password, failed sign-ins with the canary typed into the USERNAME box, a backend
 * that throws with the password in its message) while every session ID issued is
 * recorded. Then neither a canary nor any session ID may appear in accounts.db, its WAL,
 * any table (audit_events included), any log line, anything written to stdout/stderr,
 * or any error reply. Replies and events may carry session IDs: that is their job.
 */

const TOKEN = 'Canary-7f3a9c';
const C = {
  admin: `${TOKEN} first é violet umbrella`,
  adminNew: `${TOKEN} second é marching slowly`,
  member: `${TOKEN} third é quiet lantern`,
  reset: `${TOKEN} fourth é copper meadow`,
  memberNew: `${TOKEN} fifth é frozen harbor`,
};
const TYPED_AS_USERNAME = `${TOKEN}-typed-into-the-username-box`;
/** Too short for the policy (12): refused, and it must still go nowhere. */
const SHORT = 'Cnry7f3a9c';

/** Throws with the password in its message for two magic names (as a careless plug-in would). */
const careless: AuthBackend = {
  async authenticate(credentials) {
    if (credentials.kind !== 'password') return PASS;
    if (credentials.identifier === 'explode') throw new Error(`backend failed for password ${credentials.password}`);
    if (credentials.identifier === 'explode-raw') throw `raw failure ${credentials.password}`;
    return PASS;
  },
};

describe('secrets never leak', () => {
  it('canary passwords and every session ID stay out of the database, the WAL, the logs and every error', { timeout: 60_000 }, async () => {
    const { logger, lines } = recordingLogger();
    const output = captureOutput();
    const h = await makeHarness({ logger, backends: { careless }, settings: { authBackends: ['careless', 'local-db', 'keychain'] } });
    const sessionIds = new Set<string>();
    const errors: string[] = [];
    const called = new Set<string>();
    // A shell listener that fails with the session ID in its message: the core logs the failure.
    const stopListener = h.core.onEvent((_s, _e, payload) => {
      throw new Error(`window gone for ${(payload as { sessionId?: string }).sessionId}`);
    });

    const call = async (sender: number, channel: string, payload: Record<string, unknown> = {}): Promise<Reply> => {
      called.add(channel);
      const r = await h.core.dispatch(sender, channel, payload);
      if (r.ok) {
        const id = (r.data as { sessionId?: unknown } | null)?.sessionId;
        if (typeof id === 'string') sessionIds.add(id);
      } else errors.push(JSON.stringify(r.error));
      return r;
    };
    const ok = async <T = Record<string, unknown>>(sender: number, channel: string, payload: Record<string, unknown> = {}) => {
      const r = await call(sender, channel, payload);
      if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
      return r.data as T;
    };
    const fails = async (code: string, sender: number, channel: string, payload: Record<string, unknown> = {}) => {
      const r = await call(sender, channel, payload);
      expect(r.ok ? 'OK' : r.error.code, channel).toBe(code);
    };
    type Login = { sessionId: string; session: { handle: string }; user: { id: number } };

    try {
      await ok(1, 'app:info');
      let admin = (await ok<Login>(1, 'setup:create-admin', { username: 'admin', password: C.admin })).sessionId;
      await fails('SETUP_ALREADY_DONE', 9, 'setup:create-admin', { username: 'again', password: C.admin });
      await ok(1, 'auth:session', { sessionId: admin });
      await ok(1, 'auth:activity', { sessionId: admin });
      await fails('INVALID_CREDENTIALS', 1, 'auth:reauthenticate', { sessionId: admin, password: `${C.admin}?` });
      await ok(1, 'auth:reauthenticate', { sessionId: admin, password: C.admin });

      // Admin creates a member, renames it, resets its password.
      const member = await ok<{ id: number }>(1, 'admin:users:create', { sessionId: admin, username: 'member', password: C.member, mustChangePassword: false });
      await fails('VALIDATION_ERROR', 1, 'admin:users:create', { sessionId: admin, username: TYPED_AS_USERNAME + ' x', password: C.member });
      await fails('PASSWORD_POLICY', 1, 'admin:users:create', { sessionId: admin, username: 'member2', password: SHORT });
      await ok(1, 'admin:users:update', { sessionId: admin, userId: member.id, displayName: 'Member One' });
      await ok(1, 'admin:users:set-password', { sessionId: admin, userId: member.id, password: C.reset });

      // The member signs in with the reset password and must change it.
      let m = (await ok<Login>(2, 'auth:login', { username: 'member', password: C.reset })).sessionId;
      await fails('PASSWORD_CHANGE_REQUIRED', 2, 'prefs:get', { sessionId: m });
      await fails('INVALID_CREDENTIALS', 2, 'account:change-password', { sessionId: m, currentPassword: C.member, newPassword: C.memberNew });
      await fails('PASSWORD_POLICY', 2, 'account:change-password', { sessionId: m, currentPassword: C.reset, newPassword: C.reset });
      m = (await ok<Login>(2, 'account:change-password', { sessionId: m, currentPassword: C.reset, newPassword: C.memberNew })).sessionId;
      // The strength meter sees the password as it is typed: it must leave no trace either.
      await ok(2, 'password:check', { password: C.memberNew, username: 'member' });

      // Stay signed in, then sign in from the keychain in another window.
      expect(await ok(3, 'auth:login', { username: 'member', password: C.memberNew, remember: true })).toMatchObject({ remembered: true });
      const fromKeychain = await ok<Login>(4, 'auth:login-remembered', { username: 'member' });
      await ok(4, 'profiles:list');
      await ok(4, 'profiles:activate', { sessionId: fromKeychain.sessionId });
      await fails('NOT_REMEMBERED', 5, 'auth:login-remembered', { username: TYPED_AS_USERNAME });
      await ok(5, 'profiles:forget', { username: TYPED_AS_USERNAME });

      // Failed sign-ins: the canary in the username box, as a username and as an email; a wrong canary password.
      await fails('INVALID_CREDENTIALS', 6, 'auth:login', { username: TYPED_AS_USERNAME, password: 'whatever it is 1' });
      await fails('INVALID_CREDENTIALS', 6, 'auth:login', { username: C.admin, password: C.admin });
      await fails('INVALID_CREDENTIALS', 6, 'auth:login', { username: `${TOKEN}@example.com`, password: C.member });
      await fails('INVALID_CREDENTIALS', 6, 'auth:login', { username: 'admin', password: `${C.admin}!` });
      // A backend that throws with the password in its message: INTERNAL, the message goes nowhere.
      await fails('INTERNAL', 6, 'auth:login', { username: 'explode', password: C.admin });
      await fails('INTERNAL', 6, 'auth:login', { username: 'explode-raw', password: C.member });

      // Lock and unlock (a wrong canary first), session data, profile, prefs.
      await ok(1, 'auth:lock', { sessionId: admin });
      await fails('SESSION_LOCKED', 1, 'prefs:get', { sessionId: admin });
      await fails('INVALID_CREDENTIALS', 1, 'auth:unlock', { sessionId: admin, password: C.member });
      admin = (await ok<Login>(1, 'auth:unlock', { sessionId: admin, password: C.admin })).sessionId;
      await ok(2, 'session:data:set', { sessionId: m, key: 'draft', value: { text: 'hello' } });
      await ok(2, 'session:data:get', { sessionId: m, key: 'draft' });
      await ok(2, 'session:data:delete', { sessionId: m, key: 'draft' });
      await ok(2, 'session:data:clear', { sessionId: m });
      await ok(2, 'account:update', { sessionId: m, displayName: 'Member Uno' });
      await ok(2, 'prefs:get', { sessionId: m });
      await ok(2, 'prefs:set', { sessionId: m, theme: 'dark' });
      await ok(2, 'account:sessions', { sessionId: m });
      await ok(2, 'account:revoke-session', { sessionId: m, handle: fromKeychain.session.handle });

      // The admin console.
      await ok(1, 'admin:users:list', { sessionId: admin, query: TOKEN });
      await ok(1, 'admin:groups:list', { sessionId: admin });
      await ok(1, 'admin:permissions:list', { sessionId: admin });
      const group = await ok<{ id: number }>(1, 'admin:groups:create', { sessionId: admin, name: 'editors', permissions: [] });
      await ok(1, 'admin:groups:update', { sessionId: admin, groupId: group.id, name: 'writers' });
      await ok(1, 'admin:groups:delete', { sessionId: admin, groupId: group.id });
      const sessions = await ok<{ items: { handle: string; userId: number }[] }>(1, 'admin:sessions:list', { sessionId: admin });
      const victim = sessions.items.find((s) => s.userId === member.id);
      await ok(1, 'admin:sessions:revoke', { sessionId: admin, handle: victim?.handle ?? '' });
      await ok(1, 'admin:audit:list', { sessionId: admin, limit: 500 });

      // The admin changes its own password; sessions idle out, lock, close; the app restarts.
      admin = (await ok<Login>(1, 'account:change-password', { sessionId: admin, currentPassword: C.admin, newPassword: C.adminNew })).sessionId;
      await ok(7, 'auth:login', { username: 'admin', password: C.adminNew });
      h.time.advance(16 * 60_000); // past the 15 min idle timeout: the sweeper ends them all
      admin = (await ok<Login>(1, 'auth:login', { username: 'admin', password: C.adminNew })).sessionId;
      let late = (await ok<Login>(8, 'auth:login', { username: 'member', password: C.memberNew })).sessionId;
      await h.core.lockAll('lock-all');
      admin = (await ok<Login>(1, 'auth:unlock', { sessionId: admin, password: C.adminNew })).sessionId;
      late = (await ok<Login>(8, 'auth:unlock', { sessionId: late, password: C.memberNew })).sessionId;
      await ok(8, 'auth:logout', { sessionId: late, forget: true });
      await ok(1, 'admin:users:delete', { sessionId: admin, userId: member.id });
      await ok(9, 'auth:login', { username: 'admin', password: C.adminNew });
      await h.core.senderClosed(9);
      await h.restart();
      admin = (await ok<Login>(1, 'auth:login', { username: 'admin', password: C.adminNew })).sessionId;

      for (const e of h.events) {
        const id = (e.payload as { sessionId?: unknown }).sessionId;
        if (typeof id === 'string') sessionIds.add(id);
      }
      const files = rawFiles(h.dataDir);
      const tables = dumpTables(h.dataDir);
      stopListener();
      await h.core.close();
      for (const [name, bytes] of rawFiles(h.dataDir)) files.set(`${name} (closed)`, bytes);
      output.stop();

      // The run covered what it claims.
      expect([...Object.keys(channels)].filter((c) => !called.has(c))).toEqual([]);
      expect(sessionIds.size).toBe(14); // every LoginResult of the run, each a fresh ID
      expect(h.events.some((e) => e.event === 'session:locked')).toBe(true);
      expect(h.events.some((e) => e.event === 'session:ended' && e.payload.reason === 'idle')).toBe(true);
      expect([...files.keys()]).toEqual(expect.arrayContaining(['accounts.db', 'accounts.db-wal']));
      expect(files.get('accounts.db-wal')?.length ?? 0).toBeGreaterThan(0);
      expect(lines.some((l) => l.includes('handler failed'))).toBe(true);
      expect(lines.some((l) => l.includes('event listener failed'))).toBe(true);
      // Positive control: the scan does see what is stored (hashes of session IDs, names).
      // (the hash is stored as its 32 raw bytes)
      const adminHash = Buffer.from(hashSessionId(admin), 'hex');
      expect([...files.values()].some((bytes) => Buffer.from(bytes).includes(adminHash))).toBe(true);
      expect(whereFound(tables, 'member')).toContain('audit_events');

      const texts = new Map<string, string>([
        ['log', lines.join('\n')],
        ['stdout/stderr', output.text()],
        ['error replies', errors.join('\n')],
      ]);
      for (const secret of [TOKEN, SHORT, ...Object.values(C), ...Object.values(C).map(prehashPassword)]) {
        expect(whereFound(files, secret), `${secret} on disk`).toEqual([]);
        expect(whereFound(tables, secret), `${secret} in a table`).toEqual([]);
        expect(whereFound(texts, secret), `${secret} in text`).toEqual([]);
      }
      for (const id of sessionIds) {
        expect(whereFound(files, id), `session ID ${id.slice(0, 6)}… on disk`).toEqual([]);
        expect(whereFound(tables, id), `session ID ${id.slice(0, 6)}… in a table`).toEqual([]);
        expect(whereFound(texts, id), `session ID ${id.slice(0, 6)}… in text`).toEqual([]);
      }
    } finally {
      output.stop();
      await h.cleanup();
    }
  });
});
