import { afterEach, describe, expect, it } from 'vitest';
import type { AppInfo, LoginResult } from '../../shared/dto';
import { hashSessionId } from '../../electron/core/sessions/session-id';
import type { Logger } from '../../electron/core/log';
import { STRONG_PASSWORD, makeHarness, type Harness } from '../support/core-harness';
import { TestRedis, freePort, until } from '../support/redis-server';

/**
 * The redis engine when Redis fails: killed and restarted mid-run, stalled, or not
 * there at start. The app never crashes, never falls back to another engine, answers
 * STORE_UNAVAILABLE while it cannot reach the store, reconnects by itself, and loses
 * no live session when Redis comes back empty.
 *
 * Reconnection runs on ioredis's real timers (a backoff from 100 ms), so these tests
 * wait for the EVENT (app:info reporting the store available again), never a fixed time.
 */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function server(): Promise<TestRedis> {
  const r = await TestRedis.start();
  cleanups.push(() => r.stop());
  return r;
}

async function station(url: string, logger?: Logger): Promise<Harness> {
  const h = await makeHarness({
    settings: { sessionEngine: 'redis', redisUrl: url, redisCommandTimeoutMs: 250 },
    ...(logger ? { logger } : {}),
  });
  cleanups.push(() => h.cleanup());
  return h;
}

const storeOf = async (h: Harness) => (await h.ok<AppInfo>(1, 'app:info')).sessionStore;
const available = (h: Harness) => until(async () => (await storeOf(h))?.available === true, 'the store to be available', 1000);
const login = (h: Harness, sender = 1) =>
  h.ok<LoginResult>(sender, 'auth:login', { username: 'admin', password: STRONG_PASSWORD });

