import type { Statement, Transaction } from 'better-sqlite3';
import type { Sqlite } from '../../db/database';
import type { SessionPage, SessionPatch, SessionStore, StoredSession } from '../session-store';

interface Row {
  hash: string;
  user_id: number;
  sender_id: number;
  backend: string;
  created_at: number;
  last_activity_at: number;
  absolute_expires_at: number;
  due_at: number;
  locked: number;
  auth_at: number | null;
  data: string;
}

type ListQuery = Parameters<SessionStore['list']>[0];

const COLUMNS =
  'lower(hex(hash)) AS hash, user_id, sender_id, backend, created_at, last_activity_at, absolute_expires_at, due_at, locked, auth_at, data';

/** The hash is stored as 32 bytes; the port speaks lowercase hex (hex() sorts like the bytes). */
const INSERT_COLUMNS =
  'hash, user_id, sender_id, backend, created_at, last_activity_at, absolute_expires_at, due_at, locked, auth_at, data';

function toStored(r: Row): StoredSession {
  return {
    hash: r.hash,
    userId: r.user_id,
    senderId: r.sender_id,
    backend: r.backend,
    createdAt: r.created_at,
    lastActivityAt: r.last_activity_at,
    absoluteExpiresAt: r.absolute_expires_at,
    dueAt: r.due_at,
    locked: r.locked === 1,
    authAt: r.auth_at,
    data: r.data,
  };
}

function toParams(s: StoredSession): Record<string, unknown> {
  return { ...s, locked: s.locked ? 1 : 0 };
}

/**
 * The default engine: the sessions table of accounts.db. Statements (and the
 * transaction wrappers) are made once, here; no method prepares anything.
 *
 * A bound value compared with an indexed column is written `+?`: with SQLite 3.54's
 * STAT4 (once ANALYZE or PRAGMA optimize has run), a plain `due_at <= ?` makes SQLite
 * re-prepare the statement on every run (measured 2x slower); the unary plus keeps
 * the same index plan without it (see /work/shared/reference/performance.md).
 */
export class SqliteSessionStore implements SessionStore {
  private readonly insertStmt: Statement;
  private readonly getStmt: Statement<[string], Row>;
  private readonly existsStmt: Statement<[string], number>;
  private readonly updateStmt: Statement;
  private readonly deleteStmt: Statement<[string]>;
  private readonly deleteAllStmt: Statement<[]>;
  private readonly dueStmt: Statement<[number], string>;
  private readonly deleteExpiredStmt: Statement;
  private readonly listAll: Statement;
  private readonly listUser: Statement;
  private readonly countAll: Statement<[], number>;
  private readonly countUser: Statement<[number], number>;
  private readonly hashes: Statement<[], string>;
  private readonly rotateTx: Transaction<(oldHash: string, next: StoredSession) => boolean>;
  private readonly deleteManyTx: Transaction<(hashes: readonly string[]) => number>;
  private readonly listTx: Transaction<(query: ListQuery) => SessionPage>;

