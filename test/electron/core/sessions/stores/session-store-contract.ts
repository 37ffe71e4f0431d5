import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashSessionId, newSessionId } from '../../../../../electron/core/sessions/session-id';
import type { AsyncSessionStore, SessionStore, StoredSession } from '../../../../../electron/core/sessions/session-store';

export interface SessionStoreFixture {
  /** A synchronous store (sqlite, memory) or a networked one (redis): every call is awaited. */
  store: SessionStore | AsyncSessionStore;
  /** At least three users that sessions may belong to (SQLite: real rows of users). */
  userIds: number[];
  cleanup(): void | Promise<void>;
}

const T0 = Date.UTC(2026, 0, 1, 9, 0, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;

/**
 * The behaviour every SessionStore must show (Django's SessionTestsMixin, Lucia's
 * adapter test). Each test gets a fresh, empty store from `make`.
 */
export function describeSessionStoreContract(name: string, make: () => SessionStoreFixture | Promise<SessionStoreFixture>): void {
  describe(`${name} (SessionStore contract)`, () => {
    let fx: SessionStoreFixture;
    let store: SessionStore | AsyncSessionStore;
    let users: [number, number, number];
    let seq = 0;

    /** A fresh session; createdAt increases with every call. */
    const session = (over: Partial<StoredSession> = {}): StoredSession => {
      const at = T0 + ++seq;
      const [hash, userId, absoluteExpiresAt, dueAt] = [hashSessionId(newSessionId()), users[0], T0 + 12 * HOUR, T0 + 15 * MIN];
      const rest = { senderId: 7, backend: 'model', locked: false, authAt: T0, data: '{"theme":"dark"}' };
      return { hash, userId, createdAt: at, lastActivityAt: at, absoluteExpiresAt, dueAt, ...rest, ...over };
    };
    const put = async (over: Partial<StoredSession> = {}): Promise<StoredSession> => {
      const s = session(over);
      await store.insert(s);
      return s;
    };
    const sorted = (xs: Iterable<string>) => [...xs].sort();

    beforeEach(async () => {
      fx = await make();
      store = fx.store;
      const [a, b, c] = fx.userIds;
      if (a === undefined || b === undefined || c === undefined) throw new Error('the fixture needs three users');
      users = [a, b, c];
    });

    afterEach(async () => fx.cleanup());

    it('returns an inserted session equal to what was given', async () => {
      const a = await put();
      const b = await put({ userId: users[1], senderId: 3, backend: 'ldap', locked: true, authAt: null, data: '{}' });
      expect(await store.get(a.hash)).toEqual(a);
      expect(await store.get(b.hash)).toEqual(b);
      expect(await store.exists(a.hash)).toBe(true);
      expect(await store.count()).toBe(2);
    });

    it('keeps only the StoredSession fields and hands out copies', async () => {
      const s = session();
      await store.insert({ ...s, secret: 'raw-session-id' } as StoredSession);
      expect(await store.get(s.hash)).toStrictEqual(s);
      const got = (await store.get(s.hash))!;
      got.locked = true;
      got.data = '{"tampered":true}';
      expect(await store.get(s.hash)).toEqual(s);
      const page = (await store.list({ offset: 0, limit: 10 }));
      page.items[0]!.userId = users[2];
      expect(await store.get(s.hash)).toEqual(s);
      (await store.allHashes()).clear();
      expect(await store.count()).toBe(1);
    });

    it('answers null/false for an unknown hash and creates nothing (Django A16)', async () => {
      expect(await store.count()).toBe(0);
      expect((await store.allHashes()).size).toBe(0);
      const kept = await put();
      const unknown = hashSessionId(newSessionId());
      expect(await store.get(unknown)).toBeNull();
      expect(await store.exists(unknown)).toBe(false);
      expect(await store.get('')).toBeNull();
      expect(await store.count()).toBe(1);
      expect(sorted((await store.allHashes()))).toEqual([kept.hash]);
    });

    it('refuses a duplicate hash and leaves the first session unchanged', async () => {
      const s = await put();
      await expect(async () => store.insert({ ...s, userId: users[1], data: '{"other":1}' })).rejects.toThrow();
      expect(await store.get(s.hash)).toEqual(s);
      expect(await store.count()).toBe(1);
    });

    it('update patches only the given fields', async () => {
      const s = await put({ locked: false, authAt: T0 });
      const other = await put();
      expect(await store.update(s.hash, { lastActivityAt: T0 + MIN, dueAt: T0 + 20 * MIN })).toBe(true);
      expect(await store.get(s.hash)).toEqual({ ...s, lastActivityAt: T0 + MIN, dueAt: T0 + 20 * MIN });
      expect(await store.update(s.hash, { locked: true })).toBe(true);
      expect((await store.get(s.hash))!.locked).toBe(true);
      expect(await store.update(s.hash, { locked: false, data: '{"a":[1,2]}' })).toBe(true);
      expect(await store.get(s.hash)).toEqual({ ...s, lastActivityAt: T0 + MIN, dueAt: T0 + 20 * MIN, data: '{"a":[1,2]}' });
      expect(await store.get(other.hash)).toEqual(other);
    });

    it('update leaves authAt alone when undefined and clears it when null', async () => {
      const s = await put({ authAt: T0 });
      expect(await store.update(s.hash, { data: '{}' })).toBe(true);
      expect(await store.update(s.hash, { authAt: undefined, lastActivityAt: T0 + 5 })).toBe(true);
      expect((await store.get(s.hash))!.authAt).toBe(T0);
      expect(await store.update(s.hash, { authAt: T0 + HOUR })).toBe(true);
      expect((await store.get(s.hash))!.authAt).toBe(T0 + HOUR);
      expect(await store.update(s.hash, { authAt: null })).toBe(true);
      expect(await store.get(s.hash)).toEqual({ ...s, authAt: null, data: '{}', lastActivityAt: T0 + 5 });
    });

    it('update with an empty patch succeeds and changes nothing', async () => {
      const s = await put();
      expect(await store.update(s.hash, {})).toBe(true);
      expect(await store.get(s.hash)).toEqual(s);
    });

    it('update of a missing or deleted session is false and never re-creates it (Django A17)', async () => {
      const unknown = hashSessionId(newSessionId());
      expect(await store.update(unknown, { data: '{"x":1}', lastActivityAt: T0 })).toBe(false);
      expect(await store.exists(unknown)).toBe(false);
      const s = await put();
      expect(await store.delete(s.hash)).toBe(true);
      expect(await store.update(s.hash, { locked: true, authAt: null, data: '{"resurrected":true}' })).toBe(false);
      expect(await store.get(s.hash)).toBeNull();
      expect(await store.count()).toBe(0);
    });

    it('rotate moves the session to the new hash', async () => {
      const old = await put({ data: '{"cart":[1]}' });
      const other = await put();
      const next = session({ userId: old.userId, createdAt: old.createdAt, data: '{"cart":[1,2]}', authAt: T0 + MIN });
      expect(await store.rotate(old.hash, next)).toBe(true);
      expect(await store.get(old.hash)).toBeNull();
      expect(await store.exists(old.hash)).toBe(false);
      expect(await store.get(next.hash)).toEqual(next);
      expect(await store.get(other.hash)).toEqual(other);
      expect(await store.count()).toBe(2);
    });

    it('rotate of a gone session is false and creates nothing', async () => {
      const gone = await put();
      await store.delete(gone.hash);
      const next = session();
      expect(await store.rotate(gone.hash, next)).toBe(false);
      expect(await store.exists(next.hash)).toBe(false);
      expect(await store.count()).toBe(0);
    });

    it('rotate onto a taken hash throws and leaves both sessions as they were', async () => {
      const old = await put();
      const taken = await put({ userId: users[1] });
      await expect(async () => store.rotate(old.hash, { ...old, hash: taken.hash })).rejects.toThrow();
      expect(await store.get(old.hash)).toEqual(old);
      expect(await store.get(taken.hash)).toEqual(taken);
      expect(await store.count()).toBe(2);
    });

    it('delete is true once, then false; other sessions stay', async () => {
      const [a, b] = [await put(), await put()];
      expect(await store.delete(a.hash)).toBe(true);
      expect(await store.delete(a.hash)).toBe(false);
      expect(await store.get(a.hash)).toBeNull();
      expect(await store.get(b.hash)).toEqual(b);
    });

    it('deleteMany counts only the sessions that existed', async () => {
      const [a, b, c] = [await put(), await put(), await put()];
      expect(await store.deleteMany([])).toBe(0);
      expect((await store.deleteMany([a.hash, hashSessionId(newSessionId()), b.hash, a.hash]))).toBe(2);
      expect(sorted((await store.allHashes()))).toEqual([c.hash]);
      expect(await store.deleteMany([a.hash, b.hash])).toBe(0);
    });

    it('deleteAll returns how many it ended and empties the store', async () => {
      expect(await store.deleteAll()).toBe(0);
      for (let i = 0; i < 5; i++) await put({ userId: users[i % 3] });
      expect(await store.deleteAll()).toBe(5);
      expect(await store.count()).toBe(0);
      expect((await store.allHashes()).size).toBe(0);
    });

    it('dueBefore returns exactly the hashes with dueAt <= now (the boundary is due)', async () => {
      const now = T0 + HOUR;
      const early = await put({ dueAt: now - HOUR });
      const exact = await put({ dueAt: now, locked: true });
      await put({ dueAt: now + 1 });
      await put({ dueAt: now + HOUR });
      expect(sorted((await store.dueBefore(now)))).toEqual(sorted([early.hash, exact.hash]));
      expect(await store.dueBefore(now - HOUR - 1)).toEqual([]);
      expect(await store.count()).toBe(4);
    });

    describe('deleteExpired (clearsessions)', async () => {
      const now = T0 + 24 * HOUR;
      const idleBefore = now - 15 * MIN;
      const fresh = { dueAt: now, absoluteExpiresAt: now + HOUR, lastActivityAt: now - MIN };

      it('deletes absolute-expired sessions (the boundary included), locked or not', async () => {
        const past = await put({ ...fresh, absoluteExpiresAt: now - 1 });
        const exact = await put({ ...fresh, absoluteExpiresAt: now, locked: true });
        const live = await put(fresh);
        expect(await store.deleteExpired(now, idleBefore)).toBe(2);
        expect((await store.exists(past.hash)) || (await store.exists(exact.hash))).toBe(false);
        expect(await store.get(live.hash)).toEqual(live);
      });

      it('deletes unlocked sessions idle at or before idleBefore and keeps locked ones', async () => {
        const idle = await put({ ...fresh, lastActivityAt: idleBefore - MIN });
        const boundary = await put({ ...fresh, lastActivityAt: idleBefore });
        const locked = await put({ ...fresh, lastActivityAt: idleBefore - HOUR, locked: true });
        const active = await put({ ...fresh, lastActivityAt: idleBefore + 1 });
        expect(await store.deleteExpired(now, idleBefore)).toBe(2);
        expect((await store.exists(idle.hash)) || (await store.exists(boundary.hash))).toBe(false);
        expect(sorted((await store.allHashes()))).toEqual(sorted([locked.hash, active.hash]));
      });

      it('with idleBefore null deletes only absolute-expired sessions', async () => {
        const idle = await put({ ...fresh, lastActivityAt: now - 10 * HOUR });
        const expired = await put({ ...fresh, absoluteExpiresAt: now - 1 });
        expect(await store.deleteExpired(now, null)).toBe(1);
        expect(await store.exists(expired.hash)).toBe(false);
        expect(await store.get(idle.hash)).toEqual(idle);
      });

      it('only considers sessions whose dueAt <= now', async () => {
        const notDueExpired = await put({ ...fresh, dueAt: now + 1, absoluteExpiresAt: now - 1 });
        const notDueIdle = await put({ ...fresh, dueAt: now + 1, lastActivityAt: idleBefore - HOUR });
        const due = await put({ ...fresh, dueAt: now - HOUR, absoluteExpiresAt: now - 1 });
        expect(await store.deleteExpired(now, idleBefore)).toBe(1);
        expect(await store.exists(due.hash)).toBe(false);
        expect(sorted((await store.allHashes()))).toEqual(sorted([notDueExpired.hash, notDueIdle.hash]));
        expect(await store.deleteExpired(now, idleBefore)).toBe(0);
      });
    });

    describe('list', async () => {
      /** 57 sessions over three users; pairs share a createdAt, so ties must be ordered too. */
      const fill = async (): Promise<StoredSession[]> => {
        const out: StoredSession[] = [];
        for (let i = 0; i < 57; i++) out.push(await put({ userId: users[i % 3], createdAt: T0 + Math.floor(i / 2) }));
        return out;
      };
      /** Every page of 10, until a short one. */
      const pages = async (userId?: number) => {
        const items: StoredSession[] = [];
        const totals: number[] = [];
        for (let offset = 0, more = true; more; offset += 10) {
          const page = (await store.list({ userId, offset, limit: 10 }));
          more = page.items.length === 10 && offset < 100;
          expect(page.items.length).toBeLessThanOrEqual(10);
          totals.push(page.total);
          items.push(...page.items);
        }
        return { hashes: items.map((s) => s.hash), totals, items };
      };

      it('pages by 10 with a total, oldest first (createdAt, then hash), no duplicates or gaps', async () => {
        const all = await fill();
        const { hashes, totals, items } = await pages();
        expect(totals).toEqual([57, 57, 57, 57, 57, 57]);
        const expected = [...all].sort((a, b) => a.createdAt - b.createdAt || (a.hash < b.hash ? -1 : 1));
        expect(hashes).toEqual(expected.map((s) => s.hash)); // 57 distinct, in order
        expect(items).toEqual(expected);
        expect((await pages()).hashes).toEqual(hashes);
        expect((await store.list({ offset: 20, limit: 5 })).items).toEqual(expected.slice(20, 25));
      });

      it('filters by userId, paging the same way', async () => {
        const all = await fill();
        for (const userId of users) {
          const mine = all.filter((s) => s.userId === userId).map((s) => s.hash);
          const { hashes, totals, items } = await pages(userId);
          expect(new Set(totals)).toEqual(new Set([mine.length]));
          expect(hashes).toHaveLength(mine.length);
          expect(sorted(hashes)).toEqual(sorted(mine));
          expect(items.every((s) => s.userId === userId)).toBe(true);
        }
        expect(await store.list({ userId: -1, offset: 0, limit: 10 })).toEqual({ items: [], total: 0 });
      });

      it('past the end: no items, the total still counts everything', async () => {
        await fill();
        expect(await store.list({ offset: 57, limit: 10 })).toEqual({ items: [], total: 57 });
        expect(await store.list({ offset: 0, limit: 0 })).toEqual({ items: [], total: 57 });
      });
    });

    it('allHashes and count follow inserts, rotations and deletes', async () => {
      const [a, b, c] = [await put(), await put({ userId: users[1] }), session()];
      await store.rotate(b.hash, c);
      await store.delete(a.hash);
      const d = await put({ userId: users[2] });
      expect(sorted((await store.allHashes()))).toEqual(sorted([c.hash, d.hash]));
      expect(await store.count()).toBe(2);
    });

    it('stores data exactly as the JSON text given, unicode included', async () => {
      const first = '{ "spacing" : [ 1 ,2 ] }';
      const second = JSON.stringify({ name: 'Zoë 张伟 مرحبا', emoji: '👩‍💻🏳️‍🌈', e: 'e\u0301', lone: '\ud800', nul: '\0' });
      const third = JSON.stringify({ big: 'x'.repeat(200_000) });
      const s = await put({ data: first });
      expect((await store.get(s.hash))!.data).toBe(first);
      await store.update(s.hash, { data: second });
      expect((await store.get(s.hash))!.data).toBe(second);
      expect(JSON.parse((await store.get(s.hash))!.data)).toEqual(JSON.parse(second));
      const next = session({ data: third });
      await store.rotate(s.hash, next);
      expect((await store.get(next.hash))!.data).toBe(third);
      expect((await store.list({ offset: 0, limit: 1 })).items[0]!.data).toBe(third);
    });
  });
}
