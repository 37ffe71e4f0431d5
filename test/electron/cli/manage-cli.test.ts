import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../electron/cli/cli-context';
import { CliError, EXIT, PromptCancelledError, UsageError, describeFailure } from '../../../electron/cli/cli-errors';
import { idleCutoff } from '../../../electron/cli/commands/clearsessions-command';
import { formatUserTable } from '../../../electron/cli/commands/users-command';
import { runManage } from '../../../electron/cli/manage-cli';
import { PasswordHasher } from '../../../electron/core/auth/password-hasher';
import { passwordPolicyError } from '../../../electron/core/auth/password-policy';
import { ChangeTracker, DatabaseOpenError, openDatabase } from '../../../electron/core/db/database';
import { AppError } from '../../../electron/core/errors';
import { SettingsError } from '../../../electron/core/settings';
import { UserRepository } from '../../../electron/core/users/user-repository';
import { STRONG_PASSWORD } from '../../support/core-harness';
import { FakeTime } from '../../support/fake-time';
import { FakeTty, collect } from './fake-tty';

function io(stdin: CliIo['stdin'], dir: string) {
  const stdout = collect();
  const stderr = collect();
  const value: CliIo = { stdin, stdout, stderr, env: {}, platform: 'linux', homedir: dir, cwd: dir };
  return { io: value, stdout, stderr };
}

describe('runManage in process, at a terminal', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'manage-tty-'));
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ bcryptCost: 4 }));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('createsuperuser prompts twice with echo off; the password appears in no output', async () => {
    const tty = new FakeTty();
    const t = io(tty, dir);
    const done = runManage(['createsuperuser', '--username', 'admin', '--data-dir', 'data'], t.io);
    // Keystrokes arrive while the prompts wait (the stream buffers them until read).
    tty.type(`${STRONG_PASSWORD}\r`, `${STRONG_PASSWORD}\r`);
    expect(await done).toBe(EXIT.ok);
    expect(t.stderr.text).toBe('Password: \nPassword (again): \n');
    expect(t.stdout.text).toContain('Superuser "admin" created');
    expect(t.stdout.text + t.stderr.text).not.toContain(STRONG_PASSWORD);
    expect(tty.rawModes).toEqual([true, false, true, false]);

    // --data-dir was relative: it resolved against the working folder.
    const db = openDatabase(join(dir, 'data'), { clock: new FakeTime() });
    try {
      const admin = new UserRepository(db, new FakeTime(), new ChangeTracker(db)).findByIdentifier('admin');
      expect(admin).toMatchObject({ isSuperuser: true, isStaff: true, isActive: true });
      expect(await new PasswordHasher({ cost: 4 }).verify(STRONG_PASSWORD, admin?.passwordHash ?? '')).toBe(true);
    } finally {
      db.close();
    }
  });

  it('Ctrl-C at the prompt exits 130 and creates no user', async () => {
    const tty = new FakeTty();
    const t = io(tty, dir);
    const done = runManage(['createsuperuser', '--username', 'admin', '--data-dir', dir], t.io);
    tty.type('half a pass\u0003');
    expect(await done).toBe(EXIT.interrupted);
    expect(t.stderr.text).toContain('cancelled; nothing was changed.');
    expect(tty.rawModes).toEqual([true, false]);
    const db = openDatabase(dir, { clock: new FakeTime() });
    try {
      expect(new UserRepository(db, new FakeTime(), new ChangeTracker(db)).count()).toBe(0);
    } finally {
      db.close();
    }
  });

  it('--help and --version write to stdout and exit 0', async () => {
    const t = io(new PassThrough(), dir);
    expect(await runManage(['help', 'users'], t.io)).toBe(EXIT.ok);
    expect(t.stdout.text).toMatch(/^Usage: manage users \[--json\]/);
    const v = io(new PassThrough(), dir);
    expect(await runManage(['--version'], v.io)).toBe(EXIT.ok);
    expect(v.stdout.text).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(existsSync(join(dir, 'accounts.db'))).toBe(false);
  });
});

