import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChangeTracker, DB_FILE, DatabaseOpenError, describeSqliteError, openDatabase, type Sqlite } from '../../../../electron/core/db/database';
import { MIGRATIONS, type Migration } from '../../../../electron/core/db/migrations';
import { FakeTime } from '../../../support/fake-time';

const TABLES = [
  'users', 'groups', 'permissions', 'user_groups', 'group_permissions', 'user_permissions',
  'login_failures', 'remembered_devices', 'audit_events', 'user_prefs', 'sessions',
];
const DEFAULT_PERMISSIONS = [
  'audit.view_event',
  'auth.add_group', 'auth.add_user', 'auth.change_group', 'auth.change_user',
  'auth.delete_group', 'auth.delete_user', 'auth.view_group', 'auth.view_user',
  'sessions.delete_session', 'sessions.view_session',
];

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
const mode = (path: string): number => statSync(path).mode & 0o777;

let root: string;
let dataDir: string;
let dbPath: string;
let time: FakeTime;
const open: Sqlite[] = [];

/** Opens and remembers the connection so afterEach closes it even when an assertion fails. */
function openTracked(dir = dataDir, options: Parameters<typeof openDatabase>[1] = {}): Sqlite {
  const db = openDatabase(dir, { clock: time, ...options });
  open.push(db);
  return db;
}

/** Asserts openDatabase refuses with a DatabaseOpenError naming the file, and returns it. */
function expectRefused(dir = dataDir, options: Parameters<typeof openDatabase>[1] = {}): DatabaseOpenError {
  let caught: unknown;
  try {
    openTracked(dir, options);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(DatabaseOpenError);
  const error = caught as DatabaseOpenError;
  expect(error.message).toContain(error.path);
  expect(error.message).not.toMatch(/SqliteError|syntax error|no such|near "/);
  return error;
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'database-test-'));
  dataDir = join(root, 'data');
  dbPath = join(dataDir, DB_FILE);
  time = new FakeTime();
});

afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
  rmSync(root, { recursive: true, force: true });
});

