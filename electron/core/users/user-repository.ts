import type { Statement } from 'better-sqlite3';
import type { Clock } from '../clock';
import type { ChangeTracker, Sqlite } from '../db/database';
import { AppError } from '../errors';
import { USER_COLUMNS, toUserRecord, type UserRecord, type UserRow } from './user-record';
import { foldKey, identifierKind, normalizeUsername } from './user-normalize';
import { usernameShownSkeleton, usernameSkeleton } from './username-safety';
import type { UserSortKey } from '../../../shared/contract';
import { validateProfileFields, type ProfileFields, type ProfileFieldsInput } from './user-validation';

export interface NewUser extends ProfileFieldsInput {
  username: string;
  passwordHash: string;
  isActive?: boolean;
  isStaff?: boolean;
  isSuperuser?: boolean;
  mustChangePassword?: boolean;
}

export interface UserPatch extends ProfileFieldsInput {
  isActive?: boolean;
  isStaff?: boolean;
  isSuperuser?: boolean;
  mustChangePassword?: boolean;
}

export interface UserListQuery {
  query?: string;
  /** Only members of this group. */
  groupId?: number;
  offset?: number;
  limit?: number;
  sort?: UserSortKey;
  order?: 'asc' | 'desc';
}

/**
 * Refusal of a look-alike name. It names no account: telling which existing user the
 * name resembles would let anyone enumerate accounts by trying variants.
 */
const LOOK_ALIKE = 'This username looks too much like the name of an existing account; choose a clearly different one.';

/**
 * ORDER BY per sort key, from a closed table (never caller text in SQL). Ties and NULLs
 * (no email, never signed in) break by id, so pages never repeat or skip a row.
 */
const ORDER_SQL: Record<UserSortKey, { column: string; nullable?: true }> = {
  id: { column: 'id' },
  username: { column: 'username_key' },
  displayName: { column: 'display_name COLLATE NOCASE' },
  email: { column: 'email_key', nullable: true },
  lastLogin: { column: 'last_login_at', nullable: true },
  createdAt: { column: 'created_at' },
};

/**
 * The users table. Every write bumps the ChangeTracker so in-memory caches built
 * on top (sessions, permissions) revalidate on their next read.
 */
export class UserRepository {
  private readonly byId: Statement<[number], UserRow>;
  private readonly byUsernameKey: Statement<[string], UserRow>;
  private readonly byEmailKey: Statement<[string], UserRow>;
  private readonly idByUsernameKey: Statement<[string], number>;
  private readonly idsBySkeleton: Statement<[string, string], number>;
  private readonly idByEmailKey: Statement<[string], number>;
  private readonly idByPhone: Statement<[string], number>;
  private readonly insert: Statement;
  private readonly countAll: Statement<[], number>;
  private readonly countActiveSupers: Statement<[], number>;
  private readonly setHash: Statement;
  private readonly rehashStmt: Statement;
  private readonly setLastLogin: Statement;
  private readonly deleteById: Statement<[number]>;
  private readonly patch: Statement;
  /** Page and count statements by (sort, order, filters), prepared once on first use. */
  private readonly listStatements = new Map<string, Statement>();
  private readonly match: string;

