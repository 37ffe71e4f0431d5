import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Sqlite } from '../../../../../electron/core/db/database';
import { hashSessionId, newSessionId } from '../../../../../electron/core/sessions/session-id';
import type { StoredSession } from '../../../../../electron/core/sessions/session-store';
import { SqliteSessionStore } from '../../../../../electron/core/sessions/stores/sqlite-session-store';
import { FakeTime } from '../../../../support/fake-time';
import { describeSessionStoreContract } from './session-store-contract';

const T0 = new FakeTime().now();

/** Real users rows: sessions.user_id is a foreign key to users. */
function createUsers(db: Sqlite, n: number): number[] {
  const insert = db.prepare(
    `INSERT INTO users (username, username_key, password_hash, created_at, password_changed_at)
     VALUES (?, ?, 'x', ?, ?)`,
  );
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    ids.push(Number(insert.run(`user${i}`, `user${i}`, T0, T0).lastInsertRowid));
  }
  return ids;
}

interface Opened {
  dir: string;
  db: Sqlite;
  store: SqliteSessionStore;
  userIds: number[];
}

function open(): Opened {
  const dir = mkdtempSync(join(tmpdir(), 'session-store-'));
  const db = openDatabase(dir, { clock: new FakeTime() });
  return { dir, db, store: new SqliteSessionStore(db), userIds: createUsers(db, 3) };
}

function close(o: Opened): void {
  o.db.close();
  rmSync(o.dir, { recursive: true, force: true });
}

describeSessionStoreContract('SqliteSessionStore', () => {
  const o = open();
  return { store: o.store, userIds: o.userIds, cleanup: () => close(o) };
});