describe('openDatabase: a fresh data folder', () => {
  it('creates accounts.db in WAL mode with foreign keys and a busy timeout', () => {
    const db = openTracked(dataDir, { busyTimeoutMs: 1234 });
    expect(existsSync(dbPath)).toBe(true);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(1234);
    expect(openTracked().pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  it('bounds what the WAL keeps after it starts over (journal_size_limit 12 MiB) and caches 16 MiB of pages', () => {
    const db = openTracked();
    expect(db.pragma('journal_size_limit', { simple: true })).toBe(12 * 2 ** 20);
    expect(db.pragma('cache_size', { simple: true })).toBe(-16384);
  });

  it('records every migration with the clock time', () => {
    const db = openTracked();
    const rows = db.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all();
    expect(rows).toEqual([
      { version: 1, name: 'accounts', applied_at: time.now() },
      { version: 2, name: 'sessions', applied_at: time.now() },
      { version: 3, name: 'username skeletons', applied_at: time.now() },
      { version: 4, name: 'installation', applied_at: time.now() },
    ]);
  });

  it('creates one random installation id, once (the redis engine key prefix)', () => {
    const id = openTracked().prepare<[], string>('SELECT id FROM installation').pluck().all();
    expect(id).toHaveLength(1);
    expect(id[0]).toMatch(/^[0-9a-f]{32}$/);
    open.pop()?.close();
    expect(openTracked().prepare('SELECT id FROM installation').pluck().all()).toEqual(id);
  });

  it('creates every table of the schema', () => {
    const db = openTracked();
    const names = db.prepare<[], string>("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all();
    for (const table of TABLES) expect(names, table).toContain(table);
  });

  it('seeds the 11 default permissions', () => {
    const db = openTracked();
    const perms = db
      .prepare<[], string>("SELECT app_label || '.' || codename FROM permissions ORDER BY 1")
      .pluck()
      .all();
    expect(perms).toEqual(DEFAULT_PERMISSIONS);
  });

  it('creates the missing data folder 0700 and the database file 0600 (its -wal and -shm too)', () => {
    const nested = join(root, 'a', 'b', 'data');
    openTracked(nested);
    expect(statSync(nested).isDirectory()).toBe(true);
    expect(mode(nested)).toBe(0o700);
    const file = join(nested, DB_FILE);
    expect(mode(file)).toBe(0o600);
    // SQLite gives these the mode the main file had when they were created.
    expect(mode(`${file}-wal`)).toBe(0o600);
    expect(mode(`${file}-shm`)).toBe(0o600);
  });

  it('reopening applies nothing new and keeps the data', () => {
    const first = openTracked();
    first.prepare("INSERT INTO groups (name, name_key) VALUES ('Staff', 'staff')").run();
    const tracker = new ChangeTracker(first);
    time.advance(60_000);
    const db = openTracked();
    expect(tracker.external()).toBe(0); // the second open committed nothing
    const stamps = db.prepare<[], number>('SELECT applied_at FROM schema_migrations').pluck().all();
    expect(stamps).toEqual(MIGRATIONS.map(() => time.now() - 60_000));
    expect(db.prepare('SELECT count(*) AS n FROM groups').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT count(*) AS n FROM permissions').get()).toEqual({ n: 11 });
  });
});

describe('openDatabase: files it must refuse and leave untouched', () => {
  /** Writes `bytes` as accounts.db, expects a refusal, and checks the bytes did not change. */
  function refusesUnchanged(bytes: Buffer | string): DatabaseOpenError {
    writeFileSync(dbPath, bytes);
    const before = sha256(dbPath);
    const error = expectRefused();
    expect(error.path).toBe(dbPath);
    expect(sha256(dbPath)).toBe(before);
    return error;
  }

  beforeEach(() => {
    mkdirSync(dataDir);
  });

  it('refuses a database from a newer version of the app, naming the path and saying newer', () => {
    const db = openTracked();
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 0)").run();
    db.pragma('journal_mode = DELETE'); // as another build might leave it: the WAL switch would rewrite the header
    open.pop()?.close();
    const before = sha256(dbPath);
    const error = expectRefused();
    expect(error.message).toContain(dbPath);
    expect(error.message).toMatch(/newer/);
    expect(sha256(dbPath)).toBe(before);
  });

  it('refuses random bytes', () => {
    const bytes = Buffer.alloc(8192);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) % 251;
    expect(refusesUnchanged(bytes).message).toMatch(/not a database/);
  });

  it('refuses a text file', () => {
    expect(refusesUnchanged('name,email\nalice,alice@example.com\n'.repeat(50)).message).toMatch(/not a database/);
  });

  it('refuses a truncated database (its first 100 bytes)', () => {
    const full = join(root, 'full');
    openTracked(full);
    open.pop()?.close();
    const head = readFileSync(join(full, DB_FILE)).subarray(0, 100);
    refusesUnchanged(head);
  });

  it("refuses another app's SQLite file (tables but no schema_migrations), in rollback-journal mode", () => {
    const other = new Database(dbPath);
    other.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('mine')");
    other.close();
    const error = refusesUnchanged(readFileSync(dbPath));
    expect(error.message).toMatch(/not an accounts database/);
  });

  it('refuses a database file with no write permission, and leaves it as it is', () => {
    const db = openTracked();
    db.prepare("INSERT INTO groups (name, name_key) VALUES ('Staff', 'staff')").run();
    open.pop()?.close();
    chmodSync(dbPath, 0o444);
    const before = sha256(dbPath);
    // Root passes access(W_OK); the missing write bits are honoured anyway.
    const error = expectRefused();
    expect(error.message).toMatch(/read-only/);
    expect(sha256(dbPath)).toBe(before);
    expect(mode(dbPath)).toBe(0o444);
  });

  it('refuses a data folder that is a file', () => {
    const file = join(root, 'not-a-folder');
    writeFileSync(file, 'x');
    const error = expectRefused(file);
    expect(error.path).toBe(file);
    expect(error.message).toMatch(/not a folder/);
    expect(readFileSync(file, 'utf8')).toBe('x');
  });
});

describe('openDatabase: readonly', () => {
  it('reads a current database (also while a writer has it open) and refuses writes', () => {
    const writer = openTracked();
    writer.prepare("INSERT INTO groups (name, name_key) VALUES ('Staff', 'staff')").run();
    const reader = openTracked(dataDir, { readonly: true });
    expect(reader.prepare('SELECT name FROM groups').pluck().get()).toBe('Staff');
    expect(() => reader.prepare("INSERT INTO groups (name, name_key) VALUES ('X', 'x')").run()).toThrow();
    writer.prepare("INSERT INTO groups (name, name_key) VALUES ('Admins', 'admins')").run();
    expect(reader.prepare('SELECT count(*) FROM groups').pluck().get()).toBe(2);
  });

  it('opens a chmod 0444 file readonly (the path the acceptance tests use)', () => {
    openTracked();
    open.pop()?.close();
    chmodSync(dbPath, 0o444);
    const reader = openTracked(dataDir, { readonly: true });
    expect(reader.prepare('SELECT count(*) FROM permissions').pluck().get()).toBe(11);
  });

  it('never creates anything: a missing folder or file is a clear error', () => {
    expect(expectRefused(dataDir, { readonly: true }).message).toMatch(/Cannot open/);
    expect(existsSync(dataDir)).toBe(false);
    mkdirSync(dataDir);
    expectRefused(dataDir, { readonly: true });
    expect(existsSync(dbPath)).toBe(false);
  });

  it('refuses a database that still needs a migration, without changing it', () => {
    openTracked(dataDir, { migrations: MIGRATIONS.slice(0, 1) });
    open.pop()?.close();
    const before = sha256(dbPath);
    expect(expectRefused(dataDir, { readonly: true }).message).toMatch(/needs migration 2/);
    expect(sha256(dbPath)).toBe(before);
  });
});

/** The first version this build does not know (a migration a newer build would add). */
const NEXT = MIGRATIONS.length + 1;
const KNOWN = MIGRATIONS.map((m) => m.version);

describe('openDatabase: a failing migration', () => {
  const bad: Migration = {
    version: NEXT,
    name: 'broken',
    sql: 'CREATE TABLE half_done (id INTEGER PRIMARY KEY); CREATE TABLE oops (id INTEGER PRIMARY KEY,,);',
  };
  const tables = (db: Sqlite): string[] =>
    db.prepare<[], string>("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all();

  it('on a fresh folder: nothing is applied at all, and the error hides SQLite text', () => {
    const error = expectRefused(dataDir, { migrations: [...MIGRATIONS, bad] });
    expect(error.message).toMatch(new RegExp(`version ${NEXT} \\(broken\\)`));
    expect(error.message).toMatch(/rolled back/);
    // The schema is built aside and put in place only when complete: no accounts.db at all,
    // and no temporary file left behind.
    expect(existsSync(dbPath)).toBe(false);
    expect(readdirSync(dataDir)).toEqual([]);
    // The folder is still usable by this build.
    expect(tables(openTracked())).toContain('sessions');
  });

  it('on a current database: the version is not recorded and no table is half-applied', () => {
    openTracked();
    open.pop()?.close();
    expectRefused(dataDir, { migrations: [...MIGRATIONS, bad] });
    const db = openTracked();
    expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toEqual(KNOWN);
    expect(tables(db)).not.toContain('half_done');
    expect(tables(db)).not.toContain('oops');
  });

  it('applies a good third migration once', () => {
    const good: Migration = { version: NEXT, name: 'extra', sql: 'CREATE TABLE extra (id INTEGER PRIMARY KEY);' };
    openTracked(dataDir, { migrations: [...MIGRATIONS, good] });
    open.pop()?.close();
    const db = openTracked(dataDir, { migrations: [...MIGRATIONS, good] });
    expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toEqual([...KNOWN, NEXT]);
    // This build knows only KNOWN: a folder upgraded by a newer build is now refused.
    open.pop()?.close();
    expect(expectRefused().message).toMatch(/newer/);
  });
});

describe('ChangeTracker', () => {
  it('is stable without writes and counts bump()', () => {
    const tracker = new ChangeTracker(openTracked());
    const start = tracker.current();
    expect(tracker.current()).toBe(start);
    tracker.bump();
    expect(tracker.current()).toBe(start + 1);
    tracker.bump();
    expect(tracker.current()).toBe(start + 2);
    expect(tracker.external()).toBe(0);
  });

  it("does not see its own connection's commits (that is what bump() is for)", () => {
    const db = openTracked();
    const tracker = new ChangeTracker(db);
    const start = tracker.current();
    db.prepare("INSERT INTO groups (name, name_key) VALUES ('Staff', 'staff')").run();
    expect(tracker.current()).toBe(start);
  });

  it("sees a commit from a second connection in current() and external()", () => {
    const first = openTracked();
    const tracker = new ChangeTracker(first);
    const second = openTracked();
    const start = tracker.current();
    expect(tracker.external()).toBe(0);
    second.prepare("INSERT INTO groups (name, name_key) VALUES ('Staff', 'staff')").run();
    expect(tracker.current()).toBe(start + 1);
    expect(tracker.external()).toBe(1);
    expect(tracker.current()).toBe(start + 1);
    second.prepare("DELETE FROM groups").run();
    expect(tracker.external()).toBe(2);
    expect(tracker.current()).toBe(start + 2);
  });
});

describe('describeSqliteError', () => {
  const sqliteError = (code: string, message: string): Error => Object.assign(new Error(message), { code });

  it('reads known codes in plain words and never repeats SQLite text', () => {
    expect(describeSqliteError(sqliteError('SQLITE_BUSY', 'database is locked'))).toMatch(/locked by another program/);
    expect(describeSqliteError(sqliteError('SQLITE_CORRUPT_INDEX', 'x'))).toMatch(/damaged/);
    expect(describeSqliteError(sqliteError('SQLITE_FULL', 'x'))).toMatch(/disk is full/);
    const unknown = describeSqliteError(sqliteError('SQLITE_CONSTRAINT_UNIQUE', 'UNIQUE constraint failed: users.username_key'));
    expect(unknown).not.toMatch(/users|UNIQUE constraint/);
    expect(unknown).toMatch(/unexpected database error/);
    expect(describeSqliteError(sqliteError('SQLITE_ERROR', 'near "x"'), 'something broke')).toBe('something broke');
  });
});