  constructor(
    private readonly db: Sqlite,
    private readonly clock: Clock,
    private readonly changes: ChangeTracker,
  ) {
    this.byId = db.prepare(`SELECT ${USER_COLUMNS} FROM users WHERE id = +?`);
    this.byUsernameKey = db.prepare(`SELECT ${USER_COLUMNS} FROM users WHERE username_key = +?`);
    this.byEmailKey = db.prepare(`SELECT ${USER_COLUMNS} FROM users WHERE email_key = +?`);
    this.idByUsernameKey = db.prepare<[string], number>('SELECT id FROM users WHERE username_key = ?').pluck();
    // Two indexed lookups (SQLite's OR-by-union), never a scan of the users table.
    this.idsBySkeleton = db
      .prepare<[string, string], number>('SELECT id FROM users WHERE username_skeleton = ? OR username_shown_skeleton = ?')
      .pluck();
    this.idByEmailKey = db.prepare<[string], number>('SELECT id FROM users WHERE email_key = ?').pluck();
    this.idByPhone = db.prepare<[string], number>('SELECT id FROM users WHERE phone = ?').pluck();
    this.insert = db.prepare(
      `INSERT INTO users (username, username_key, username_skeleton, username_shown_skeleton, email, email_key, phone, display_name, password_hash,
         is_active, is_staff, is_superuser, must_change_password, created_at, password_changed_at)
       VALUES (@username, @usernameKey, @usernameSkeleton, @usernameShownSkeleton, @email, @emailKey, @phone, @displayName, @passwordHash,
         @isActive, @isStaff, @isSuperuser, @mustChangePassword, @now, @now)`,
    );
    this.countAll = db.prepare<[], number>('SELECT count(*) FROM users').pluck();
    this.countActiveSupers = db
      .prepare<[], number>('SELECT count(*) FROM users WHERE is_superuser = 1 AND is_active = 1')
      .pluck();
    this.rehashStmt = db.prepare('UPDATE users SET password_hash = @hash WHERE id = @id AND password_hash = @previous');
    this.setHash = db.prepare(
      'UPDATE users SET password_hash = @hash, password_changed_at = coalesce(@changedAt, password_changed_at), ' +
        'must_change_password = coalesce(@mustChange, must_change_password) WHERE id = @id',
    );
    this.setLastLogin = db.prepare('UPDATE users SET last_login_at = ? WHERE id = ?');
    this.deleteById = db.prepare('DELETE FROM users WHERE id = ?');
    // One statement for every patch: a flag or a NULL says "leave this column as it is".
    this.patch = db.prepare(
      `UPDATE users SET
         username = CASE WHEN @setUsername THEN @username ELSE username END,
         username_key = CASE WHEN @setUsername THEN @usernameKey ELSE username_key END,
         username_skeleton = CASE WHEN @setUsername THEN @usernameSkeleton ELSE username_skeleton END,
         username_shown_skeleton = CASE WHEN @setUsername THEN @usernameShownSkeleton ELSE username_shown_skeleton END,
         email = CASE WHEN @setEmail THEN @email ELSE email END,
         email_key = CASE WHEN @setEmail THEN @emailKey ELSE email_key END,
         phone = CASE WHEN @setPhone THEN @phone ELSE phone END,
         display_name = coalesce(@displayName, display_name),
         is_active = coalesce(@isActive, is_active),
         is_staff = coalesce(@isStaff, is_staff),
         is_superuser = coalesce(@isSuperuser, is_superuser),
         must_change_password = coalesce(@mustChange, must_change_password)
       WHERE id = @id`,
    );
    // SQLite's lower() and LIKE fold ASCII only: "Émile" or "Straße" would never match a
    // search. The display name goes through the same fold as the stored keys instead,
    // but only when it has a non-ASCII character: for pure ASCII, LIKE's own ASCII case
    // folding gives the same answer in C, without a call into JavaScript per row (the
    // difference between ~100 ms and a few ms for a search over 10,000 users).
    db.function('fold_key', { deterministic: true }, (v: unknown) => (typeof v === 'string' ? foldKey(v) : v));
    const displayKey = "CASE WHEN display_name GLOB '*[^ -~]*' THEN fold_key(display_name) ELSE display_name END";
    const match = `username_key LIKE @q ESCAPE '\\' OR email_key LIKE @q ESCAPE '\\' OR ${displayKey} LIKE @q ESCAPE '\\'`;
    this.match = match;
  }

  /** The WHERE clause for a search text and/or a group; '' when neither. */
  private where(text: boolean, group: boolean): string {
    const parts = [
      ...(text ? [`(${this.match})`] : []),
      ...(group ? ['id IN (SELECT user_id FROM user_groups WHERE group_id = @groupId)'] : []),
    ];
    return parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '';
  }

  private listStatement(sort: UserSortKey, order: 'asc' | 'desc', text: boolean, group: boolean): Statement {
    const key = `${sort}:${order}:${text ? 1 : 0}:${group ? 1 : 0}`;
    let stmt = this.listStatements.get(key);
    if (!stmt) {
      const dir = order === 'desc' ? 'DESC' : 'ASC';
      const { column, nullable } = ORDER_SQL[sort];
      // NULLs stay last in both directions.
      const terms = [...(nullable ? [`${column} IS NULL`] : []), `${column} ${dir}`];
      if (sort !== 'id') terms.push(`id ${dir}`);
      stmt = this.db.prepare(
        `SELECT ${USER_COLUMNS} FROM users ${this.where(text, group)} ORDER BY ${terms.join(', ')} LIMIT @limit OFFSET @offset`,
      );
      this.listStatements.set(key, stmt);
    }
    return stmt;
  }

