import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../../electron/cli/cli-errors';
import { runManage } from '../../../electron/cli/manage-cli';
import { createCore } from '../../../electron/core/index';
import { silentLogger } from '../../../electron/core/log';
import { MemoryKeychain } from '../../../electron/core/keychain/memory-keychain';
import { STRONG_PASSWORD } from '../../support/core-harness';
import { SLOW, expectNoStack, manage } from '../../support/manage-runner';
import { mountTmpfs, type Tmpfs } from '../../reliability/tmpfs-mount';
import { pipedIo } from './commands/cli-test-io';

/**
 * What `manage` says about a data folder it cannot use: one sentence naming the path
 * and the fix, never SQLite's "cannot open" or "read-only", never a parser's complaint.
 */
let root: string;
let good: string;

beforeAll(async () => {
  good = mkdtempSync(join(tmpdir(), 'manage-faults-good-'));
  const t = pipedIo(good, `${STRONG_PASSWORD}\n${STRONG_PASSWORD}\n`);
  writeFileSync(join(good, 'settings.json'), JSON.stringify({ bcryptCost: 4 }));
  expect(await runManage(['createsuperuser', '--username', 'admin', '--data-dir', good], t.io)).toBe(EXIT.ok);
});
afterAll(() => rmSync(good, { recursive: true, force: true }));
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'manage-faults-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const run = async (args: string[], input = '') => {
  const t = pipedIo(root, input);
  const code = await runManage(args, t.io);
  return { code, stdout: t.stdout.text, stderr: t.stderr.text };
};

/** A copy of the good data folder, with `settings` as its settings.json (bytes or a folder). */
function copyOfGood(name: string, settings?: Buffer | 'folder'): string {
  const dir = join(root, name);
  mkdirSync(dir);
  copyFileSync(join(good, 'accounts.db'), join(dir, 'accounts.db'));
  if (settings === 'folder') mkdirSync(join(dir, 'settings.json'));
  else if (settings) writeFileSync(join(dir, 'settings.json'), settings);
  return dir;
}

describe('manage on a data folder it cannot use', () => {
  it('a dangling symbolic link as --data-dir: named as such, for reading and for createsuperuser (before any prompt)', async () => {
    const link = join(root, 'link');
    symlinkSync(join(root, 'gone'), link);
    for (const args of [['users'], ['createsuperuser', '--username', 'ann']]) {
      const r = await run([...args, '--data-dir', link], `${STRONG_PASSWORD}\n${STRONG_PASSWORD}\n`);
      expect(r.code).toBe(EXIT.failure);
      expect(r.stderr).toContain(`--data-dir ${link} is a symbolic link to ${join(root, 'gone')}, which does not exist.`);
      expect(r.stderr).not.toContain('Password');
    }
  });

  it('accounts.db that is a folder', async () => {
    const dir = join(root, 'data');
    mkdirSync(join(dir, 'accounts.db'), { recursive: true });
    for (const args of [['users'], ['createsuperuser', '--username', 'ann']]) {
      const r = await run([...args, '--data-dir', dir]);
      expect(r.code).toBe(EXIT.failure);
      expect(r.stderr).toContain(`${join(dir, 'accounts.db')} is a folder, not a database file.`);
    }
  });

  it('settings.json that is a folder, UTF-16 (with or without a byte-order mark) or not UTF-8', async () => {
    const json = '{"bcryptCost": 4}';
    const cases: [Buffer | 'folder', RegExp][] = [
      ['folder', /settings\.json is a folder, not a settings file/],
      [Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')]), /settings\.json is saved as UTF-16: save it again as UTF-8/],
      [Buffer.from(json, 'utf16le'), /settings\.json is saved as UTF-16/],
      [Buffer.from('{"x": "caf\xe9"}', 'latin1'), /settings\.json is not UTF-8 text/],
    ];
    for (const [i, [settings, message]] of cases.entries()) {
      const r = await run(['users', '--data-dir', copyOfGood(`s${i}`, settings)]);
      expect(r.code).toBe(EXIT.failure);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/Unexpected token|EISDIR/);
    }
    // UTF-8 with a byte-order mark is still fine.
    const bom = copyOfGood('bom', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json)]));
    expect((await run(['users', '--data-dir', bom])).code).toBe(EXIT.ok);
  });

  it('refuses the settings the app refuses, with the app\'s own words (one check for both)', async () => {
    for (const settings of [{ authBackends: ['ldap'] }, { sessionEngine: 'redis' }]) {
      const dir = copyOfGood(`app-${Object.keys(settings)[0]}`, Buffer.from(JSON.stringify(settings)));
      const app = await createCore({ dataDir: dir, keychain: new MemoryKeychain(), logger: silentLogger }).then(
        async (core) => {
          await core.close();
          return 'started';
        },
        (e: Error) => e.message,
      );
      expect(app).not.toBe('started');
      const r = await run(['users', '--data-dir', dir]);
      expect(r.code).toBe(EXIT.failure);
      expect(r.stderr).toBe(`manage: error: ${app}\n`);
    }
  });
});

describe('manage on a read-only file system (a real tmpfs remounted read-only: holds for root too)', () => {
  let fs: Tmpfs;
  beforeEach(() => {
    fs = mountTmpfs(8 << 20);
  });
  afterEach(() => fs.dispose());

  it('says the folder is on a read-only file system, not "the database is read-only"', async () => {
    copyFileSync(join(good, 'accounts.db'), join(fs.dir, 'accounts.db'));
    fs.remount('ro');
    for (const args of [['users'], ['unthrottle', 'admin']]) {
      const r = await run([...args, '--data-dir', fs.dir]);
      expect(r.code).toBe(EXIT.failure);
      expect(r.stderr).toContain(`The data folder ${fs.dir} is on a read-only file system.`);
      expect(r.stderr).toContain('accounts.db-wal');
      expect(r.stderr).not.toContain('the database is read-only');
    }
  });
});

/**
 * File modes stop nobody when the tests run as root (here and in CI): access checks pass
 * and mode 000 files read fine. So the CLI runs in a child process without the two
 * capabilities that let root ignore modes (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, dropped
 * with setpriv); as any other user it runs as itself. Either way the kernel refuses for
 * real (EACCES), no mock involved.
 */
describe('manage without permission (a real EACCES)', SLOW, () => {
  const obey = { obeyFileModes: true };
  const copy = (): string => copyOfGood('data', Buffer.from(JSON.stringify({ bcryptCost: 4 })));

  it('accounts.db with mode 000: "cannot be read by this user", not a guess', () => {
    const dir = copy();
    chmodSync(join(dir, 'accounts.db'), 0o000);
    const r = manage(['users', '--data-dir', dir], '', obey);
    expect(r.code, r.stderr).toBe(EXIT.failure);
    expect(r.stderr).toContain(`${join(dir, 'accounts.db')} cannot be read by this user (EACCES).`);
    expectNoStack(r);
  });

  it('a folder the user may not write in: says so, and why a read needs it', () => {
    const dir = copy();
    chmodSync(dir, 0o555);
    const r = manage(['users', '--data-dir', dir], '', obey);
    expect(r.code, r.stderr).toBe(EXIT.failure);
    expect(r.stderr).toContain(`The data folder ${dir} is read-only for this user (EACCES).`);
    expect(r.stderr).not.toContain('the database is read-only');
    expectNoStack(r);
  });

  it('control: the same folder, untouched, works without those capabilities', () => {
    const r = manage(['users', '--data-dir', copy()], '', obey);
    expect(r.code, r.stderr).toBe(EXIT.ok);
    expect(r.stdout).toContain('admin');
  });
});
