import { chmodSync, existsSync, mkdirSync, statSync, accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { systemClock, type Clock } from '../clock';
import { MIGRATIONS, type Migration } from './migrations';

export const DB_FILE = 'accounts.db';
export type Sqlite = Database.Database;

/**
 * The database could not be opened or used as it is. The message names the file
 * and the reason; the file itself is never replaced, "repaired" or migrated
 * backwards: a person's accounts are not ours to throw away.
 */
export class DatabaseOpenError extends Error {
  readonly path: string;
  constructor(path: string, message: string) {
    super(message);
    this.name = 'DatabaseOpenError';
    this.path = path;
  }
}

/**
 * Tracks whether anything else changed the database since we last looked, so
 * in-memory caches (sessions, users, permissions) stay coherent with writes made
 * by another connection (the manage CLI). Our own writes call bump().
 * PRAGMA data_version changes only for commits made by *other* connections.
 */
export class ChangeTracker {
  private generationValue = 0;
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
    }
    return this.generationValue;
  }

  /** True when another connection committed since the last call to current(). */
  externalChangePending(): boolean {
    return (this.dataVersion.get() as number) !== this.lastDataVersion;
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
}

/** Opens (creating if needed) <dataDir>/accounts.db and brings its schema up to date. */
export function openDatabase(dataDir: string, options: OpenOptions = {}): Sqlite {
  const path = join(dataDir, DB_FILE);
  ensureDataDir(dataDir);
  const existed = existsSync(path);
  if (existed) checkFileAccess(path, options.readonly ?? false);
  let db: Sqlite;
  try {
    db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  } catch (e) {
    throw new DatabaseOpenError(path, `Cannot open the accounts database ${path}: ${describeSqliteError(e)}`);
  }
  try {
    // Reading the schema is the first real access: a file that is not SQLite fails here.
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
    if (!options.readonly) {
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (mode !== 'wal') throw new Error(`journal_mode is ${String(mode)}, WAL is required`);
    }
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, path, options.migrations ?? MIGRATIONS, options.readonly ?? false, options.clock ?? systemClock);
  } catch (e) {
    db.close();
    if (e instanceof DatabaseOpenError) throw e;
    throw new DatabaseOpenError(
      path,
      `Cannot use the accounts database ${path}: ${describeSqliteError(e)}. The file was left as it is.`,
    );
  }
  if (!existed && !options.readonly) restrictMode(path, 0o600);
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
    throw new DatabaseOpenError(dataDir, `Cannot create the data folder ${dataDir}: ${(e as Error).message}`);
  }
}

function checkFileAccess(path: string, readonly: boolean): void {
  try {
    accessSync(path, readonly ? constants.R_OK : constants.R_OK | constants.W_OK);
  } catch {
    throw new DatabaseOpenError(
      path,
      `The accounts database ${path} is ${readonly ? 'not readable' : 'read-only'} for this user; ` +
        'fix its permissions. The file was left as it is.',
    );
  }
}

function restrictMode(path: string, mode: number): void {
  try {
    chmodSync(path, mode);
  } catch {
    // Best effort: on file systems without POSIX modes there is nothing to tighten.
  }
}

function migrate(db: Sqlite, path: string, migrations: readonly Migration[], readonly: boolean, clock: Clock): void {
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  const hasTable = db
    .prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'")
    .get();
  if (!hasTable) {
    const tables = db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number };
    if (tables.n > 0) {
      throw new DatabaseOpenError(
        path,
        `${path} is an SQLite file but not an accounts database (it has no schema_migrations table). ` +
          'It was left as it is; point the app at another data folder.',
      );
    }
    if (readonly) throw new DatabaseOpenError(path, `${path} has no schema yet.`);
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  }
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]),
  );
  const newest = Math.max(0, ...applied);
  if (newest > latest) {
    throw new DatabaseOpenError(
      path,
      `${path} has schema version ${newest}, newer than this version of the app understands (${latest}). ` +
        'Update the app; the file was not changed.',
    );
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    if (readonly) throw new DatabaseOpenError(path, `${path} needs migration ${m.version}; open it writable once.`);
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, clock.now());
    })();
  }
}

/** Human text for an SQLite failure: never SQL, never a stack. */
export function describeSqliteError(e: unknown): string {
  const code = (e as { code?: string })?.code ?? '';
  if (code.startsWith('SQLITE_NOTADB')) return 'the file is not a database (or is damaged)';
  if (code.startsWith('SQLITE_CORRUPT')) return 'the database file is damaged';
  if (code.startsWith('SQLITE_READONLY')) return 'the database is read-only';
  if (code.startsWith('SQLITE_CANTOPEN')) return 'the file cannot be opened (missing folder or no permission)';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    return 'the database is locked by another program';
  if (code.startsWith('SQLITE_FULL')) return 'the disk is full';
  if (code.startsWith('SQLITE_IOERR')) return 'a disk read or write failed';
  if (code.startsWith('SQLITE_PERM') || code.startsWith('SQLITE_AUTH')) return 'permission denied';
  return e instanceof Error ? e.message : String(e);
}
