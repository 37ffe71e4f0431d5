import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LoginResult, SessionInfo, User } from '../../../../shared/dto';
import { OTHER_PASSWORD, STRONG_PASSWORD, makeHarness, type Harness } from '../../../support/core-harness';
import { TestRedis } from '../../../support/redis-server';

/**
 * Idle and absolute expiry through core.dispatch (DESIGN "Sessions"; standards
 * #39-42). Idle is 30 min (NIST 63B-3 AAL2), absolute 12 h; the sweeper runs every
 * 15 s. time.advance() fires the sweeper, time.jump() does not: the jump tests
 * prove that the very next call refuses an expired session on its own.
 */

const IDLE = 30 * 60_000;
const ABSOLUTE = 12 * 3_600_000;
const SWEEP = 15_000;
const MIN = 60_000;

let h: Harness;
let sessionEngine: 'sqlite' | 'memory' | 'redis' = 'sqlite';
// The redis engine runs on a redis-server this file starts (and stops).
let redis: TestRedis;
beforeAll(async () => {
  redis = await TestRedis.start();
});
afterAll(async () => {
  await redis.stop();
});
afterEach(async () => {
  await h?.cleanup();
  sessionEngine = 'sqlite';
});

async function start(settings: Record<string, unknown> = {}): Promise<{ admin: string; handle: string; t0: number }> {
  const store = sessionEngine === 'redis' ? { redisUrl: redis.url } : {};
  h = await makeHarness({ settings: { sessionEngine, ...store, sessionIdleTimeoutMs: IDLE, sessionAbsoluteTimeoutMs: ABSOLUTE, ...settings } });
  const t0 = h.time.now();
  const r = await h.ok<LoginResult>(1, 'setup:create-admin', { username: 'admin', password: STRONG_PASSWORD });
  return { admin: r.sessionId, handle: r.session.handle, t0 };
}

/** Creates a user who may sign in at once (admin is still in sudo mode right after setup). */
async function addUser(admin: string, username: string): Promise<void> {
  await h.ok(1, 'admin:users:create', { sessionId: admin, username, password: OTHER_PASSWORD, mustChangePassword: false });
}

const login = (sender: number, username: string, password = OTHER_PASSWORD) =>
  h.ok<LoginResult>(sender, 'auth:login', { username, password });

const ended = () => h.events.filter((e) => e.event === 'session:ended');
const locked = () => h.events.filter((e) => e.event === 'session:locked');
const poll = (sender: number, sessionId: string) =>
  h.ok<{ user: User | null; session: SessionInfo | null }>(sender, 'auth:session', { sessionId });

