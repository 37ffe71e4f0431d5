/**
 * The database could not be opened or used as it is. The message names the file
 * and the reason; the file itself is never replaced, "repaired" or migrated
 * backwards: a person's accounts are not ours to throw away.
 */
export class DatabaseOpenError extends Error {
  readonly path: string;
  /** `cause` (the SQLite error) is for the log only: its text is never in `message`. */
  constructor(path: string, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'DatabaseOpenError';
    this.path = path;
  }
}

/**
 * accounts.db exists but holds no tables (0 bytes, or an SQLite header and nothing
 * else). Only a missing file means a first run: a truncated or emptied database taken
 * for a fresh install would offer first-run setup, and whoever is at the machine could
 * make themselves the administrator. Never migrated, never written.
 */
export class EmptyDatabaseError extends DatabaseOpenError {
  constructor(path: string) {
    super(
      path,
      `The accounts database ${path} exists but is empty (it has no tables): it was emptied or truncated, ` +
        'so it is not treated as a new installation. Restore accounts.db from a backup; to really start over ' +
        'with no accounts, delete or move the empty file away. The file was left as it is.',
    );
    this.name = 'EmptyDatabaseError';
  }
}

/**
 * SQLite's integrity check found damage. Refused before anything is written: writing
 * into a damaged b-tree can spread the damage, and the app would start and then answer
 * INTERNAL to every sign-in.
 */
export class DamagedDatabaseError extends DatabaseOpenError {
  constructor(path: string, cause?: unknown) {
    super(
      path,
      `The accounts database ${path} is damaged (SQLite's integrity check failed); nothing was written to it. ` +
        "Quit the app and restore accounts.db from a backup. 'manage check' prints the full report.",
      cause,
    );
    this.name = 'DamagedDatabaseError';
  }
}
