import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix, win32 } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultDataDir } from '../../../electron/cli/data-dir';
import { createCore, DatabaseOpenError } from '../../../electron/core/index';
import { MemoryKeychain } from '../../../electron/core/keychain/memory-keychain';
import { silentLogger } from '../../../electron/core/log';
import { parseShellArgs } from '../../../electron/main/command-line';
import { chooseDataFolder } from '../../../electron/main/data-folder';
import { keychainWorkerScript } from '../../../electron/main/keychain-worker-path';
import { describeStartupFailure } from '../../../electron/main/startup-failure';
import { FakeApp } from '../../support/fake-electron';

describe('data folder: the app and `manage` agree', () => {
  // appData as Electron documents it per OS (app.getPath('appData')).
  const cases = [
    { platform: 'linux', env: {}, home: '/home/ann', appData: posix.join('/home/ann', '.config'), join: posix.join },
    { platform: 'linux', env: { XDG_CONFIG_HOME: '/xdg' }, home: '/home/ann', appData: '/xdg', join: posix.join },
    { platform: 'darwin', env: {}, home: '/Users/ann', appData: '/Users/ann/Library/Application Support', join: posix.join },
    { platform: 'win32', env: { APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, home: 'C:\\Users\\ann', appData: 'C:\\Users\\ann\\AppData\\Roaming', join: win32.join },
  ] as const;
  it.each(cases)('on $platform $env', (c) => {
    const app = new FakeApp();
    app.setPath('appData', c.appData);
    const chosen = chooseDataFolder(app, null, '/cwd');
    // Our join is the host's; compare with the same separator the CLI uses for that OS.
    expect(c.join(c.appData, 'Local Accounts')).toBe(defaultDataDir(c.platform, c.env, c.home));
    expect(chosen.replaceAll('\\', '/')).toBe(defaultDataDir(c.platform, c.env, c.home).replaceAll('\\', '/'));
    expect(app.getPath('userData')).toBe(chosen);
  });

  it('--data-dir wins, made absolute against the working folder, and moves userData with it', () => {
    const app = new FakeApp();
    app.setPath('appData', '/home/ann/.config');
    expect(chooseDataFolder(app, 'rel/dir', '/work')).toBe('/work/rel/dir');
    expect(app.getPath('userData')).toBe('/work/rel/dir');
    expect(chooseDataFolder(app, '/abs', '/work')).toBe('/abs');
  });
});

describe('command line', () => {
  it('finds its switches among Electron/Chromium ones', () => {
    expect(parseShellArgs(['.', '--no-sandbox', '--data-dir', 'D', '--lock-all'])).toEqual({ dataDir: 'D', lockAll: true, manage: null });
    expect(parseShellArgs(['--data-dir=E'])).toEqual({ dataDir: 'E', lockAll: false, manage: null });
    expect(parseShellArgs(['--manage', 'users', '--data-dir', 'X', '--lock-all'])).toEqual({ dataDir: null, lockAll: false, manage: ['users', '--data-dir', 'X', '--lock-all'] });
  });
  it('refuses --data-dir without a folder', () => {
    expect(() => parseShellArgs(['--data-dir'])).toThrow(/needs a folder/);
    expect(() => parseShellArgs(['--data-dir', '--lock-all'])).toThrow(/needs a folder/);
    expect(() => parseShellArgs(['--data-dir='])).toThrow(/needs a folder/);
  });
});

describe('keychain worker script location', () => {
  it('is beside the main bundle in development and in app.asar.unpacked when packaged', () => {
    expect(keychainWorkerScript('/src/app/out/main')).toBe('/src/app/out/main/worker-keychain-thread.js');
    expect(keychainWorkerScript('/opt/Local Accounts/resources/app.asar/out/main')).toBe(
      '/opt/Local Accounts/resources/app.asar.unpacked/out/main/worker-keychain-thread.js',
    );
  });
});

describe('start-up failures: which, and what to do', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), 'startup-'));
    dirs.push(d);
    return d;
  };
  const failureOf = async (dir: string) => {
    try {
      const core = await createCore({ dataDir: dir, keychain: new MemoryKeychain(), logger: silentLogger, settings: { bcryptCost: 4 } });
      await core.close();
    } catch (e) {
      return describeStartupFailure(e, dir);
    }
    throw new Error('createCore unexpectedly succeeded');
  };

  it('corrupt: a file that is not SQLite', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'accounts.db'), 'x'.repeat(4096));
    const f = await failureOf(dir);
    expect(f).toMatchObject({ kind: 'corrupt', title: 'The accounts database cannot be read' });
    expect(f.message).toContain(join(dir, 'accounts.db'));
    expect(f.detail).toMatch(/backup|--data-dir/);
  });

  it('newer schema: written by a later version', async () => {
    const dir = tmp();
    const core = await createCore({ dataDir: dir, keychain: new MemoryKeychain(), logger: silentLogger });
    await core.close();
    const db = new Database(join(dir, 'accounts.db'));
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from-the-future', 0)").run();
    db.close();
    expect(await failureOf(dir)).toMatchObject({ kind: 'newer-schema', detail: expect.stringMatching(/latest version/) });
  });

  it('not writable: a read-only database file', async () => {
    const dir = tmp();
    const core = await createCore({ dataDir: dir, keychain: new MemoryKeychain(), logger: silentLogger });
    await core.close();
    chmodSync(join(dir, 'accounts.db'), 0o444);
    expect(await failureOf(dir)).toMatchObject({ kind: 'not-writable', detail: expect.stringMatching(/write access/) });
  });

  it('locked: SQLite busy (another program holds the database)', () => {
    const e = new DatabaseOpenError('/d/accounts.db', 'Cannot open the accounts database /d/accounts.db: the database is locked by another program.', Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }));
    expect(describeStartupFailure(e, '/d')).toMatchObject({ kind: 'locked', detail: expect.stringMatching(/Close it/) });
  });

  it('an unknown error shows no message text of its own (it may quote secrets)', () => {
    const f = describeStartupFailure(new Error('password hunter2 leaked'), '/d');
    expect(f.kind).toBe('unexpected');
    expect(JSON.stringify(f)).not.toContain('hunter2');
  });
});