// The expiry rules are the manager's, whatever the engine stores: prove them on both.
describe.each(['sqlite', 'memory', 'redis'] as const)('%s session engine', (engine) => {
  beforeEach(() => {
    sessionEngine = engine;
  });

  describe('idle expiry', () => {
    it('keeps a session used every 29 minutes and refuses it after 30 idle minutes', async () => {
      const { admin } = await start();
      for (let i = 0; i < 3; i++) {
        h.time.advance(29 * MIN);
        expect((await h.call(1, 'prefs:get', { sessionId: admin })).ok).toBe(true);
      }
      h.time.advance(30 * MIN);
      expect(await h.errorCode(1, 'prefs:get', { sessionId: admin })).toBe('SESSION_INVALID');
      expect(ended().map((e) => e.payload.reason)).toEqual(['idle']);
    });

    it('is exact to the millisecond: idle - 1 ms is fine, idle ms is refused', async () => {
      const { admin, handle } = await start();
      h.time.jump(IDLE - 1);
      const a = await h.ok<{ idleExpiresAt: number }>(1, 'auth:activity', { sessionId: admin });
      expect(a.idleExpiresAt).toBe(h.time.now() + IDLE);
      h.time.jump(IDLE);
      expect(ended()).toHaveLength(0);
      expect(await h.errorCode(1, 'auth:activity', { sessionId: admin })).toBe('SESSION_INVALID');
      expect(ended()).toEqual([{ senderId: 1, event: 'session:ended', payload: { sessionId: admin, handle, reason: 'idle' } }]);
    });

    it('refuses on the next call even though the sweeper has not run, and the sweeper does not report it again', async () => {
      const { admin } = await start();
      h.time.jump(IDLE + 5 * MIN); // no timer fires
      expect(h.core.profilesOf(1)).toHaveLength(1); // nothing ended it yet
      expect(await h.errorCode(1, 'session:data:get', { sessionId: admin, key: 'k' })).toBe('SESSION_INVALID');
      expect(ended()).toHaveLength(1);
      h.time.advance(4 * SWEEP);
      expect(await h.core.sweep()).toBe(0);
      expect(await h.errorCode(1, 'prefs:get', { sessionId: admin })).toBe('SESSION_INVALID');
      expect(ended()).toHaveLength(1);
      expect(h.core.profilesOf(1)).toEqual([]);
    });

    it('does not count auth:session polling as activity (standards #41)', async () => {
      const { admin, t0 } = await start();
      for (let i = 1; i <= 20; i++) {
        h.time.advance(MIN);
        const s = await poll(1, admin);
        expect(s.user?.username).toBe('admin');
        expect(s.session?.lastActivityAt).toBe(t0);
      }
      h.time.advance(10 * MIN);
      expect(await poll(1, admin)).toEqual({ user: null, session: null });
      expect(await h.errorCode(1, 'auth:activity', { sessionId: admin })).toBe('SESSION_INVALID');
      expect(ended().map((e) => e.payload.reason)).toEqual(['idle']);
    });

    it('counts auth:activity as activity: a 60 s heartbeat keeps the session past the idle timeout', async () => {
      const { admin } = await start();
      for (let i = 1; i <= 40; i++) {
        h.time.advance(MIN);
        await h.ok(1, 'auth:activity', { sessionId: admin });
      }
      const s = await poll(1, admin);
      expect(s.session?.lastActivityAt).toBe(h.time.now());
      expect(ended()).toHaveLength(0);
    });

    it('idles each profile of one window on its own', async () => {
      const { admin } = await start();
      await addUser(admin, 'bob');
      const bob = (await login(1, 'bob')).sessionId;
      for (let i = 0; i < 8; i++) {
        h.time.advance(5 * MIN);
        await h.ok(1, 'auth:activity', { sessionId: bob });
      }
      expect(await h.errorCode(1, 'prefs:get', { sessionId: admin })).toBe('SESSION_INVALID');
      expect((await h.call(1, 'prefs:get', { sessionId: bob })).ok).toBe(true);
      expect(ended().map((e) => [e.payload.sessionId, e.payload.reason])).toEqual([[admin, 'idle']]);
      expect(h.core.profilesOf(1).map((p) => p.username)).toEqual(['bob']);
    });

    it('never lets lockAll turn an idled-out session into a locked one that an unlock could revive', async () => {
      const { admin, handle } = await start();
      h.time.jump(IDLE); // expired, and the sweeper has not run
      expect(await h.core.lockAll('lock-all')).toBe(0);
      expect(locked()).toEqual([]);
      expect(ended()).toEqual([{ senderId: 1, event: 'session:ended', payload: { sessionId: admin, handle, reason: 'idle' } }]);
      expect(await h.errorCode(1, 'auth:unlock', { sessionId: admin, password: STRONG_PASSWORD })).toBe('SESSION_INVALID');
      expect(ended()).toHaveLength(1);
    });
  });

  describe('absolute expiry', () => {
    it('ends a session 12 h after login despite constant activity (standards #39)', async () => {
      const { admin, t0 } = await start();
      for (let i = 0; i < 71; i++) {
        h.time.advance(10 * MIN);
        await h.ok(1, 'auth:activity', { sessionId: admin });
      }
      h.time.advance(10 * MIN - 1); // 12 h - 1 ms: still fine, and idle expiry is capped by the absolute one
      const a = await h.ok<{ idleExpiresAt: number }>(1, 'auth:activity', { sessionId: admin });
      expect(a.idleExpiresAt).toBe(t0 + ABSOLUTE);
      h.time.jump(1); // exactly 12 h, no sweep: the expiry instant itself is refused
      expect(h.time.now()).toBe(t0 + ABSOLUTE);
      expect(await h.errorCode(1, 'auth:activity', { sessionId: admin })).toBe('SESSION_INVALID');
      expect(ended().map((e) => e.payload.reason)).toEqual(['absolute']);
    });
  });

  describe('absolute expiry at lockAll', () => {
    it('ends (never locks) a session whose absolute expiry is this very millisecond', async () => {
      const { admin, t0 } = await start();
      for (let i = 0; i < 71; i++) {
        h.time.advance(10 * MIN);
        await h.ok(1, 'auth:activity', { sessionId: admin });
      }
      h.time.jump(t0 + ABSOLUTE - h.time.now()); // exactly 12 h; active 10 min ago, so not idle
      expect(await h.core.lockAll('lock-all')).toBe(0);
      expect(locked()).toEqual([]);
      expect(ended().map((e) => e.payload.reason)).toEqual(['absolute']);
    });
  });

  describe('sweeper', () => {
    it('ends due sessions and tells only the owning window, once', async () => {
      const { admin, handle } = await start();
      await addUser(admin, 'bob');
      h.time.advance(10 * MIN);
      const bob = await login(2, 'bob');
      h.time.advance(IDLE - 10 * MIN + SWEEP);
      // No call was made: the sweeper ended the admin's session and told window 1 only.
      expect(ended()).toEqual([{ senderId: 1, event: 'session:ended', payload: { sessionId: admin, handle, reason: 'idle' } }]);
      expect(h.core.profilesOf(1)).toEqual([]);
      expect(h.core.profilesOf(2).map((p) => p.handle)).toEqual([bob.session.handle]);
      expect(await h.errorCode(1, 'prefs:get', { sessionId: admin })).toBe('SESSION_INVALID');
      h.time.advance(10 * MIN);
      const events = ended();
      expect(events).toHaveLength(2);
      expect(events[1]).toEqual({
        senderId: 2,
        event: 'session:ended',
        payload: { sessionId: bob.sessionId, handle: bob.session.handle, reason: 'idle' },
      });
    });

    it('core.sweep() ends everything due now and answers how many', async () => {
      const { admin } = await start();
      await addUser(admin, 'bob');
      const bob = (await login(2, 'bob')).sessionId;
      h.time.jump(IDLE);
      expect(await h.core.sweep()).toBe(2);
      expect(await h.core.sweep()).toBe(0);
      expect(ended().map((e) => [e.senderId, e.payload.sessionId])).toEqual(
        expect.arrayContaining([[1, admin], [2, bob]]),
      );
      expect(ended()).toHaveLength(2);
    });
  });

  describe("idleAction 'lock'", () => {
    it('locks an idle session instead of ending it; unlock with the password rotates the ID', async () => {
      const { admin, handle } = await start({ idleAction: 'lock' });
      h.time.advance(IDLE + SWEEP);
      expect(locked()).toEqual([{ senderId: 1, event: 'session:locked', payload: { sessionId: admin, handle, reason: 'idle' } }]);
      expect(ended()).toHaveLength(0);
      expect(h.core.profilesOf(1).map((p) => p.locked)).toEqual([true]);
      expect(await h.errorCode(1, 'prefs:get', { sessionId: admin })).toBe('SESSION_LOCKED');
      h.time.advance(IDLE); // a locked session does not idle again
      expect(locked()).toHaveLength(1);
      const r = await h.ok<LoginResult>(1, 'auth:unlock', { sessionId: admin, password: STRONG_PASSWORD });
      expect(r.sessionId).not.toBe(admin);
      expect(r.session.locked).toBe(false);
      expect(await h.errorCode(1, 'prefs:get', { sessionId: admin })).toBe('SESSION_INVALID');
      expect((await h.call(1, 'prefs:get', { sessionId: r.sessionId })).ok).toBe(true);
      expect(h.core.profilesOf(1).map((p) => p.locked)).toEqual([false]);
    });

    it('locks on the refusing call before any sweep, and tells the window once', async () => {
      const { admin } = await start({ idleAction: 'lock' });
      h.time.jump(IDLE);
      expect(await h.errorCode(1, 'session:data:get', { sessionId: admin, key: 'k' })).toBe('SESSION_LOCKED');
      expect(locked().map((e) => e.payload.reason)).toEqual(['idle']);
      h.time.advance(3 * SWEEP);
      expect(locked()).toHaveLength(1);
    });

    it('refuses unlock after the absolute expiry (standards #42)', async () => {
      const { admin, t0 } = await start({ idleAction: 'lock' });
      h.time.jump(IDLE);
      expect(await h.errorCode(1, 'prefs:get', { sessionId: admin })).toBe('SESSION_LOCKED');
      h.time.jump(t0 + ABSOLUTE - h.time.now()); // the exact millisecond
      expect(await h.errorCode(1, 'auth:unlock', { sessionId: admin, password: STRONG_PASSWORD })).toBe('SESSION_INVALID');
      expect(ended().map((e) => e.payload.reason)).toEqual(['absolute']);
    });

    it('lets a sweep end a locked session at the exact millisecond of its absolute expiry, not before', async () => {
      const { admin, t0 } = await start({ idleAction: 'lock' });
      h.time.advance(IDLE + SWEEP);
      expect(locked()).toHaveLength(1);
      h.time.jump(t0 + ABSOLUTE - 1 - h.time.now());
      await h.core.sweep();
      expect(ended()).toEqual([]);
      h.time.jump(1);
      await h.core.sweep();
      expect(ended().map((e) => [e.payload.sessionId, e.payload.reason])).toEqual([[admin, 'absolute']]);
    });

    it('lets the sweeper end a locked session at its absolute expiry', async () => {
      const { admin, t0 } = await start({ idleAction: 'lock' });
      h.time.advance(IDLE + SWEEP);
      h.time.advance(t0 + ABSOLUTE + SWEEP - h.time.now());
      expect(ended().map((e) => [e.payload.sessionId, e.payload.reason])).toEqual([[admin, 'absolute']]);
      expect(h.core.profilesOf(1)).toEqual([]);
    });
  });
});

