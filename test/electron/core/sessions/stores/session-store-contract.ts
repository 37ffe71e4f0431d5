import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashSessionId, newSessionId } from '../../../../../electron/core/sessions/session-id';
import type { SessionStore, StoredSession } from '../../../../../electron/core/sessions/session-store';

export interface SessionStoreFixture {
  store: SessionStore;
  /** At least three users that sessions may belong to (SQLite: real rows of users). */
  userIds: number[];
  cleanup(): void;
}

const T0 = Date.UTC(2026, 0, 1, 9, 0, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;

/**
 * The behaviour every SessionStore must show (Django's SessionTestsMixin, Lucia's
 * adapter test). Each test gets a fresh, empty store from `make`.
 */
export function describeSessionStoreContract(name: string, make: () => SessionStoreFixture): void {
  describe(`${name} (SessionStore contract)`, () => {
    let fx: SessionStoreFixture;
    let store: SessionStore;
    let users: [number, number, number];
    let seq = 0;

    /** A fresh session; createdAt increases with every call. */
    const session = (over: Partial<StoredSession> = {}): StoredSession => {
      const at = T0 + ++seq;
      const [hash, userId, absoluteExpiresAt, dueAt] = [hashSessionId(newSessionId()), users[0], T0 + 12 * HOUR, T0 + 15 * MIN];
      const rest = { senderId: 7, backend: 'model', locked: false, authAt: T0, data: '{"theme":"dark"}' };
      return { hash, userId, createdAt: at, lastActivityAt: at, absoluteExpiresAt, dueAt, ...rest, ...over };
    };
    const put = (over: Partial<StoredSession> = {}): StoredSession => {
      const s = session(over);
      store.insert(s);
      return s;
    };
    const sorted = (xs: Iterable<string>) => [...xs].sort();

    beforeEach(() => {
      fx = make();
      store = fx.store;
      const [a, b, c] = fx.userIds;
      if (a === undefined || b === undefined || c === undefined) throw new Error('the fixture needs three users');
      users = [a, b, c];
    });

    afterEach(() => fx.cleanup());

    it('returns an inserted session equal to what was given', () => {
      const a = put();
      const b = put({ userId: users[1], senderId: 3, backend: 'ldap', locked: true, authAt: null, data: '{}' });
      expect(store.get(a.hash)).toEqual(a);
      expect(store.get(b.hash)).toEqual(b);
      expect(store.exists(a.hash)).toBe(true);
      expect(store.count()).toBe(2);
    });

    it('keeps only the StoredSession fields and hands out copies', () => {
      const s = session();
      store.insert({ ...s, secret: 'raw-session-id' } as StoredSession);
      expect(store.get(s.hash)).toStrictEqual(s);
      const got = store.get(s.hash)!;
      got.locked = true;
      got.data = '{"tampered":true}';
      expect(store.get(s.hash)).toEqual(s);
      const page = store.list({ offset: 0, limit: 10 });
      page.items[0]!.userId = users[2];
      expect(store.get(s.hash)).toEqual(s);
      store.allHashes().clear();
      expect(store.count()).toBe(1);
    });

    it('answers null/false for an unknown hash and creates nothing (Django A16)', () => {
      expect(store.count()).toBe(0);
      expect(store.allHashes().size).toBe(0);
      const kept = put();
      const unknown = hashSessionId(newSessionId());
      expect(store.get(unknown)).toBeNull();
      expect(store.exists(unknown)).toBe(false);
      expect(store.get('')).toBeNull();
      expect(store.count()).toBe(1);
      expect(sorted(store.allHashes())).toEqual([kept.hash]);
    });

    it('refuses a duplicate hash and leaves the first session unchanged', () => {
      const s = put();
      expect(() => store.insert({ ...s, userId: users[1], data: '{"other":1}' })).toThrow();
      expect(store.get(s.hash)).toEqual(s);
      expect(store.count()).toBe(1);
    });

    it('update patches only the given fields', () => {
      const s = put({ locked: false, authAt: T0 });
      const other = put();
      expect(store.update(s.hash, { lastActivityAt: T0 + MIN, dueAt: T0 + 20 * MIN })).toBe(true);
      expect(store.get(s.hash)).toEqual({ ...s, lastActivityAt: T0 + MIN, dueAt: T0 + 20 * MIN });
      expect(store.update(s.hash, { locked: true })).toBe(true);
      expect(store.get(s.hash)!.locked).toBe(true);
      expect(store.update(s.hash, { locked: false, data: '{"a":[1,2]}' })).toBe(true);
      expect(store.get(s.hash)).toEqual({ ...s, lastActivityAt: T0 + MIN, dueAt: T0 + 20 * MIN, data: '{"a":[1,2]}' });
      expect(store.get(other.hash)).toEqual(other);
    });

    it('update leaves authAt alone when undefined and clears it when null', () => {
      const s = put({ authAt: T0 });
      expect(store.update(s.hash, { data: '{}' })).toBe(true);
      expect(store.update(s.hash, { authAt: undefined, lastActivityAt: T0 + 5 })).toBe(true);
      expect(store.get(s.hash)!.authAt).toBe(T0);
      expect(store.update(s.hash, { authAt: T0 + HOUR })).toBe(true);
      expect(store.get(s.hash)!.authAt).toBe(T0 + HOUR);
      expect(store.update(s.hash, { authAt: null })).toBe(true);
      expect(store.get(s.hash)).toEqual({ ...s, authAt: null, data: '{}', lastActivityAt: T0 + 5 });
    });

    it('update with an empty patch succeeds and changes nothing', () => {
      const s = put();
      expect(store.update(s.hash, {})).toBe(true);
      expect(store.get(s.hash)).toEqual(s);
    });

    it('update of a missing or deleted session is false and never re-creates it (Django A17)', () => {
      const unknown = hashSessionId(newSessionId());
      expect(store.update(unknown, { data: '{"x":1}', lastActivityAt: T0 })).toBe(false);
      expect(store.exists(unknown)).toBe(false);
      const s = put();
      expect(store.delete(s.hash)).toBe(true);
      expect(store.update(s.hash, { locked: true, authAt: null, data: '{"resurrected":true}' })).toBe(false);
      expect(store.get(s.hash)).toBeNull();
      expect(store.count()).toBe(0);
    });

    it('rotate moves the session to the new hash', () => {
      const old = put({ data: '{"cart":[1]}' });
      const other = put();
      const next = session({ userId: old.userId, createdAt: old.createdAt, data: '{"cart":[1,2]}', authAt: T0 + MIN });
      expect(store.rotate(old.hash, next)).toBe(true);
      expect(store.get(old.hash)).toBeNull();
      expect(store.exists(old.hash)).toBe(false);
      expect(store.get(next.hash)).toEqual(next);
      expect(store.get(other.hash)).toEqual(other);
      expect(store.count()).toBe(2);
    });

    it('rotate of a gone session is false and creates nothing', () => {
      const gone = put();
      store.delete(gone.hash);
      const next = session();
      expect(store.rotate(gone.hash, next)).toBe(false);
      expect(store.exists(next.hash)).toBe(false);
      expect(store.count()).toBe(0);
    });

    it('rotate onto a taken hash throws and leaves both sessions as they were', () => {
      const old = put();
      const taken = put({ userId: users[1] });
      expect(() => store.rotate(old.hash, { ...old, hash: taken.hash })).toThrow();
      expect(store.get(old.hash)).toEqual(old);
      expect(store.get(taken.hash)).toEqual(taken);
      expect(store.count()).toBe(2);
    });

    it('delete is true once, then false; other sessions stay', () => {
      const [a, b] = [put(), put()];
      expect(store.delete(a.hash)).toBe(true);
      expect(store.delete(a.hash)).toBe(false);
      expect(store.get(a.hash)).toBeNull();
      expect(store.get(b.hash)).toEqual(b);
    });

    it('deleteMany counts only the sessions that existed', () => {
      const [a, b, c] = [put(), put(), put()];
      expect(store.deleteMany([])).toBe(0);
      expect(store.deleteMany([a.hash, hashSessionId(newSessionId()), b.hash, a.hash])).toBe(2);
      expect(sorted(store.allHashes())).toEqual([c.hash]);
      expect(store.deleteMany([a.hash, b.hash])).toBe(0);
    });

    it('deleteAll returns how many it ended and empties the store', () => {
      expect(store.deleteAll()).toBe(0);
      for (let i = 0; i < 5; i++) put({ userId: users[i % 3] });
      expect(store.deleteAll()).toBe(5);
      expect(store.count()).toBe(0);
      expect(store.allHashes().size).toBe(0);
    });

    it('dueBefore returns exactly the hashes with dueAt <= now (the boundary is due)', () => {
      const now = T0 + HOUR;
      const early = put({ dueAt: now - HOUR });
      const exact = put({ dueAt: now, locked: true });
      put({ dueAt: now + 1 });
      put({ dueAt: now + HOUR });
      expect(sorted(store.dueBefore(now))).toEqual(sorted([early.hash, exact.hash]));
      expect(store.dueBefore(now - HOUR - 1)).toEqual([]);
      expect(store.count()).toBe(4);
    });

    describe('deleteExpired (clearsessions)', () => {
      const now = T0 + 24 * HOUR;
      const idleBefore = now - 15 * MIN;
      const fresh = { dueAt: now, absoluteExpiresAt: now + HOUR, lastActivityAt: now - MIN };

      it('deletes absolute-expired sessions (the boundary included), locked or not', () => {
        const past = put({ ...fresh, absoluteExpiresAt: now - 1 });
        const exact = put({ ...fresh, absoluteExpiresAt: now, locked: true });
        const live = put(fresh);
        expect(store.deleteExpired(now, idleBefore)).toBe(2);
        expect(store.exists(past.hash) || store.exists(exact.hash)).toBe(false);
        expect(store.get(live.hash)).toEqual(live);
      });

      it('deletes unlocked sessions idle at or before idleBefore and keeps locked ones', () => {
        const idle = put({ ...fresh, lastActivityAt: idleBefore - MIN });
        const boundary = put({ ...fresh, lastActivityAt: idleBefore });
        const locked = put({ ...fresh, lastActivityAt: idleBefore - HOUR, locked: true });
        const active = put({ ...fresh, lastActivityAt: idleBefore + 1 });
        expect(store.deleteExpired(now, idleBefore)).toBe(2);
        expect(store.exists(idle.hash) || store.exists(boundary.hash)).toBe(false);
        expect(sorted(store.allHashes())).toEqual(sorted([locked.hash, active.hash]));
      });

      it('with idleBefore null deletes only absolute-expired sessions', () => {
        const idle = put({ ...fresh, lastActivityAt: now - 10 * HOUR });
        const expired = put({ ...fresh, absoluteExpiresAt: now - 1 });
        expect(store.deleteExpired(now, null)).toBe(1);
        expect(store.exists(expired.hash)).toBe(false);
        expect(store.get(idle.hash)).toEqual(idle);
      });

      it('only considers sessions whose dueAt <= now', () => {
        const notDueExpired = put({ ...fresh, dueAt: now + 1, absoluteExpiresAt: now - 1 });
        const notDueIdle = put({ ...fresh, dueAt: now + 1, lastActivityAt: idleBefore - HOUR });
        const due = put({ ...fresh, dueAt: now - HOUR, absoluteExpiresAt: now - 1 });
        expect(store.deleteExpired(now, idleBefore)).toBe(1);
        expect(store.exists(due.hash)).toBe(false);
        expect(sorted(store.allHashes())).toEqual(sorted([notDueExpired.hash, notDueIdle.hash]));
        expect(store.deleteExpired(now, idleBefore)).toBe(0);
      });
    });

    describe('list', () => {
      /** 57 sessions over three users; pairs share a createdAt, so ties must be ordered too. */
      const fill = (): StoredSession[] => {
        const out: StoredSession[] = [];
        for (let i = 0; i < 57; i++) out.push(put({ userId: users[i % 3], createdAt: T0 + Math.floor(i / 2) }));
        return out;
      };
      /** Every page of 10, until a short one. */
      const pages = (userId?: number) => {
        const items: StoredSession[] = [];
        const totals: number[] = [];
        for (let offset = 0, more = true; more; offset += 10) {
          const page = store.list({ userId, offset, limit: 10 });
          more = page.items.length === 10 && offset < 100;
          expect(page.items.length).toBeLessThanOrEqual(10);
          totals.push(page.total);
          items.push(...page.items);
        }
        return { hashes: items.map((s) => s.hash), totals, items };
      };

      it('pages by 10 with a total, oldest first (createdAt, then hash), no duplicates or gaps', () => {
        const all = fill();
        const { hashes, totals, items } = pages();
        expect(totals).toEqual([57, 57, 57, 57, 57, 57]);
        const expected = [...all].sort((a, b) => a.createdAt - b.createdAt || (a.hash < b.hash ? -1 : 1));
        expect(hashes).toEqual(expected.map((s) => s.hash)); // 57 distinct, in order
        expect(items).toEqual(expected);
        expect(pages().hashes).toEqual(hashes);
        expect(store.list({ offset: 20, limit: 5 }).items).toEqual(expected.slice(20, 25));
      });

      it('filters by userId, paging the same way', () => {
        const all = fill();
        for (const userId of users) {
          const mine = all.filter((s) => s.userId === userId).map((s) => s.hash);
          const { hashes, totals, items } = pages(userId);
          expect(new Set(totals)).toEqual(new Set([mine.length]));
          expect(hashes).toHaveLength(mine.length);
          expect(sorted(hashes)).toEqual(sorted(mine));
          expect(items.every((s) => s.userId === userId)).toBe(true);
        }
        expect(store.list({ userId: -1, offset: 0, limit: 10 })).toEqual({ items: [], total: 0 });
      });

      it('past the end: no items, the total still counts everything', () => {
        fill();
        expect(store.list({ offset: 57, limit: 10 })).toEqual({ items: [], total: 57 });
        expect(store.list({ offset: 0, limit: 0 })).toEqual({ items: [], total: 57 });
      });
    });

    it('allHashes and count follow inserts, rotations and deletes', () => {
      const [a, b, c] = [put(), put({ userId: users[1] }), session()];
      store.rotate(b.hash, c);
      store.delete(a.hash);
      const d = put({ userId: users[2] });
      expect(sorted(store.allHashes())).toEqual(sorted([c.hash, d.hash]));
      expect(store.count()).toBe(2);
    });

    it('stores data exactly as the JSON text given, unicode included', () => {
      const first = '{ "spacing" : [ 1 ,2 ] }';
      const second = JSON.stringify({ name: 'Zoë 张伟 مرحبا', emoji: '👩‍💻🏳️‍🌈', e: 'e\u0301', lone: '\ud800', nul: '\0' });
      const third = JSON.stringify({ big: 'x'.repeat(200_000) });
      const s = put({ data: first });
      expect(store.get(s.hash)!.data).toBe(first);
      store.update(s.hash, { data: second });
      expect(store.get(s.hash)!.data).toBe(second);
      expect(JSON.parse(store.get(s.hash)!.data)).toEqual(JSON.parse(second));
      const next = session({ data: third });
      store.rotate(s.hash, next);
      expect(store.get(next.hash)!.data).toBe(third);
      expect(store.list({ offset: 0, limit: 1 }).items[0]!.data).toBe(third);
    });
  });
}
