import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LoginResult } from '../../../shared/dto';
import { openDatabase } from '../../../electron/core/db/database';
import { hashSessionId } from '../../../electron/core/sessions/session-id';
import { installationId, keyPrefix } from '../../../electron/core/sessions/stores/redis-sessions';
import { OTHER_PASSWORD, STRONG_PASSWORD, makeHarness, type Harness } from '../../support/core-harness';
import { FakeTime } from '../../support/fake-time';
import { SLOW, expectNoStack, manage, pair, sessionRow } from '../../support/manage-runner';
import { TestRedis } from '../../support/redis-server';
import { RedisSessionStore } from '../../../electron/core/sessions/stores/redis-session-store';

/**
 * `manage` with sessionEngine 'redis': deactivate, changepassword and clearsessions end
 * the sessions in Redis (by the user's index), and the running app refuses them on
 * their next call with the reason its window should show.
 */
let redis: TestRedis;
let dir: string;
let h: Harness;

beforeAll(async () => {
  redis = await TestRedis.start();
});
afterAll(async () => {
  await redis.stop();
});
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'manage-redis-'));
  writeFileSync(join(dir, 'settings.json'), JSON.stringify({ bcryptCost: 4, sessionEngine: 'redis', redisUrl: redis.url }));
  // The app's clock is the real one here: the CLI judges expiry by the real time.
  const time = new FakeTime(Date.now());
  h = await makeHarness({ dataDir: dir, clock: time, scheduler: time });
});
afterEach(async () => {
  await h.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const prefix = () => {
  const db = openDatabase(dir, { readonly: true });
  try {
    return keyPrefix(installationId(db));
  } finally {
    db.close();
  }
};
const exists = (id: string) => redis.admin().exists(`${prefix()}s:${hashSessionId(id)}`);
const reasons = () => h.events.filter((e) => e.event === 'session:ended').map((e) => e.payload.reason);

async function adminAndBob(): Promise<{ admin: string; bob: string[] }> {
  const admin = (await h.ok<LoginResult>(1, 'setup:create-admin', { username: 'admin', password: STRONG_PASSWORD })).sessionId;
  await h.ok(1, 'admin:users:create', { sessionId: admin, username: 'bob', password: OTHER_PASSWORD, mustChangePassword: false });
  const bob = [];
  for (const sender of [2, 3]) bob.push((await h.ok<LoginResult>(sender, 'auth:login', { username: 'bob', password: OTHER_PASSWORD })).sessionId);
  return { admin, bob };
}

describe('manage with the redis engine', () => {
  it('deactivate ends the user\'s sessions in Redis; the app refuses them as deactivated', SLOW, async () => {
    const { admin, bob } = await adminAndBob();
    const r = manage(['deactivate', 'bob', '--data-dir', dir]);
    expectNoStack(r);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('ended 2 sessions');
    expect(await exists(bob[0]!)).toBe(0);
    expect(await exists(bob[1]!)).toBe(0);
    expect(await exists(admin)).toBe(1);
    expect(await h.errorCode(2, 'auth:activity', { sessionId: bob[0] })).toBe('SESSION_INVALID');
    expect(await h.core.sweep()).toBe(1);
    expect(reasons()).toEqual(['deactivated', 'deactivated']);
    expect((await h.call(1, 'auth:activity', { sessionId: admin })).ok).toBe(true);
  });

  it('changepassword ends the user\'s sessions in Redis; the app reports them revoked', SLOW, async () => {
    const { admin, bob } = await adminAndBob();
    const r = manage(['changepassword', 'bob', '--data-dir', dir], pair('a brand new passphrase 77'));
    expectNoStack(r);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('ended 2 sessions');
    expect(await h.errorCode(3, 'auth:activity', { sessionId: bob[1] })).toBe('SESSION_INVALID');
    expect(reasons()).toEqual(['revoked']);
    expect((await h.call(1, 'auth:activity', { sessionId: admin })).ok).toBe(true);
  });

  it('clearsessions removes sessions past their deadline from Redis, and only those', SLOW, async () => {
    const { admin } = await adminAndBob();
    const store = new RedisSessionStore({ client: redis.admin(), prefix: prefix(), now: () => Date.now(), idleTtlMs: -1 });
    // Idle by its persisted activity (2 h ago; idle is 15 min), its key still alive (absolute in 1 h).
    const now = Date.now();
    const stale = sessionRow(1, { lastActivityAt: now - 7_200_000, dueAt: now - 6_000_000, absoluteExpiresAt: now + 3_600_000 });
    await store.insert(stale);
    const r = manage(['clearsessions', '--data-dir', dir]);
    expectNoStack(r);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Removed 1 expired session');
    expect(await store.exists(stale.hash)).toBe(false);
    expect(await exists(admin)).toBe(1);
  });

  it('refuses, changing nothing, when Redis cannot be reached', SLOW, async () => {
    await adminAndBob();
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ bcryptCost: 4, sessionEngine: 'redis', redisUrl: 'redis://127.0.0.1:1' }));
    const r = manage(['deactivate', 'bob', '--data-dir', dir]);
    expectNoStack(r);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/session server \(Redis\) cannot be reached/);
    const db = openDatabase(dir, { readonly: true });
    try {
      expect(db.prepare("SELECT is_active FROM users WHERE username = 'bob'").pluck().get()).toBe(1);
    } finally {
      db.close();
    }
  });
});