  private countStatement(text: boolean, group: boolean): Statement {
    const key = `count:${text ? 1 : 0}:${group ? 1 : 0}`;
    let stmt = this.listStatements.get(key);
    if (!stmt) {
      stmt = this.db.prepare(`SELECT count(*) FROM users ${this.where(text, group)}`).pluck();
      this.listStatements.set(key, stmt);
    }
    return stmt;
  }


  findById(id: number): UserRecord | null {
    const row = this.byId.get(id);
    return row ? toUserRecord(row) : null;
  }

  /** Username or email, compared case-folded after NFKC (an "@" means email). */
  findByIdentifier(identifier: string): UserRecord | null {
    const key = foldKey(identifier);
    const row = identifierKind(identifier) === 'email' ? this.byEmailKey.get(key) : this.byUsernameKey.get(key);
    return row ? toUserRecord(row) : null;
  }

  count(): number {
    return this.countAll.get() as number;
  }

  countActiveSuperusers(): number {
    return this.countActiveSupers.get() as number;
  }

  /** Creates the user; CONFLICT (with every taken field) when username, email or phone exist. */
  create(input: NewUser): UserRecord {
    const fields = validateProfileFields({
      username: input.username,
      email: input.email ?? null,
      phone: input.phone ?? null,
      displayName: input.displayName ?? '',
    });
    const username = fields.username as string;
    const email = fields.email ?? null;
    const phone = fields.phone ?? null;
    // Check and insert under the write lock: another process (the manage CLI) cannot
    // take the name in between and turn a CONFLICT into a raw UNIQUE failure.
    const info = this.writeLocked(() => {
      this.assertFree({ username, email, phone }, null);
      return this.insert.run({
        username,
        usernameKey: foldKey(username),
        usernameSkeleton: usernameSkeleton(username),
        usernameShownSkeleton: usernameShownSkeleton(username),
        email,
        emailKey: email === null ? null : foldKey(email),
        phone,
        displayName: fields.displayName ?? '',
        passwordHash: input.passwordHash,
        isActive: input.isActive === false ? 0 : 1,
        isStaff: input.isStaff ? 1 : 0,
        isSuperuser: input.isSuperuser ? 1 : 0,
        mustChangePassword: input.mustChangePassword ? 1 : 0,
        now: this.clock.now(),
      });
    });
    this.changes.bump();
    return this.findById(Number(info.lastInsertRowid)) as UserRecord;
  }

  /** Applies the fields present in `patch`; NOT_FOUND for an unknown id. */
  update(id: number, patch: UserPatch): UserRecord {
    const current = this.byId.get(id);
    if (!current) throw new AppError('NOT_FOUND', 'That user does not exist.');
    // A form sent back with the name unchanged is not a rename: a name made before the
    // look-alike rules (see migration 3) must not block editing the other fields.
    const renamed = patch.username !== undefined && normalizeUsername(patch.username) !== current.username;
    const fields = validateProfileFields({
      ...(renamed && { username: patch.username }),
      ...(patch.email !== undefined && { email: patch.email }),
      ...(patch.phone !== undefined && { phone: patch.phone }),
      ...(patch.displayName !== undefined && { displayName: patch.displayName }),
    });
    this.writeLocked(() => this.applyPatch(id, patch, fields));
    this.changes.bump();
    return this.findById(id) as UserRecord;
  }