describe('activity persistence', () => {
  const hash = (id: string) => createHash('sha256').update(id).digest('hex');

  it('writes last_activity_at at most once per idle/10 while idle expiry stays exact', async () => {
    const { admin, t0 } = await start();
    const db = new Database(join(h.dataDir, 'accounts.db'), { readonly: true, fileMustExist: true });
    try {
      const stored = () =>
        db.prepare<[string], number>('SELECT last_activity_at FROM sessions WHERE hash = unhex(?)').pluck().get(hash(admin));
      expect(stored()).toBe(t0);
      const seen: number[] = [t0];
      for (let i = 1; i <= 30; i++) {
        h.time.advance(20_000);
        await h.ok(1, 'prefs:get', { sessionId: admin });
        const v = stored() as number;
        if (v !== seen[seen.length - 1]) seen.push(v);
      }
      // 30 calls over 10 min: the row changed only every 3 min (idle/10), not per call.
      expect(seen).toEqual([t0, t0 + 3 * MIN, t0 + 6 * MIN, t0 + 9 * MIN]);
      const last = h.time.now();
      expect((await poll(1, admin)).session?.lastActivityAt).toBe(last); // exact in memory
      // The row lags by a minute, yet the session lives until exactly last + idle.
      h.time.advance(IDLE - 1);
      expect((await poll(1, admin)).user?.username).toBe('admin');
      expect(stored()).toBe(last); // the sweeper looked early and caught the row up
      h.time.jump(1);
      expect(await poll(1, admin)).toEqual({ user: null, session: null });
      expect(ended().map((e) => e.payload.reason)).toEqual(['idle']);
    } finally {
      db.close();
    }
  });
});
