import { randomBytes } from 'node:crypto';
import { accessSync, closeSync, constants, copyFileSync, existsSync, linkSync, mkdirSync, openSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { systemClock, type Clock } from '../clock';
import { silentLogger, type Logger } from '../log';
import { DatabaseOpenError, EmptyDatabaseError } from './database-errors';
import { requireQuickCheck, tightenModes } from './database-guards';
import { MIGRATIONS, type Migration } from './migrations';

export const DB_FILE = 'accounts.db';

/**
 * Page cache per connection, in KiB (PRAGMA cache_size = -N; SQLite's default is 2 MiB):
 * a sweep of 10,000 sessions touches ~4,000 pages. The bench's floor connection uses it too.
 */
export const CACHE_SIZE_KIB = 16_384;

/**
 * What a WAL left after a complete checkpoint is cut back to (PRAGMA journal_size_limit).
 * Big enough that a sweep ending 10,000 of 100,000 sessions (~10 MiB of frames) reuses
 * the file instead of growing it again after every reset (at 4 MiB that regrowth made
 * sweep_100k_10pct ~45 % slower); small enough that the WAL stays under 16 MiB while the
 * app runs (test/reliability/wal-growth.test.ts): the checkpoints bound what is written,
 * this only bounds what is kept.
 */
export const JOURNAL_SIZE_LIMIT_BYTES = 12 * 2 ** 20;
export type Sqlite = Database.Database;

export { DamagedDatabaseError, DatabaseOpenError, EmptyDatabaseError } from './database-errors';

/**
 * Tracks whether anything else changed the database since we last looked, so
 * in-memory caches (sessions, users, permissions) stay coherent with writes made
 * by another connection (the manage CLI). Our own writes call bump().
 * PRAGMA data_version changes only for commits made by *other* connections.
 */
export class ChangeTracker {
  private generationValue = 0;
  private externalValue = 0;
  private lastDataVersion: number;
  private readonly dataVersion: Database.Statement<[], number>;

  constructor(db: Sqlite) {
    this.dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
    this.lastDataVersion = this.dataVersion.get() as number;
  }

  /** Current generation, after checking for outside commits (~1 µs). */
  current(): number {
    const v = this.dataVersion.get() as number;
    if (v !== this.lastDataVersion) {
      this.lastDataVersion = v;
      this.generationValue++;
      this.externalValue++;
    }
    return this.generationValue;
  }

  /** How many times another connection's commits were seen (checks first). */
  /** The outside-commit count as of the last current() call (no query). */
  get externalSeen(): number {
    return this.externalValue;
  }

  external(): number {
    this.current();
    return this.externalValue;
  }

  bump(): void {
    this.generationValue++;
  }
}

export interface OpenOptions {
  /** Milliseconds to wait for another connection's write lock. */
  busyTimeoutMs?: number;
  migrations?: readonly Migration[];
  readonly?: boolean;
  /** Stamps applied_at on migrations. */
  clock?: Clock;
  /** Told (one line) when the modes of an existing folder or file were tightened. */
  log?: Logger;
}

/**
 * Opens (creating if needed) <dataDir>/accounts.db and brings its schema up to date.
 * Order matters: the file is inspected (is it SQLite, is it ours, is it not newer
 * than us) before anything is written to it, because switching to WAL already
 * rewrites the header of a file we may have no business touching.
 */
export function openDatabase(dataDir: string, options: OpenOptions = {}): Sqlite {
  const path = join(dataDir, DB_FILE);
  const readonly = options.readonly ?? false;
  const migrations = options.migrations ?? MIGRATIONS;
  const clock = options.clock ?? systemClock;
  if (!readonly) ensureDataDir(dataDir);
  if (existsSync(path)) {
    checkFileAccess(path, readonly);
    if (!readonly) tightenModes(dataDir, path, options.log ?? silentLogger);
  } else if (!readonly) createFresh(dataDir, path, migrations, clock);
  let db: Sqlite;
  try {
    db = new Database(path, { readonly, fileMustExist: true });
  } catch (e) {
    throw new DatabaseOpenError(path, `Cannot open the accounts database ${path}: ${describeSqliteError(e)}.`, e);
  }
  try {
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    // Reading the schema is the first real access: a file that is not SQLite fails here.
    // A file without tables was emptied (createFresh never links one into place).
    if (inspectSchema(db, path, migrations) === null) throw new EmptyDatabaseError(path);
    // Damage is found before the first write (the WAL switch below, migrations, the app's writes).
    requireQuickCheck(db, path);
    if (!readonly) {
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (mode !== 'wal') throw new Error(`journal_mode is ${String(mode)}, WAL is required`);
    }
    db.pragma('synchronous = NORMAL');
    // When the WAL starts over after a complete checkpoint, SQLite cuts the file back to
    // this size instead of leaving it at its largest (see wal-checkpointer.ts).
    db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT_BYTES}`);
    db.pragma(`cache_size = -${CACHE_SIZE_KIB}`);
    db.pragma('foreign_keys = ON');
    migrate(db, path, migrations, readonly, clock);
  } catch (e) {
    db.close();
    if (e instanceof DatabaseOpenError) throw e;
    throw new DatabaseOpenError(
      path,
      `Cannot use the accounts database ${path}: ${describeSqliteError(e)}. The file was left as it is.`,
      e,
    );
  }
  return db;
}

function ensureDataDir(dataDir: string): void {
  if (existsSync(dataDir)) {
    if (!statSync(dataDir).isDirectory()) {
      throw new DatabaseOpenError(dataDir, `The data folder ${dataDir} is not a folder.`);
    }
    return;
  }
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new DatabaseOpenError(dataDir, `Cannot create the data folder ${dataDir}: ${whyNoFolder(dataDir, e)}`, e);
  }
}

/**
 * Node's recursive mkdir answers ENOENT whatever stopped it (a read-only file system,
 * for one), which would send the person looking for a missing folder. The nearest
 * existing parent says the real reason (EROFS, EACCES) without creating anything.
 */
function whyNoFolder(dataDir: string, e: unknown): string {
  let parent = dirname(dataDir);
  while (!existsSync(parent) && dirname(parent) !== parent) parent = dirname(parent);
  try {
    accessSync(parent, constants.W_OK);
  } catch (denied) {
    return (denied as Error).message;
  }
  return (e as Error).message;
}

/**
 * Creates the empty database file owner-only *before* SQLite opens it: SQLite gives
 * the -wal and -shm files the mode of the database file when it creates them, and
 * those hold the same data (password hashes). A chmod after the fact leaves them
 * readable by every local user.
 */
function createPrivateFile(path: string, reportAs: string): void {
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (e) {
    const why = (e as Error).message.replace(path, reportAs);
    throw new DatabaseOpenError(reportAs, `Cannot create the accounts database ${reportAs}: ${why}`, e);
  }
}

/**
 * A first run: the schema is built in a private temporary file beside accounts.db and
 * put in place only once complete. So an accounts.db that exists always had a schema,
 * and one without tables was emptied (EmptyDatabaseError), never "being created by
 * another process". link() fails when the name exists: two processes creating the
 * folder at once both succeed, and the later copy is discarded. File systems without
 * hard links get an exclusive copy instead.
 */
function createFresh(dataDir: string, path: string, migrations: readonly Migration[], clock: Clock): void {
  const tmp = join(dataDir, `.${DB_FILE}.new-${process.pid}-${randomBytes(6).toString('hex')}`);
  createPrivateFile(tmp, path);
  try {
    const db = new Database(tmp, { fileMustExist: true });
    try {
      // WAL is recorded in the header; closing checkpoints and removes the temporary -wal.
      db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      migrate(db, path, migrations, false, clock);
    } finally {
      db.close();
    }
    putInPlace(tmp, path);
  } catch (e) {
    if (e instanceof DatabaseOpenError) throw e;
    throw new DatabaseOpenError(path, `Cannot create the accounts database ${path}: ${describeSqliteError(e)}.`, e);
  } finally {
    for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
  }
}

function putInPlace(tmp: string, path: string): void {
  try {
    linkSync(tmp, path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'EEXIST') return; // another process created it first: use theirs
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw e;
    try {
      copyFileSync(tmp, path, constants.COPYFILE_EXCL);
    } catch (copy) {
      if ((copy as { code?: string }).code !== 'EEXIST') throw copy;
    }
  }
}

/**
 * A file whose mode has no write bit at all was made read-only on purpose; that is
 * honoured even when running as root (which access() would let write anyway).
 */
function checkFileAccess(path: string, readonly: boolean): void {
  let ok = true;
  try {
    accessSync(path, readonly ? constants.R_OK : constants.R_OK | constants.W_OK);
    if (!readonly && (statSync(path).mode & 0o222) === 0) ok = false;
  } catch {
    ok = false;
  }
  if (!ok) {
    throw new DatabaseOpenError(
      path,
      `The accounts database ${path} is ${readonly ? 'not readable' : 'read-only'} for this user; ` +
        'fix its permissions. The file was left as it is.',
    );
  }
}

/** Read-only checks: SQLite at all, one of ours, not newer than this app. Returns applied versions. */
function inspectSchema(db: Sqlite, path: string, migrations: readonly Migration[]): Set<number> | null {
  const tables = db
    .prepare<[], string>("SELECT name FROM sqlite_schema WHERE type = 'table'")
    .pluck()
    .all();
  if (!tables.includes('schema_migrations')) {
    if (tables.length > 0) {
      throw new DatabaseOpenError(
        path,
        `${path} is an SQLite file but not an accounts database (it has no schema_migrations table). ` +
          'It was left as it is; point the app at another data folder.',
      );
    }
    return null;
  }
  const applied = new Set(db.prepare<[], number>('SELECT version FROM schema_migrations').pluck().all());
  const newest = Math.max(0, ...applied);
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  if (newest > latest) {
    throw new DatabaseOpenError(
      path,
      `${path} has schema version ${newest}, newer than this version of the app understands (${latest}). ` +
        'Update the app; the file was not changed.',
    );
  }
  return applied;
}

/**
 * Applies every pending migration in ONE immediate transaction: the file ends up
 * either fully current or exactly as it was (never at a half-way version another
 * build would misread). IMMEDIATE takes the write lock first, so two processes
 * opening a fresh folder at once serialize; the state is re-read under the lock.
 */
function migrate(db: Sqlite, path: string, migrations: readonly Migration[], readonly: boolean, clock: Clock): void {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  const pendingIn = (applied: Set<number> | null): Migration[] => sorted.filter((m) => !applied?.has(m.version));
  const before = inspectSchema(db, path, migrations);
  if (pendingIn(before).length === 0) return;
  if (readonly) {
    const first = pendingIn(before)[0] as Migration;
    throw new DatabaseOpenError(
      path,
      before === null ? `${path} has no schema yet; open it writable once.` : `${path} needs migration ${first.version}; open it writable once.`,
    );
  }
  const at: { migration: Migration | null } = { migration: null };
  try {
    db.transaction(() => {
      const applied = inspectSchema(db, path, migrations);
      if (applied === null) {
        db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
      }
      const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
      for (const m of pendingIn(applied)) {
        at.migration = m;
        db.exec(m.sql);
        m.run?.(db);
        record.run(m.version, m.name, clock.now());
      }
    }).immediate();
  } catch (e) {
    const m = at.migration;
    if (e instanceof DatabaseOpenError || m === null) throw e;
    throw new DatabaseOpenError(
      path,
      `Cannot upgrade the accounts database ${path} to schema version ${m.version} (${m.name}): ` +
        `${describeSqliteError(e)}. The upgrade was rolled back; the file was left as it is.`,
      e,
    );
  }
}

/**
 * Human text for an SQLite failure: never SQL, never SQLite's own message, never a
 * stack. `fallback` replaces the text for codes without a plain-language reading.
 */
export function describeSqliteError(e: unknown, fallback?: string): string {
  const code = (e as { code?: unknown })?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return e instanceof Error ? e.message : String(e);
  if (code.startsWith('SQLITE_NOTADB')) return 'the file is not a database (or is damaged)';
  if (code.startsWith('SQLITE_CORRUPT')) return 'the database file is damaged';
  if (code.startsWith('SQLITE_READONLY')) return 'the database is read-only';
  if (code.startsWith('SQLITE_CANTOPEN')) return 'the file cannot be opened (missing folder or no permission)';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    return 'the database is locked by another program';
  if (code.startsWith('SQLITE_FULL')) return 'the disk is full';
  if (code.startsWith('SQLITE_IOERR')) return 'a disk read or write failed';
  if (code.startsWith('SQLITE_PERM') || code.startsWith('SQLITE_AUTH')) return 'permission denied';
  // SQLite's own text can quote SQL and schema; the code alone is enough for support.
  return fallback ?? `an unexpected database error (${code})`;
}