  private applyPatch(id: number, patch: UserPatch, fields: ProfileFields): void {
    if (!this.byId.get(id)) throw new AppError('NOT_FOUND', 'That user does not exist.');
    this.assertFree(
      {
        ...(fields.username !== undefined && { username: fields.username }),
        ...(fields.email !== undefined && { email: fields.email }),
        ...(fields.phone !== undefined && { phone: fields.phone }),
      },
      id,
    );
    const flag = (v: boolean | undefined): number | null => (v === undefined ? null : v ? 1 : 0);
    this.patch.run({
      id,
      setUsername: fields.username !== undefined ? 1 : 0,
      username: fields.username ?? null,
      usernameKey: fields.username !== undefined ? foldKey(fields.username) : null,
      usernameSkeleton: fields.username !== undefined ? usernameSkeleton(fields.username) : null,
      usernameShownSkeleton: fields.username !== undefined ? usernameShownSkeleton(fields.username) : null,
      setEmail: fields.email !== undefined ? 1 : 0,
      email: fields.email ?? null,
      emailKey: fields.email ? foldKey(fields.email) : null,
      setPhone: fields.phone !== undefined ? 1 : 0,
      phone: fields.phone ?? null,
      displayName: fields.displayName ?? null,
      isActive: flag(patch.isActive),
      isStaff: flag(patch.isStaff),
      isSuperuser: flag(patch.isSuperuser),
      mustChange: flag(patch.mustChangePassword),
    });
  }

  /** IMMEDIATE: take the write lock before reading (a savepoint inside a caller's transaction). */
  private writeLocked<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /** A new password: records the change time; `mustChange` sets or clears the flag. */
  setPassword(id: number, passwordHash: string, mustChange: boolean): void {
    this.setHash.run({ id, hash: passwordHash, changedAt: this.clock.now(), mustChange: mustChange ? 1 : 0 });
    this.changes.bump();
  }

  /** Same password, new hash (cost upgrade on login): not a password change. */
  /**
   * Only if the stored hash is still `previousHash`: a password changed meanwhile
   * (by an admin, or the CLI) must never be overwritten by the old one's upgrade.
   */
  rehash(id: number, passwordHash: string, previousHash: string): boolean {
    if (this.rehashStmt.run({ id, hash: passwordHash, previous: previousHash }).changes === 0) return false;
    this.changes.bump();
    return true;
  }

  recordLogin(id: number): void {
    this.setLastLogin.run(this.clock.now(), id);
    this.changes.bump();
  }

  delete(id: number): boolean {
    const removed = this.deleteById.run(id).changes > 0;
    if (removed) this.changes.bump();
    return removed;
  }

  /**
   * Pages through users ordered by `sort` (default id) then id; `query` matches username,
   * email or display name; `groupId` keeps that group's members.
   */
  list({ query, groupId, offset = 0, limit = 50, sort = 'id', order = 'asc' }: UserListQuery = {}): {
    items: UserRecord[];
    total: number;
  } {
    const needle = query?.trim();
    const text = Boolean(needle);
    const group = groupId !== undefined;
    if (!text && !group) {
      const rows = this.listStatement(sort, order, false, false).all({ offset, limit }) as UserRow[];
      return { items: rows.map(toUserRecord), total: this.count() };
    }
    const params = {
      ...(text && { q: `%${foldKey(needle ?? '').replace(/[\\%_]/g, (c) => `\\${c}`)}%` }),
      ...(group && { groupId }),
    };
    const rows = this.listStatement(sort, order, text, group).all({ ...params, offset, limit }) as UserRow[];
    // A first page that is not full already holds every match: no second scan to count.
    const total = offset === 0 && rows.length < limit ? rows.length : (this.countStatement(text, group).get(params) as number);
    return { items: rows.map(toUserRecord), total };
  }

  /**
   * CONFLICT when `username` is taken or looks like another user's name (the same
   * check create and update make under the write lock); for asking before a prompt.
   */
  assertUsernameAvailable(username: string, selfId: number | null = null): void {
    this.assertFree({ username }, selfId);
  }

  private assertFree(values: { username?: string; email?: string | null; phone?: string | null }, selfId: number | null): void {
    const taken: Record<string, string> = {};
    const other = (id: number | undefined): boolean => id !== undefined && id !== selfId;
    if (values.username !== undefined) {
      if (other(this.idByUsernameKey.get(foldKey(values.username)))) taken.username = 'This username is already taken.';
      else if (this.idsBySkeleton.all(usernameSkeleton(values.username), usernameShownSkeleton(values.username)).some(other))
        taken.username = LOOK_ALIKE;
    }
    if (values.email && other(this.idByEmailKey.get(foldKey(values.email))))
      taken.email = 'This email is already used by another account.';
    if (values.phone && other(this.idByPhone.get(values.phone)))
      taken.phone = 'This phone number is already used by another account.';
    if (Object.keys(taken).length > 0) {
      throw new AppError('CONFLICT', Object.values(taken).join(' '), { fields: taken });
    }
  }
}
