import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliError } from '../../../electron/cli/cli-errors';
import { defaultDataDir, requireExistingDatabase, resolveDataDir } from '../../../electron/cli/data-dir';

describe('defaultDataDir (Electron userData for "Local Accounts")', () => {
  it('Linux: $XDG_CONFIG_HOME when set, else ~/.config', () => {
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '/xdg/conf' }, '/home/ann')).toBe('/xdg/conf/Local Accounts');
    expect(defaultDataDir('linux', {}, '/home/ann')).toBe('/home/ann/.config/Local Accounts');
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '' }, '/home/ann')).toBe('/home/ann/.config/Local Accounts');
  });

  it('other Unixes follow Linux', () => {
    expect(defaultDataDir('freebsd', {}, '/home/ann')).toBe('/home/ann/.config/Local Accounts');
  });

  it('macOS: ~/Library/Application Support, whatever XDG says', () => {
    expect(defaultDataDir('darwin', { XDG_CONFIG_HOME: '/xdg' }, '/Users/ann')).toBe(
      '/Users/ann/Library/Application Support/Local Accounts',
    );
  });

  it('Windows: %APPDATA%, else <home>\\AppData\\Roaming, with backslashes', () => {
    expect(defaultDataDir('win32', { APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, 'C:\\Users\\ann')).toBe(
      'C:\\Users\\ann\\AppData\\Roaming\\Local Accounts',
    );
    expect(defaultDataDir('win32', {}, 'C:\\Users\\ann')).toBe('C:\\Users\\ann\\AppData\\Roaming\\Local Accounts');
  });
});

describe('resolveDataDir', () => {
  const where = { cwd: '/work', platform: 'linux' as const, env: {}, homedir: '/home/ann' };

  it('makes --data-dir absolute against the working folder', () => {
    expect(resolveDataDir('data', where)).toBe('/work/data');
    expect(resolveDataDir('/abs/dir', where)).toBe('/abs/dir');
  });

  it("falls back to the app's folder, and refuses an empty flag", () => {
    expect(resolveDataDir(undefined, where)).toBe('/home/ann/.config/Local Accounts');
    expect(() => resolveDataDir('', where)).toThrow(CliError);
  });
});

describe('requireExistingDatabase', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'manage-dir-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts a folder holding accounts.db', () => {
    writeFileSync(join(dir, 'accounts.db'), '');
    expect(() => requireExistingDatabase(dir)).not.toThrow();
  });

  it('names what is missing: the folder, a file in its place, or the database', () => {
    expect(() => requireExistingDatabase(join(dir, 'nope'))).toThrow(/No data folder at .*nope/);
    writeFileSync(join(dir, 'file'), '');
    expect(() => requireExistingDatabase(join(dir, 'file'))).toThrow(/is not a folder/);
    mkdirSync(join(dir, 'empty'));
    expect(() => requireExistingDatabase(join(dir, 'empty'))).toThrow(/accounts\.db is missing/);
  });
});
