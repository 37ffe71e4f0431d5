import { accessSync, constants, existsSync, lstatSync, readlinkSync, statSync, type Stats } from 'node:fs';
import { join, posix, resolve, win32 } from 'node:path';
import { APP_NAME } from '../core/app-identity';
import { DB_FILE } from '../core/db/database';
import { CliError } from './cli-errors';

/**
 * The folder Electron's app.getPath('userData') gives the app ("Local Accounts") on
 * each OS, so `manage` without --data-dir works on the same accounts as the app:
 * - Linux and other Unixes: $XDG_CONFIG_HOME (when set and not empty, as Chromium
 *   reads it), else ~/.config; then "/Local Accounts";
 * - macOS: ~/Library/Application Support/Local Accounts;
 * - Windows: %APPDATA%\Local Accounts (else <home>\AppData\Roaming\Local Accounts).
 * Pure: the caller passes the platform, the environment and the home folder.
 */
export function defaultDataDir(platform: NodeJS.Platform, env: Readonly<Record<string, string | undefined>>, homedir: string): string {
  if (platform === 'win32') {
    const appData = env.APPDATA ? env.APPDATA : win32.join(homedir, 'AppData', 'Roaming');
    return win32.join(appData, APP_NAME);
  }
  if (platform === 'darwin') return posix.join(homedir, 'Library', 'Application Support', APP_NAME);
  const config = env.XDG_CONFIG_HOME ? env.XDG_CONFIG_HOME : posix.join(homedir, '.config');
  return posix.join(config, APP_NAME);
}

/** One argument as a POSIX shell reads it back: as is when safe, else in single quotes. */
export function shellArg(arg: string): string {
  return /^[\w./:=+@%,-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}

/**
 * A `manage` command line to suggest to the person, with the --data-dir in use: a hint
 * that drops it would send them to the default folder, not the one they are working on.
 */
export function manageCommand(dataDir: string, ...args: string[]): string {
  return ['manage', ...args, '--data-dir', shellArg(dataDir)].join(' ');
}

/** --data-dir made absolute against the working folder, or the app's own folder when not given. */
export function resolveDataDir(
  flag: string | undefined,
  where: { cwd: string; platform: NodeJS.Platform; env: Readonly<Record<string, string | undefined>>; homedir: string },
): string {
  if (flag !== undefined) {
    if (flag === '') throw new CliError('--data-dir is empty: give the folder that holds accounts.db.');
    return resolve(where.cwd, flag);
  }
  return defaultDataDir(where.platform, where.env, where.homedir);
}

/**
 * For every command but createsuperuser: the data folder and its accounts.db must
 * already exist. Opening would otherwise create an empty database in a mistyped
 * folder and answer "no users" as if that were the truth.
 */
export function requireExistingDatabase(dataDir: string): void {
  if (!existsSync(dataDir)) {
    throw new CliError(`No data folder at ${dataDir}.`, [
      `Check --data-dir, or run the app (or \`${manageCommand(dataDir, 'createsuperuser', '--username', 'NAME')}\`) once to create it.`,
    ]);
  }
  if (!statSync(dataDir).isDirectory()) throw new CliError(`${dataDir} is not a folder.`);
  const db = resolve(dataDir, DB_FILE);
  if (!existsSync(db)) {
    throw new CliError(`No accounts database in ${dataDir} (${DB_FILE} is missing).`, [
      `Check --data-dir, or run the app (or \`${manageCommand(dataDir, 'createsuperuser', '--username', 'NAME')}\`) once to create it.`,
    ]);
  }
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

/** The errno code of a failed access() check, or null when it is allowed. */
function denied(path: string, mode: number): string | null {
  try {
    accessSync(path, mode);
    return null;
  } catch (e) {
    return String((e as NodeJS.ErrnoException).code ?? 'EACCES');
  }
}

function danglingLink(path: string, what: string): CliError | null {
  const link = lstatOrNull(path);
  if (!link?.isSymbolicLink() || existsSync(path)) return null;
  return new CliError(`${what} ${path} is a symbolic link to ${readlinkSync(path)}, which does not exist.`, [
    'Create what it points to, or use the real path instead of the link. Nothing was changed.',
  ]);
}

/**
 * Checks made before anything is opened or created, each with a sentence that says
 * what is wrong and what to do, where SQLite and Node would only say "cannot open",
 * "read-only" or ENOENT: a --data-dir that is a dangling symbolic link, a folder this
 * user may not write in (SQLite writes accounts.db-wal and -shm beside the database
 * even to read it), an accounts.db that is a folder or that this user may not read.
 * `mustExist`: every command but createsuperuser needs the folder and accounts.db.
 */
export function requireUsableDataDir(dataDir: string, mustExist: boolean): void {
  const dangling = danglingLink(dataDir, '--data-dir');
  if (dangling) throw dangling;
  if (mustExist) requireExistingDatabase(dataDir);
  if (!existsSync(dataDir)) return; // created later, where the reason for a failure is reported
  if (!statSync(dataDir).isDirectory()) throw new CliError(`${dataDir} is not a folder.`);
  const db = join(dataDir, DB_FILE);
  const dbLink = danglingLink(db, 'The accounts database');
  if (dbLink) throw dbLink;
  if (existsSync(db)) {
    if (statSync(db).isDirectory()) {
      throw new CliError(`${db} is a folder, not a database file. It was left as it is.`, [
        'Move it away, or give --data-dir the folder that holds the real accounts.db.',
      ]);
    }
    const unreadable = denied(db, constants.R_OK);
    if (unreadable) {
      throw new CliError(`${db} cannot be read by this user (${unreadable}). It was left as it is.`, [
        'Run manage as the user who owns the data folder, or fix the file\'s owner and mode (ls -l shows them).',
      ]);
    }
  }
  const readOnly = denied(dataDir, constants.W_OK);
  if (readOnly) {
    const why = readOnly === 'EROFS' ? 'is on a read-only file system' : `is read-only for this user (${readOnly})`;
    throw new CliError(`The data folder ${dataDir} ${why}.`, [
      'The database writes its journal (accounts.db-wal, accounts.db-shm) beside accounts.db, even to read it.',
      readOnly === 'EROFS'
        ? 'Copy the folder somewhere writable and use --data-dir, or remount it read-write.'
        : "Run manage as the folder's owner, or fix its permissions (ls -ld shows them).",
    ]);
  }
}