describe('SqliteSessionStore specifics', () => {
  let o: Opened;
  let n = 0;
  const session = (over: Partial<StoredSession> = {}): StoredSession => ({
    hash: hashSessionId(newSessionId()),
    userId: o.userIds[0]!,
    senderId: 1,
    backend: 'model',
    createdAt: T0 + ++n,
    lastActivityAt: T0,
    absoluteExpiresAt: T0 + 3_600_000,
    dueAt: T0 + (n % 100) * 60_000,
    locked: false,
    authAt: T0,
    data: '{}',
    ...over,
  });

  beforeEach(() => {
    o = open();
  });
  afterEach(() => close(o));

  it('has exactly the expected columns: the hash is the only trace of the session ID', () => {
    const columns = o.db.prepare('SELECT name FROM pragma_table_info(?) ORDER BY cid').pluck().all('sessions');
    expect(columns).toEqual([
      'hash',
      'user_id',
      'sender_id',
      'backend',
      'created_at',
      'last_activity_at',
      'absolute_expires_at',
      'due_at',
      'locked',
      'auth_at',
      'data',
    ]);
    const id = newSessionId();
    o.store.insert(session({ hash: hashSessionId(id) }));
    const row = o.db.prepare('SELECT * FROM sessions').get() as Record<string, unknown>;
    // 32 raw bytes of SHA-256(ID), never the ID.
    expect(Buffer.isBuffer(row.hash) && (row.hash as Buffer).toString('hex')).toBe(hashSessionId(id));
    expect(Object.values(row).map(String).some((v) => v.includes(id))).toBe(false);
  });

  it('deleting a user cascades to their sessions only', () => {
    const [alice, bob] = o.userIds as [number, number];
    const a1 = session({ userId: alice });
    const a2 = session({ userId: alice });
    const b1 = session({ userId: bob });
    for (const s of [a1, a2, b1]) o.store.insert(s);
    expect(o.db.prepare('DELETE FROM users WHERE id = ?').run(alice).changes).toBe(1);
    expect(o.store.get(a1.hash)).toBeNull();
    expect(o.store.get(a2.hash)).toBeNull();
    expect(o.store.get(b1.hash)).toEqual(b1);
    expect(o.store.count()).toBe(1);
  });

  it('refuses a session for a user that does not exist', () => {
    expect(() => o.store.insert(session({ userId: 999_999 }))).toThrow();
    expect(o.store.count()).toBe(0);
  });

  it('prepares every statement (and transaction) in the constructor, never per call', () => {
    const prepare = vi.spyOn(o.db, 'prepare');
    const transaction = vi.spyOn(o.db, 'transaction');
    try {
      const s = session();
      const next = session();
      o.store.insert(s);
      for (let i = 0; i < 10_000; i++) o.store.get(s.hash);
      o.store.exists(s.hash);
      o.store.update(s.hash, { lastActivityAt: T0 + 1, authAt: null });
      o.store.rotate(s.hash, next);
      o.store.dueBefore(T0);
      o.store.deleteExpired(T0, T0);
      o.store.list({ offset: 0, limit: 10 });
      o.store.list({ userId: o.userIds[0]!, offset: 0, limit: 10 });
      o.store.allHashes();
      o.store.count();
      o.store.delete(next.hash);
      o.store.deleteMany([next.hash]);
      o.store.deleteAll();
      expect(o.store.count()).toBe(0);
      expect(prepare).not.toHaveBeenCalled();
      expect(transaction).not.toHaveBeenCalled();
    } finally {
      prepare.mockRestore();
      transaction.mockRestore();
    }
  });

  it('dueBefore is served by the sessions_due index', () => {
    const plan = o.db.prepare('EXPLAIN QUERY PLAN SELECT hash FROM sessions WHERE due_at <= +?').all(T0);
    expect(JSON.stringify(plan)).toContain('sessions_due');
  });

  it('every statement with a WHERE searches an index, even after ANALYZE (STAT4)', () => {
    // Capture the store's own SQL, then fill the table and give the planner statistics.
    const sources: string[] = [];
    const prepare = vi.spyOn(o.db, 'prepare');
    new SqliteSessionStore(o.db);
    for (const call of prepare.mock.calls) sources.push(String(call[0]));
    prepare.mockRestore();
    o.db.transaction(() => {
      for (let i = 0; i < 2_000; i++) o.store.insert(session({ userId: o.userIds[i % 3]! }));
    })();
    o.db.exec('ANALYZE');

    // Per-user reads (admin/CLI) scan on purpose: no user_id index (see the migration).
    const filtered = sources.filter((sql) => /\bWHERE\b/i.test(sql) && !/WHERE user_id/.test(sql));
    expect(filtered.length).toBeGreaterThanOrEqual(6);
    for (const sql of filtered) {
      const names = [...new Set(sql.match(/@\w+/g) ?? [])].map((p) => p.slice(1));
      const positional = (sql.match(/\?/g) ?? []).map(() => 1);
      const args = names.length > 0 ? [Object.fromEntries(names.map((p) => [p, 1]))] : positional;
      const rows = o.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[];
      const plan = rows.map((r) => r.detail);
      const search = expect.arrayContaining([expect.stringMatching(/^SEARCH sessions USING/)]);
      expect({ sql, plan }).toEqual({ sql, plan: search });
      expect(plan.some((d) => d.startsWith('SCAN sessions'))).toBe(false);
    }
    const due = filtered.find((sql) => sql.includes('FROM sessions WHERE due_at'))!;
    const plan = JSON.stringify(o.db.prepare(`EXPLAIN QUERY PLAN ${due}`).all(T0));
    expect(plan).toContain('sessions_due');
  });

  // The re-prepare itself is invisible through better-sqlite3 (no sqlite3_stmt_status,
  // no sqlite_stmt table in its build), and a timing bound would be flaky, so the
  // contract the store's header states is checked on its SQL: a bound value (or an
  // expression of one, like unhex(?)) compared with an indexed column carries the
  // unary plus. `npm run bench` runs after ANALYZE and shows the cost when it is missing.
  it('writes every bound value compared with an indexed column as +?/+unhex(?) (no per-run re-prepare after ANALYZE)', () => {
    const prepare = vi.spyOn(o.db, 'prepare');
    new SqliteSessionStore(o.db);
    const sources = prepare.mock.calls.map((call) => String(call[0]));
    prepare.mockRestore();
    const comparisons = sources.flatMap((sql) => [...sql.matchAll(/\b(hash|due_at|user_id)\s*(<=|>=|=|<|>)\s*(\S+)/g)]);
    expect(comparisons.length).toBeGreaterThanOrEqual(6);
    const bare = comparisons.filter((m) => /^(unhex\()?[?@]/.test(m[3] as string)).map((m) => m[0]);
    expect(bare).toEqual([]);
  });

  it('another connection (the manage CLI) sees the same sessions and its deletes show here', () => {
    const s = session({ absoluteExpiresAt: T0 - 1, dueAt: T0 - 1 });
    const kept = session({ dueAt: T0 + 60_000 });
    o.store.insert(s);
    o.store.insert(kept);
    const cli = openDatabase(o.dir, { clock: new FakeTime() });
    try {
      const cliStore = new SqliteSessionStore(cli);
      expect(cliStore.get(s.hash)).toEqual(s);
      expect(cliStore.deleteExpired(T0, null)).toBe(1);
    } finally {
      cli.close();
    }
    expect(o.store.exists(s.hash)).toBe(false);
    expect(o.store.get(kept.hash)).toEqual(kept);
  });
});
