import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppInfo, LoginResult } from '../../../../shared/dto';
import { DB_FILE } from '../../../../electron/core/db/database';
import { hashSessionId } from '../../../../electron/core/sessions/session-id';
import { STRONG_PASSWORD, makeHarness, type Harness } from '../../../support/core-harness';
import { TestRedis } from '../../../support/redis-server';

/**
 * The redis engine's coherence with the outside world: sessions removed by another
 * station, redis-cli or the CLI, and sessions expired by their TTL, are refused on the
 * next call and reported to their window with the right reason within one sweep.
 */
const IDLE = 30 * 60_000;
const SWEEP = 15_000;

let redis: TestRedis;
const harnesses: Harness[] = [];
beforeAll(async () => {
  redis = await TestRedis.start();
});
afterAll(async () => {
  await redis.stop();
});
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.cleanup();
});

async function station(): Promise<Harness> {
  const h = await makeHarness({
    settings: { sessionEngine: 'redis', redisUrl: redis.url, sessionIdleTimeoutMs: IDLE, sweepIntervalMs: SWEEP },
  });
  harnesses.push(h);
  return h;
}

function installation(h: Harness): string {
  const db = new Database(join(h.dataDir, DB_FILE), { readonly: true });
  try {
    return db.prepare<[], string>('SELECT id FROM installation').pluck().get() as string;
  } finally {
    db.close();
  }
}

const keyOf = (h: Harness, sessionId: string) => `la:${installation(h)}:s:${hashSessionId(sessionId)}`;
const ended = (h: Harness) => h.events.filter((e) => e.event === 'session:ended').map((e) => e.payload.reason);

async function signedIn(h: Harness): Promise<string> {
  const r = await h.ok<LoginResult>(1, 'setup:create-admin', { username: 'admin', password: STRONG_PASSWORD });
  return r.sessionId;
}

describe('redis engine: coherence', () => {
  it('keeps the session in Redis under the installation prefix, and app:info reports the store', async () => {
    const h = await station();
    const id = await signedIn(h);
    const cli = redis.admin();
    expect(await cli.exists(keyOf(h, id))).toBe(1);
    expect(await cli.hget(keyOf(h, id), 'u')).toBe('1');
    const info = await h.ok<AppInfo>(1, 'app:info');
    expect(info.sessionStore).toEqual({ engine: 'redis', available: true });
    expect((await h.call(1, 'auth:activity', { sessionId: id })).ok).toBe(true);
  });

  it('a key deleted from outside (redis-cli DEL) is refused on the next call and ended as revoked', async () => {
    const h = await station();
    const id = await signedIn(h);
    await redis.admin().del(keyOf(h, id));
    expect(await h.errorCode(1, 'auth:activity', { sessionId: id })).toBe('SESSION_INVALID');
    expect(ended(h)).toEqual(['revoked']);
    expect(await h.errorCode(1, 'auth:activity', { sessionId: id })).toBe('SESSION_INVALID');
    expect(ended(h)).toEqual(['revoked']); // exactly one event
  });

  it('a key deleted from outside with no call from the window is reported by the next sweep', async () => {
    const h = await station();
    const id = await signedIn(h);
    await redis.admin().del(keyOf(h, id));
    expect(await h.core.sweep()).toBe(1);
    expect(ended(h)).toEqual(['revoked']);
    expect(await h.errorCode(1, 'auth:activity', { sessionId: id })).toBe('SESSION_INVALID');
  });

  it('the scheduled sweep (every sweepIntervalMs) tells the window, with no call and no manual sweep', async () => {
    const h = await station();
    const id = await signedIn(h);
    await redis.admin().del(keyOf(h, id));
    h.time.advance(SWEEP - 1);
    expect(ended(h)).toEqual([]);
    h.time.advance(1); // the sweeper's timer fires; its Redis check runs asynchronously
    await expect.poll(() => ended(h)).toEqual(['revoked']);
  });

  it('a key that ran out its TTL is reported as idle (by the core clock), not as revoked', async () => {
    const h = await station();
    const id = await signedIn(h);
    const cli = redis.admin();
    // The TTL is the idle deadline plus the throttling slack (idle/10), from the persisted activity.
    const ttl = await cli.pttl(keyOf(h, id));
    expect(ttl).toBeGreaterThan(IDLE);
    expect(ttl).toBeLessThanOrEqual(IDLE + IDLE / 10);
    h.time.jump(IDLE + IDLE / 10); // the core's clock reaches the key's deadline...
    await cli.pexpire(keyOf(h, id), 1); // ...and Redis's TTL fires (real time, made short)
    await expect.poll(() => cli.exists(keyOf(h, id))).toBe(0);
    expect(await h.core.sweep()).toBe(1);
    expect(ended(h)).toEqual(['idle']);
    // The expired key's index entries are cleaned too (the station knows whose it was).
    await expect.poll(() => cli.smembers(`la:${installation(h)}:u:1`)).toEqual([]);
    expect(await cli.zrange(`la:${installation(h)}:due`, '0', '-1')).toEqual([]);
  });

  it('activity refreshes the TTL only at the SQLite store\'s write rate (idle/10), not on every call', async () => {
    const h = await station();
    const id = await signedIn(h);
    const cli = redis.admin();
    const before = await cli.hget(keyOf(h, id), 'la');
    h.time.advance(IDLE / 10 - 1000);
    await h.ok(1, 'auth:activity', { sessionId: id });
    expect(await cli.hget(keyOf(h, id), 'la')).toBe(before);
    h.time.advance(1000);
    await h.ok(1, 'auth:activity', { sessionId: id });
    expect(await cli.hget(keyOf(h, id), 'la')).toBe(String(h.time.now()));
    // Re-armed from the new activity: a full idle period (plus slack) from now.
    expect(await cli.pttl(keyOf(h, id))).toBeGreaterThan(IDLE);
  });

  it('sign-out and lock reach Redis: the key goes, the lock is stored', async () => {
    const h = await station();
    const id = await signedIn(h);
    const cli = redis.admin();
    await h.ok(1, 'auth:lock', { sessionId: id });
    expect(await cli.hget(keyOf(h, id), 'l')).toBe('1');
    const key = keyOf(h, id);
    const unlocked = await h.ok<LoginResult>(1, 'auth:unlock', { sessionId: id, password: STRONG_PASSWORD });
    expect(await cli.exists(key)).toBe(0); // rotation: the old key is gone at once
    expect(await cli.hget(keyOf(h, unlocked.sessionId), 'l')).toBe('0');
    await h.ok(1, 'auth:logout', { sessionId: unlocked.sessionId });
    expect(await cli.exists(keyOf(h, unlocked.sessionId))).toBe(0);
    expect(await cli.smembers(`la:${installation(h)}:u:1`)).toEqual([]);
  });

  it('two stations on one Redis: each ends only its own leftovers at start', async () => {
    const a = await station();
    const b = await station();
    expect(installation(a)).not.toBe(installation(b));
    const idA = await signedIn(a);
    const idB = await signedIn(b);
    const cli = redis.admin();
    await a.restart();
    expect(await cli.exists(keyOf(a, idA))).toBe(0); // A's leftover ended by A's start
    expect(await cli.exists(keyOf(b, idB))).toBe(1); // B's session untouched
    expect((await b.call(1, 'auth:activity', { sessionId: idB })).ok).toBe(true);
    expect(ended(b)).toEqual([]);
    // B's admin revoking on B never reaches A's keys, and the reverse.
    const idA2 = await signedIn2(a);
    await b.restart();
    expect(await cli.exists(keyOf(a, idA2))).toBe(1);
    expect((await a.call(1, 'auth:activity', { sessionId: idA2 })).ok).toBe(true);
  });
});