  constructor(private readonly db: Sqlite) {
    this.insertStmt = db.prepare(
      `INSERT INTO sessions (${INSERT_COLUMNS}) VALUES (unhex(@hash), @userId, @senderId, @backend, @createdAt, @lastActivityAt,
        @absoluteExpiresAt, @dueAt, @locked, @authAt, @data)`,
    );
    this.getStmt = db.prepare(`SELECT ${COLUMNS} FROM sessions WHERE hash = +unhex(?)`);
    this.existsStmt = db.prepare<[string], number>('SELECT 1 FROM sessions WHERE hash = +unhex(?)').pluck();
    // A NULL parameter (or a 0 flag) leaves the column as it is.
    this.updateStmt = db.prepare(
      `UPDATE sessions SET
         last_activity_at = coalesce(@lastActivityAt, last_activity_at),
         due_at = coalesce(@dueAt, due_at),
         locked = coalesce(@locked, locked),
         auth_at = CASE WHEN @setAuthAt THEN @authAt ELSE auth_at END,
         data = coalesce(@data, data)
       WHERE hash = +unhex(@hash)`,
    );
    this.deleteStmt = db.prepare('DELETE FROM sessions WHERE hash = +unhex(?)');
    this.deleteAllStmt = db.prepare('DELETE FROM sessions');
    this.dueStmt = db.prepare<[number], string>('SELECT lower(hex(hash)) FROM sessions WHERE due_at <= +?').pluck();
    this.deleteExpiredStmt = db.prepare(
      `DELETE FROM sessions WHERE due_at <= +@now AND (absolute_expires_at <= @now
         OR (@idleBefore IS NOT NULL AND locked = 0 AND last_activity_at <= @idleBefore))`,
    );
    this.listAll = db.prepare(`SELECT ${COLUMNS} FROM sessions ORDER BY created_at, hash LIMIT @limit OFFSET @offset`);
    this.listUser = db.prepare(
      `SELECT ${COLUMNS} FROM sessions WHERE user_id = +@userId ORDER BY created_at, hash LIMIT @limit OFFSET @offset`,
    );
    this.countAll = db.prepare<[], number>('SELECT count(*) FROM sessions').pluck();
    this.countUser = db.prepare<[number], number>('SELECT count(*) FROM sessions WHERE user_id = +?').pluck();
    this.hashes = db.prepare<[], string>('SELECT lower(hex(hash)) FROM sessions').pluck();
    // Delete and insert commit together: a failed insert (a taken hash) rolls the delete back.
    this.rotateTx = db.transaction((oldHash: string, next: StoredSession) => {
      if (this.deleteStmt.run(oldHash).changes === 0) return false;
      this.insertStmt.run(toParams(next));
      return true;
    });
    this.deleteManyTx = db.transaction((hashes: readonly string[]) => {
      let n = 0;
      for (const h of hashes) n += this.deleteStmt.run(h).changes;
      return n;
    });
    // One read snapshot: the page and its total agree even while another connection writes.
    this.listTx = db.transaction(({ userId, offset, limit }: ListQuery): SessionPage => {
      if (userId === undefined) {
        return {
          items: (this.listAll.all({ offset, limit }) as Row[]).map(toStored),
          total: this.countAll.get() as number,
        };
      }
      return {
        items: (this.listUser.all({ userId, offset, limit }) as Row[]).map(toStored),
        total: this.countUser.get(userId) as number,
      };
    });
  }

  insert(session: StoredSession): void {
    this.insertStmt.run(toParams(session));
  }

  get(hash: string): StoredSession | null {
    const row = this.getStmt.get(hash);
    return row ? toStored(row) : null;
  }

  exists(hash: string): boolean {
    return this.existsStmt.get(hash) !== undefined;
  }

  update(hash: string, patch: SessionPatch): boolean {
    return (
      this.updateStmt.run({
        hash,
        lastActivityAt: patch.lastActivityAt ?? null,
        dueAt: patch.dueAt ?? null,
        locked: patch.locked === undefined ? null : patch.locked ? 1 : 0,
        setAuthAt: patch.authAt === undefined ? 0 : 1,
        authAt: patch.authAt ?? null,
        data: patch.data ?? null,
      }).changes > 0
    );
  }

  rotate(oldHash: string, next: StoredSession): boolean {
    return this.rotateTx(oldHash, next);
  }

  delete(hash: string): boolean {
    return this.deleteStmt.run(hash).changes > 0;
  }

  deleteMany(hashes: readonly string[]): number {
    if (hashes.length === 0) return 0;
    return this.deleteManyTx(hashes);
  }

  /**
   * With foreign keys on, SQLite deletes row by row (~1 s for 100k rows); with them
   * off it truncates (~40 ms). Deleting child rows cannot break a reference, so the
   * check is switched off for this one statement (pragmas only apply outside a transaction).
   */
  deleteAll(): number {
    if (this.db.inTransaction) return this.deleteAllStmt.run().changes;
    const count = this.countAll.get() as number;
    this.db.pragma('foreign_keys = OFF');
    try {
      this.db.exec('DELETE FROM sessions');
    } finally {
      this.db.pragma('foreign_keys = ON');
    }
    return count;
  }

  dueBefore(now: number): string[] {
    return this.dueStmt.all(now);
  }

  deleteExpired(now: number, idleBefore: number | null): number {
    return this.deleteExpiredStmt.run({ now, idleBefore }).changes;
  }

  list(query: ListQuery): SessionPage {
    return this.listTx(query);
  }

  allHashes(): Set<string> {
    return new Set(this.hashes.all());
  }

  count(): number {
    return this.countAll.get() as number;
  }
}
