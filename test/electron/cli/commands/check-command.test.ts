import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DB_FILE } from '../../../../electron/core/db/database';
import { OTHER_PASSWORD } from '../../../support/core-harness';
import { damagePages, populatedDatabase } from '../../../support/damaged-database';
import { SLOW, createAdmin, expectNoStack, manage, pair, withDb } from '../../../support/manage-runner';

/*
 * `manage check`, and every command's refusal of a damaged or emptied accounts.db
 * (issue 12): the CLI must neither write into damage nor migrate an emptied file.
 */

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

let dir: string;
let dbPath: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'manage-check-'));
  dbPath = join(dir, DB_FILE);
  writeFileSync(join(dir, 'settings.json'), JSON.stringify({ bcryptCost: 4 }));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('manage check', SLOW, () => {
  it('reports a sound database: exit 0, and changes nothing', () => {
    createAdmin(dir);
    const before = sha256(dbPath);
    const r = manage(['check', '--data-dir', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/no damage found/);
    expect(sha256(dbPath)).toBe(before);
  });

  it('reports damage: exit 1, the problems, what to do; the file is unchanged', () => {
    populatedDatabase(dir);
    damagePages(dbPath, ['permissions', 'login_throttle']);
    const before = sha256(dbPath);
    const r = manage(['check', '--data-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/is DAMAGED \(\d+ problems?/);
    expect(r.stdout).toMatch(/restore accounts\.db from a backup/);
    expectNoStack(r);
    expect(sha256(dbPath)).toBe(before);
  });

  it('lists names that look alike from before the check existed (exit 0: not damage)', () => {
    createAdmin(dir);
    withDb(dir, (db) => {
      // As an older build would have stored it: the skeleton is computed, the name is not refused.
      const admin = db.prepare('SELECT username_skeleton, username_shown_skeleton, password_hash FROM users').get() as Record<string, string>;
      db.prepare(
        `INSERT INTO users (username, username_key, username_skeleton, username_shown_skeleton, password_hash, created_at, password_changed_at)
         VALUES ('\u0430dmin', '\u0430dmin', ?, ?, ?, 0, 0)`,
      ).run(admin.username_skeleton, admin.username_shown_skeleton, admin.password_hash);
    });
    const r = manage(['check', '--data-dir', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/names that look alike.*"admin" \(id 1\), "\u0430dmin" \(id 2\)/);
  });
});

describe('the CLI refuses a damaged database before writing', SLOW, () => {
  it('createsuperuser, changepassword and users: exit 1, "damaged", nothing written', () => {
    createAdmin(dir);
    populatedDatabase(dir); // adds users and rows to the same file, then closes it (checkpointed)
    damagePages(dbPath, ['permissions', 'groups', 'login_throttle']);
    const before = sha256(dbPath);
    for (const [args, input] of [
      [['createsuperuser', '--username', 'carol'], pair(OTHER_PASSWORD)],
      [['changepassword', 'admin'], pair(OTHER_PASSWORD)],
      [['users'], ''],
    ] as const) {
      const r = manage([...args, '--data-dir', dir], input);
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(1);
      expect(r.stderr).toMatch(/is damaged.*nothing was written/i);
      expect(r.stderr).toMatch(/backup/);
      expectNoStack(r);
      expect(sha256(dbPath)).toBe(before);
      expect(existsSync(`${dbPath}-wal`)).toBe(false);
    }
  });
});

describe('the CLI refuses an emptied database and does not migrate it', SLOW, () => {
  it('a 0-byte accounts.db: createsuperuser and users exit 1 and leave it 0 bytes', () => {
    writeFileSync(dbPath, '');
    for (const [args, input] of [
      [['createsuperuser', '--username', 'mallory'], pair(OTHER_PASSWORD)],
      [['users'], ''],
    ] as const) {
      const r = manage([...args, '--data-dir', dir], input);
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(1);
      expect(r.stderr).toMatch(/exists but is empty/);
      expect(r.stderr).toMatch(/not treated as a new installation/);
      expectNoStack(r);
      expect(statSync(dbPath).size).toBe(0);
    }
    const check = manage(['check', '--data-dir', dir]);
    expect(check.code).toBe(1);
    expect(check.stderr).toMatch(/is empty/);
  });
});

describe('the CLI tightens the modes of an existing database', SLOW, () => {
  it('users on a 0644 accounts.db in a 0755 folder: 0600 / 0700 and one note on stderr', () => {
    createAdmin(dir);
    chmodSync(dbPath, 0o644);
    chmodSync(dir, 0o755);
    const r = manage(['users', '--data-dir', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(statSync(dbPath).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(r.stderr.match(/tightened permissions/g)).toHaveLength(1);
    expect(r.stderr).toMatch(/accounts\.db 0644 -> 0600/);
    const again = manage(['users', '--data-dir', dir]);
    expect(again.stderr).not.toMatch(/tightened/);
  });
});

describe('createsuperuser refuses a look-alike of an existing name', SLOW, () => {
  it('before the prompt (no stdin needed), naming no account; no user created', () => {
    createAdmin(dir);
    const r = manage(['createsuperuser', '--username', 'adrnin', '--data-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/looks too much like the name of an existing account/);
    expect(r.stderr).not.toMatch(/"admin"/);
    expect(r.stderr).not.toMatch(/Password/);
    const mixed = manage(['createsuperuser', '--username', '\u0430dmin', '--data-dir', dir]);
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toMatch(/one alphabet only/);
    const raw = new Database(dbPath, { readonly: true });
    try {
      expect(raw.prepare('SELECT count(*) FROM users').pluck().get()).toBe(1);
    } finally {
      raw.close();
    }
  });
});