describe('redis engine: settings and permissions', () => {
  it('works as the restricted ACL user the README describes (keys la:*, only the commands it uses)', async () => {
    const admin = redis.admin();
    // The README's ACL line, word for word.
    const rules = ('on >acl-Test-pw ~la:* resetchannels -@all +hset +hget +hgetall +hmget +exists +del +pexpire +sadd +srem ' +
      '+smembers +zadd +zrem +zrange +zrangebyscore +get +set +scan +evalsha +eval +script|load +ping +info +client|setname +select').split(' ');
    expect(await admin.call('ACL', 'SETUSER', 'station', ...rules)).toBe('OK');
    const h = await makeHarness({
      settings: { sessionEngine: 'redis', redisUrl: `redis://station:acl-Test-pw@127.0.0.1:${redis.port}/0` },
    });
    harnesses.push(h);
    expect((await h.ok<AppInfo>(1, 'app:info')).sessionStore).toEqual({ engine: 'redis', available: true });
    const id = await signedIn(h);
    await h.ok(1, 'session:data:set', { sessionId: id, key: 'theme', value: 'dark' });
    await h.ok(1, 'auth:lock', { sessionId: id });
    const next = await h.ok<LoginResult>(1, 'auth:unlock', { sessionId: id, password: STRONG_PASSWORD });
    expect(await h.core.sweep()).toBe(0);
    await h.ok(1, 'auth:logout', { sessionId: next.sessionId });
    await signedIn2(h);
    await h.restart(); // ends the leftovers: SCAN + scripts
    expect((await h.ok<AppInfo>(1, 'app:info')).sessionStore?.available).toBe(true);
    expect(await admin.keys(`la:${installation(h)}:s:*`)).toEqual([]);
  });

  it('refuses to start on a TLS file it cannot read, naming the setting', async () => {
    await expect(
      makeHarness({ settings: { sessionEngine: 'redis', redisUrl: 'rediss://127.0.0.1:1', redisTls: { caFile: '/nonexistent/ca.pem' } } }),
    ).rejects.toThrow(/"redisTls.caFile" cannot be read \(ENOENT\)/);
  });
});

async function signedIn2(h: Harness): Promise<string> {
  const r = await h.ok<LoginResult>(1, 'auth:login', { username: 'admin', password: STRONG_PASSWORD });
  return r.sessionId;
}