describe('redis engine: faults', () => {
  it('redis-server killed and restarted empty: STORE_UNAVAILABLE meanwhile, then every live session is back', async () => {
    const redis = await server();
    const h = await station(redis.url);
    const kept = (await h.ok<LoginResult>(1, 'setup:create-admin', { username: 'admin', password: STRONG_PASSWORD })).sessionId;
    const leaving = (await login(h, 2)).sessionId;

    await redis.kill();
    await until(async () => (await storeOf(h))?.available === false, 'the outage to be seen');
    expect(await h.errorCode(1, 'auth:activity', { sessionId: kept })).toBe('STORE_UNAVAILABLE');
    expect(await h.errorCode(3, 'auth:login', { username: 'admin', password: STRONG_PASSWORD })).toBe('STORE_UNAVAILABLE');
    const info = await storeOf(h);
    expect(info).toMatchObject({ engine: 'redis', available: false });
    expect(info?.reason).toMatch(/session server/);
    // Signing out still works (it only removes access); the sweep ends nothing it cannot check.
    expect((await h.call(2, 'auth:logout', { sessionId: leaving })).ok).toBe(true);
    expect(await h.core.sweep()).toBe(0);
    expect(h.events.filter((e) => e.event === 'session:ended').map((e) => e.payload.reason)).toEqual(['logout']);

    await redis.launch(); // same port, no data: everything Redis held is gone
    await available(h);
    expect((await h.call(1, 'auth:activity', { sessionId: kept })).ok).toBe(true);
    const cli = redis.admin();
    const keys = await cli.keys('la:*:s:*');
    expect(keys.map((k) => k.split(':').pop())).toEqual([hashSessionId(kept)]); // written back; the signed-out one not
    expect((await login(h, 3)).sessionId).toMatch(/./);
    expect(h.events.filter((e) => e.event === 'session:ended').map((e) => e.payload.reason)).toEqual(['logout']);
  });

  it('an outage while Redis keeps its data: the station\'s own writes are replayed, an outside deletion is never undone', async () => {
    const redis = await server();
    const h = await station(redis.url);
    const a = (await h.ok<LoginResult>(1, 'setup:create-admin', { username: 'admin', password: STRONG_PASSWORD })).sessionId;
    const b = (await login(h, 2)).sessionId;
    const c = (await login(h, 3)).sessionId;
    const cli = redis.admin();
    const key = (id: string) => `la:*:s:${hashSessionId(id)}`;
    const [keyA] = await cli.keys(key(a));
    // The station is cut off (its reconnections are refused) while Redis and its keys stay up.
    await cli.config('SET', 'requirepass', 'cut-off');
    await cli.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
    await until(async () => (await storeOf(h))?.available === false, 'the outage to be seen');
    expect((await h.call(2, 'auth:logout', { sessionId: b })).ok).toBe(true); // journalled
    expect(await h.core.lockAll('lock-all')).toBe(2); // two writes journalled (a and c)
    await cli.del(keyA as string); // another station's admin ends a meanwhile
    await cli.call('CONFIG', 'SET', 'requirepass', '');
    await available(h);
    expect(await cli.keys(key(b))).toEqual([]); // the sign-out reached Redis
    expect(await cli.keys(key(a))).toEqual([]); // the lock did not re-create a
    const [keyC] = await cli.keys(key(c));
    expect(await cli.hget(keyC as string, 'l')).toBe('1'); // the lock reached c
    expect(await h.errorCode(1, 'auth:activity', { sessionId: a })).toBe('SESSION_INVALID');
    expect(h.events.filter((e) => e.event === 'session:ended').map((e) => e.payload.reason)).toEqual(['logout', 'revoked']);
    expect((await h.call(3, 'auth:unlock', { sessionId: c, password: STRONG_PASSWORD })).ok).toBe(true);
  });

  it('a stalled server: the call fails with STORE_UNAVAILABLE after the command timeout, then recovers', async () => {
    const redis = await server();
    const h = await station(redis.url);
    const id = (await h.ok<LoginResult>(1, 'setup:create-admin', { username: 'admin', password: STRONG_PASSWORD })).sessionId;
    // The server answers nobody for 1 s (once it has said OK, the pause is on).
    expect(await redis.admin().client('PAUSE', '1000', 'ALL')).toBe('OK');
    expect(await h.errorCode(1, 'auth:activity', { sessionId: id })).toBe('STORE_UNAVAILABLE');
    expect(await storeOf(h)).toMatchObject({ available: false, reason: 'the session server is not answering' });
    await until(async () => (await h.call(1, 'auth:activity', { sessionId: id })).ok, 'the call to succeed again');
    expect(await storeOf(h)).toEqual({ engine: 'redis', available: true });
    expect(h.events.filter((e) => e.event === 'session:ended')).toEqual([]);
  });

  it('Redis unreachable at start: the app starts and says so, refuses sign-in, and connects when Redis appears', async () => {
    const port = await freePort();
    const logs: string[] = [];
    const logger: Logger = {
      warn: (m, c) => logs.push(`${m} ${JSON.stringify(c ?? {})}`),
      error: (m, c) => logs.push(`${m} ${JSON.stringify(c ?? {})}`),
    };
    const h = await station(`redis://127.0.0.1:${port}`, logger);
    const info = await storeOf(h);
    expect(info).toMatchObject({ engine: 'redis', available: false });
    expect(await h.errorCode(1, 'setup:create-admin', { username: 'admin', password: STRONG_PASSWORD })).toBe('STORE_UNAVAILABLE');
    // Nothing was half-created: no session, and the failed sign-in's user can sign in later.
    const redis = await TestRedis.startOn(port);
    cleanups.push(() => redis.stop());
    await available(h);
    const setup = await h.call(1, 'setup:create-admin', { username: 'admin', password: STRONG_PASSWORD });
    const id = setup.ok ? (setup.data as LoginResult).sessionId : (await login(h)).sessionId;
    expect((await h.call(1, 'auth:activity', { sessionId: id })).ok).toBe(true);
  });

  it('rediss:// with the CA of redisTls connects; without it the server certificate is refused', async () => {
    const { redis, caFile } = await TestRedis.startTls();
    cleanups.push(() => redis.stop());
    const trusted = await makeHarness({
      settings: { sessionEngine: 'redis', redisUrl: `rediss://localhost:${redis.port}`, redisTls: { caFile } },
    });
    cleanups.push(() => trusted.cleanup());
    expect(await storeOf(trusted)).toEqual({ engine: 'redis', available: true });
    const id = (await trusted.ok<LoginResult>(1, 'setup:create-admin', { username: 'admin', password: STRONG_PASSWORD })).sessionId;
    expect((await trusted.call(1, 'auth:activity', { sessionId: id })).ok).toBe(true);

    const untrusted = await station(`rediss://localhost:${redis.port}`);
    expect(await storeOf(untrusted)).toEqual({
      engine: 'redis',
      available: false,
      reason: "the session server's TLS certificate is not trusted",
    });
  });

  it('never logs or reports the password of redisUrl', async () => {
    const redis = await server();
    const logs: string[] = [];
    const logger: Logger = {
      warn: (m, c) => logs.push(`${m} ${JSON.stringify(c ?? {})}`),
      error: (m, c) => logs.push(`${m} ${JSON.stringify(c ?? {})}`),
    };
    // The test server has no password for this user: the connection is refused.
    const h = await station(`redis://station:pw-Secret-42@127.0.0.1:${redis.port}`, logger);
    const info = await storeOf(h);
    expect(info?.available).toBe(false);
    expect(JSON.stringify(info)).not.toContain('pw-Secret-42');
    expect(logs.join('\n')).not.toContain('pw-Secret-42');
    expect(await h.errorCode(1, 'setup:create-admin', { username: 'admin', password: STRONG_PASSWORD })).toBe('STORE_UNAVAILABLE');
  });
});
