import { join, resolve } from 'node:path';
import type { App } from 'electron';
import { APP_NAME } from '../core/app-identity';

/**
 * The data folder: `--data-dir DIR` (made absolute against the working folder), else
 * Electron's user-data folder, pinned to `<appData>/Local Accounts` so it cannot drift
 * with package.json's name. electron/cli/data-dir.ts computes the same folder for
 * `manage` under plain Node; test/electron/main/data-folder.test.ts proves the two
 * agree on Linux, macOS and Windows.
 *
 * With --data-dir, Chromium's profile (and the single-instance lock, which is keyed
 * on it) moves there too: two data folders are two independent apps.
 */
export function chooseDataFolder(app: Pick<App, 'getPath' | 'setPath'>, flag: string | null, cwd: string): string {
  const dir = flag === null ? join(app.getPath('appData'), APP_NAME) : resolve(cwd, flag);
  app.setPath('userData', dir);
  return dir;
}
