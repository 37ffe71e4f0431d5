import { existsSync, statSync } from 'node:fs';
import { posix, resolve, win32 } from 'node:path';
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