describe('describeFailure', () => {
  it('maps each failure to an exit code, with no stack trace', () => {
    const cases: [unknown, number, RegExp][] = [
      [new UsageError('bad flag.', 'users'), EXIT.usage, /manage users --help/],
      [new CliError('No user "x".', ['hint']), EXIT.failure, /No user "x"/],
      [new PromptCancelledError(), EXIT.interrupted, /cancelled/],
      [new AppError('CONFLICT', 'This username is already taken.'), EXIT.failure, /already taken/],
      [new SettingsError('Invalid settings: "bcryptCost" too big'), EXIT.failure, /bcryptCost/],
      [new DatabaseOpenError('/d/accounts.db', 'Cannot use /d/accounts.db.'), EXIT.failure, /\/d\/accounts\.db/],
      [Object.assign(new Error('database is locked: SELECT secret'), { code: 'SQLITE_BUSY' }), EXIT.failure, /locked by another program/],
      [Object.assign(new Error('no such column: x in SELECT'), { code: 'SQLITE_ERROR' }), EXIT.software, /unexpected database failure/],
      [new TypeError('x is undefined'), EXIT.software, /unexpected failure \(TypeError\)/],
    ];
    for (const [error, code, text] of cases) {
      const r = describeFailure(error);
      expect(r.exitCode, String(error)).toBe(code);
      const all = r.lines.join('\n');
      expect(all).toMatch(text);
      expect(all).not.toMatch(/^\s+at /m);
      expect(all).not.toMatch(/SELECT/);
    }
  });

  it('adds the stack of an unexpected error only in debug mode', () => {
    expect(describeFailure(new TypeError('boom'), true).lines.join('\n')).toMatch(/^\s+at /m);
  });

  it('lists every password policy reason and every invalid field by option name', () => {
    const policy = describeFailure(passwordPolicyError(['too-short', 'common'], { minLength: 12 })).lines;
    expect(policy).toEqual([
      'error: the password was refused:',
      '  - This password is too short. (too-short)',
      '  - This password is too common. (common)',
    ]);
    const fields = describeFailure(
      new AppError('VALIDATION_ERROR', 'Some fields are not valid.', { fields: { displayName: 'Too long.', email: 'Bad.' } }),
    ).lines;
    expect(fields).toEqual(['error: Some fields are not valid.', '  --display-name: Too long.', '  --email: Bad.']);
  });
});

describe('users table and clearsessions cut-off', () => {
  it('pads columns and shows "never" and "-" for missing values', () => {
    const table = formatUserTable([
      { id: 1, username: 'admin', email: null, isActive: true, isStaff: true, isSuperuser: true, lastLoginAt: null },
      { id: 12, username: 'zoë', email: 'z@example.com', isActive: false, isStaff: false, isSuperuser: false, lastLoginAt: Date.UTC(2026, 0, 2, 3, 4) },
    ]);
    expect(table.split('\n')).toEqual([
      'ID  USERNAME  EMAIL          ACTIVE  STAFF  SUPERUSER  LAST LOGIN',
      '1   admin     -              yes     yes    yes        never',
      '12  zoë       z@example.com  no      no     no         2026-01-02 03:04 UTC',
      '',
    ]);
  });

  it('pushes the idle cut-off back by idle/10 (the persistence lag), and has none for idleAction lock', () => {
    expect(idleCutoff(1_000_000, { idleAction: 'logout', sessionIdleTimeoutMs: 100_000 })).toBe(1_000_000 - 110_000);
    expect(idleCutoff(1_000_000, { idleAction: 'logout', sessionIdleTimeoutMs: 1001 })).toBe(1_000_000 - 1001 - 101);
    expect(idleCutoff(1_000_000, { idleAction: 'lock', sessionIdleTimeoutMs: 100_000 })).toBeNull();
  });
});
