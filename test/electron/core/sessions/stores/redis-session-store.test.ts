import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { hashSessionId, newSessionId } from '../../../../../electron/core/sessions/session-id';
import type { StoredSession } from '../../../../../electron/core/sessions/session-store';
import { RedisSessionStore } from '../../../../../electron/core/sessions/stores/redis-session-store';
import { TestRedis } from '../../../../support/redis-server';
import { describeSessionStoreContract } from './session-store-contract';

const T0 = Date.UTC(2026, 0, 1, 9, 0, 0);
const MIN = 60_000;

let redis: TestRedis;
let n = 0;

beforeAll(async () => {
  redis = await TestRedis.start();
});
afterAll(async () => {
  await redis.stop();
});

/** A store on its own prefix (a fresh "installation") and its own client. */
function open(now = () => T0, idleTtlMs = -1): { store: RedisSessionStore; client: Redis; prefix: string } {
  const client = new Redis({ host: '127.0.0.1', port: redis.port });
  const prefix = `la:test${++n}:`;
  return { store: new RedisSessionStore({ client, prefix, now, idleTtlMs }), client, prefix };
}

describeSessionStoreContract('RedisSessionStore', () => {
  const o = open();
  return { store: o.store, userIds: [1, 2, 3], cleanup: () => o.client.disconnect() };
});

describe('RedisSessionStore specifics', () => {
  const session = (over: Partial<StoredSession> = {}): StoredSession => ({
    hash: hashSessionId(newSessionId()),
    userId: 1,
    senderId: 1,
    backend: 'model',
    createdAt: T0,
    lastActivityAt: T0,
    absoluteExpiresAt: T0 + 60 * MIN,
    dueAt: T0 + 15 * MIN,
    locked: false,
    authAt: T0,
    data: '{}',
    ...over,
  });

  it('keys carry the installation prefix, the hash only, and a TTL of the earlier deadline plus the write slack', async () => {
    const idle = 15 * MIN;
    const { store, client, prefix } = open(() => T0, idle + idle / 10);
    try {
      const id = newSessionId();
      const s = session({ hash: hashSessionId(id) });
      await store.insert(s);
      const keys = await client.keys(`${prefix}*`);
      expect(keys.sort()).toEqual([`${prefix}due`, `${prefix}s:${s.hash}`, `${prefix}u:1`].sort());
      const stored = await client.hgetall(`${prefix}s:${s.hash}`);
      expect(Object.values(stored).some((v) => v.includes(id))).toBe(false);
      // Idle deadline (T0 + 16.5 min) is earlier than the absolute one (T0 + 60 min).
      const ttl = await client.pttl(`${prefix}s:${s.hash}`);
      expect(ttl).toBeLessThanOrEqual(idle + idle / 10);
      expect(ttl).toBeGreaterThan(idle);
      // Locked: only the absolute deadline counts.
      await store.update(s.hash, { locked: true });
      expect(await client.pttl(`${prefix}s:${s.hash}`)).toBeGreaterThan(idle + idle / 10);
      // Activity refreshes the TTL from the persisted activity: T0 + 40 min + 16.5 min.
      await store.update(s.hash, { locked: false, lastActivityAt: T0 + 40 * MIN });
      const refreshed = await client.pttl(`${prefix}s:${s.hash}`);
      expect(refreshed).toBeGreaterThan(55 * MIN);
      expect(refreshed).toBeLessThanOrEqual(56.5 * MIN);
    } finally {
      client.disconnect();
    }
  });

  it('a key expired by TTL disappears from get, lists and counts, and its index entries are cleaned', async () => {
    const { store, client, prefix } = open();
    try {
      const gone = session({ userId: 2 });
      const kept = session({ userId: 2 });
      await store.insert(gone);
      await store.insert(kept);
      await client.pexpire(`${prefix}s:${gone.hash}`, 1); // what the TTL does at the deadline
      await expect.poll(() => client.exists(`${prefix}s:${gone.hash}`)).toBe(0);
      expect(await store.get(gone.hash)).toBeNull();
      expect((await store.list({ userId: 2, offset: 0, limit: 10 })).items.map((s) => s.hash)).toEqual([kept.hash]);
      expect(await store.count()).toBe(1);
      expect(await client.smembers(`${prefix}u:2`)).toEqual([kept.hash]);
      expect(await client.zrange(`${prefix}due`, '0', '-1')).toEqual([kept.hash]);
    } finally {
      client.disconnect();
    }
  });

  it('deleteAll ends only its own installation: another prefix on the same Redis is untouched', async () => {
    const a = open();
    const b = open();
    try {
      const mine = session();
      const theirs = session();
      await a.store.insert(mine);
      await b.store.insert(theirs);
      expect(await a.store.deleteAll()).toBe(1);
      expect(await a.store.exists(mine.hash)).toBe(false);
      expect(await b.store.get(theirs.hash)).toEqual(theirs);
      expect(await a.client.keys(`${a.prefix}*`)).toEqual([]);
    } finally {
      a.client.disconnect();
      b.client.disconnect();
    }
  });
});
