/**
 * Database faults (reliability issue, item 3), through createCore and dispatch: each
 * one gives the caller a clear error, loses nothing, and never has the app replace or
 * "repair" the file. Where the app refuses to start, it says why and names the file.
 *
 * Variants that ran: real kernel faults on a size-limited tmpfs (mount works here and
 * on CI, both root): ENOSPC for "disk full", a read-only remount for "folder not
 * writable". SQLite's max_page_count was not needed. The file mode check (0444) is the
 * honest read-only file for root. The write lock is a second connection holding
 * BEGIN IMMEDIATE past the core's 5 s busy_timeout (createCore has no knob for it):
 * one real 5 s wait.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/db/database';
import {
  OTHER_PASSWORD, STRONG_PASSWORD, dbPathOf, expectPlainInternal, expectRefusal, expectSeedIntact, listing, ok, seedFolder, sha256,
  startCore,
} from './fault-support';
import { mountTmpfs, unfill, type Tmpfs } from './tmpfs-mount';

let root: string;
let dataDir: string;
const mounts: Tmpfs[] = [];

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'database-faults-'));
  dataDir = join(root, 'data');
});

afterEach(() => {
  for (const m of mounts.splice(0)) m.dispose();
  rmSync(root, { recursive: true, force: true });
});

const tmpfs = (bytes: number): Tmpfs => {
  const m = mountTmpfs(bytes);
  mounts.push(m);
  return m;
};

describe('a database the app may not write', () => {
  it('a file with no write bits: refused, named, left byte for byte; works again once writable', async () => {
    await seedFolder(dataDir);
    const path = dbPathOf(dataDir);
    chmodSync(path, 0o444);
    const before = sha256(path);
    const files = listing(dataDir);
    await expectRefusal(dataDir, /read-only/);
    expect(sha256(path)).toBe(before);
    expect(listing(dataDir)).toEqual(files); // no -wal, no -shm, no backup, no new file
    expect(statSync(path).mode & 0o777).toBe(0o444);
    chmodSync(path, 0o600);
    await expectSeedIntact(dataDir);
  });

  it('a data folder on a read-only file system (EROFS, root too): refused, named, nothing lost', async () => {
    const fs = tmpfs(4 << 20);
    await seedFolder(fs.dir);
    const before = sha256(dbPathOf(fs.dir));
    fs.remount('ro');
    await expectRefusal(fs.dir, /read-only/);
    fs.remount('rw');
    expect(sha256(dbPathOf(fs.dir))).toBe(before);
    await expectSeedIntact(fs.dir);
  });

  it('a read-only data folder with no database yet: refused, naming the file it cannot create', async () => {
    const fs = tmpfs(1 << 20);
    fs.remount('ro');
    const error = await expectRefusal(fs.dir, /Cannot create the accounts database/);
    expect(error.message).toMatch(/read-only file system/i);
    expect(listing(fs.dir)).toEqual([]);
  });

  it('a missing data folder inside a read-only one: refused, naming the folder', async () => {
    const fs = tmpfs(1 << 20);
    fs.remount('ro');
    const missing = join(fs.dir, 'Local Accounts');
    const error = await expectRefusal(missing, /Cannot create the data folder/, missing);
    // The real reason, not the "no such file" Node's recursive mkdir reports for it.
    expect(error.message).toMatch(/read-only file system/i);
    expect(listing(fs.dir)).toEqual([]);
  });

  it('a missing data folder is created (owner-only) and used; a "folder" that is a file is refused', async () => {
    await seedFolder(dataDir);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    await expectSeedIntact(dataDir);
    const file = join(root, 'a-file');
    writeFileSync(file, 'mine');
    await expectRefusal(file, /not a folder/, file);
    expect(readFileSync(file, 'utf8')).toBe('mine');
  });
});

describe('a file that is not a (whole) database', () => {
  it('not a database: refused, named, the file left as it is', async () => {
    mkdirSync(dataDir);
    const path = dbPathOf(dataDir);
    writeFileSync(path, 'These are my notes, not an accounts database.\n'.repeat(200));
    const before = sha256(path);
    await expectRefusal(dataDir, /not a database/);
    expect(sha256(path)).toBe(before);
    expect(listing(dataDir)).toEqual(['accounts.db']);
  });

  it.each([0.5, 0.25])('a database cut to %s of its size: refused as damaged, never rebuilt or emptied', async (fraction) => {
    await seedFolder(dataDir);
    const path = dbPathOf(dataDir);
    truncateSync(path, Math.floor((statSync(path).size * fraction) / 4096) * 4096);
    const before = sha256(path);
    await expectRefusal(dataDir, /damaged/);
    await expectRefusal(dataDir, /damaged/); // and again: the first attempt changed nothing
    expect(sha256(path)).toBe(before);
    expect(listing(dataDir)).toEqual(['accounts.db']);
  });
});

describe('another process holds the write lock past busy_timeout', () => {
  it('the call answers INTERNAL "locked by another program", leaves nothing half-done, and works once released', async () => {
    await seedFolder(dataDir);
    const core = await startCore(dataDir);
    const other = new Database(dbPathOf(dataDir));
    try {
      const admin = await ok<{ sessionId: string }>(core, 1, 'auth:login', { username: 'admin', password: STRONG_PASSWORD });
      await ok(core, 1, 'prefs:set', { sessionId: admin.sessionId, theme: 'dark' });
      const lastLogin = () => other.prepare("SELECT last_login_at FROM users WHERE username = 'alice'").pluck().get();
      const aliceBefore = lastLogin();

      other.exec('BEGIN IMMEDIATE');
      const started = performance.now();
      const reply = await core.dispatch(2, 'auth:login', { username: 'alice', password: OTHER_PASSWORD });
      // It waited out the busy timeout (5 s) instead of failing at once or hanging.
      expect(performance.now() - started).toBeGreaterThanOrEqual(4500);
      expectPlainInternal(reply, /locked by another program/);
      expect(core.profilesOf(2)).toEqual([]); // no session half-made in memory
      other.exec('COMMIT');

      // Nothing of the failed login stayed; nothing before it was lost.
      expect(other.prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(1); // admin's own
      expect(lastLogin()).toBe(aliceBefore);
      expect(other.prepare('SELECT count(*) FROM login_failures').pluck().get()).toBe(0);
      const alice = await ok<{ sessionId: string }>(core, 2, 'auth:login', { username: 'alice', password: OTHER_PASSWORD });
      expect(core.profilesOf(2).map((p) => p.username)).toEqual(['alice']);
      expect(await ok(core, 1, 'prefs:get', { sessionId: admin.sessionId })).toEqual({ theme: 'dark', locale: 'system' });
      expect(await ok(core, 2, 'auth:activity', { sessionId: alice.sessionId })).toHaveProperty('idleExpiresAt');
    } finally {
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
      await core.close();
    }
  }, 20_000);
});

describe('the disk fills up (a 3 MiB tmpfs, filled but for 256 KiB)', () => {
  it('writes answer INTERNAL "the disk is full", nothing half-made, nothing lost; all works once space is back', async () => {
    const fs = tmpfs(3 << 20);
    await seedFolder(fs.dir);
    const core = await startCore(fs.dir);
    const created: string[] = [];
    let lastSaved: string | null = null;
    const failures: { reply: Awaited<ReturnType<typeof core.dispatch>>; username?: string }[] = [];
    try {
      const admin = await ok<{ sessionId: string }>(core, 1, 'auth:login', { username: 'admin', password: STRONG_PASSWORD });
      const alice = await ok<{ sessionId: string }>(core, 2, 'auth:login', { username: 'alice', password: OTHER_PASSWORD });
      // Full but for 256 KiB: some writes still commit, then the disk runs out mid-way.
      const filler = fs.fill(256 << 10);

      // Session data (60 KB a write) grows the WAL fast; user creation is the durable write to protect.
      for (let i = 0; i < 200 && failures.length < 4; i++) {
        const value = `${i}:`.padEnd(60_000, 'x');
        const data = await core.dispatch(2, 'session:data:set', { sessionId: alice.sessionId, key: 'blob', value });
        if (data.ok) lastSaved = value;
        else failures.push({ reply: data });
        const username = `full${i}`;
        const user = await core.dispatch(1, 'admin:users:create', { sessionId: admin.sessionId, username, password: STRONG_PASSWORD });
        if (user.ok) created.push(username);
        else failures.push({ reply: user, username });
      }
      expect(failures.length).toBeGreaterThan(0);
      expect(failures.some((f) => f.username !== undefined)).toBe(true);
      expect(created.length).toBeGreaterThan(0); // writes that made it before the disk filled ...
      expect(lastSaved).not.toBeNull();
      for (const f of failures) expectPlainInternal(f.reply, /the disk is full/);

      // No half-made user: a failed creation left no row behind; no torn session data.
      const list = await ok<{ items: { username: string }[] }>(core, 1, 'admin:users:list', { sessionId: admin.sessionId, limit: 500 });
      const names = list.items.map((u) => u.username);
      for (const f of failures) if (f.username) expect(names).not.toContain(f.username);
      expect(names).toEqual(expect.arrayContaining(['admin', 'alice', ...created]));
      expect(await ok<unknown>(core, 2, 'session:data:get', { sessionId: alice.sessionId, key: 'blob' })).toBe(lastSaved);

      unfill(filler);
      await ok(core, 1, 'admin:users:create', { sessionId: admin.sessionId, username: 'after', password: STRONG_PASSWORD });
      await ok(core, 2, 'session:data:set', { sessionId: alice.sessionId, key: 'blob', value: 'small again' });
    } finally {
      await core.close();
    }
    const db = openDatabase(fs.dir);
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const stored = db.prepare('SELECT username FROM users').pluck().all();
      expect(stored).toEqual(expect.arrayContaining(['admin', 'alice', 'after', ...created]));
      expect(stored).toHaveLength(3 + created.length);
    } finally {
      db.close();
    }
    await expectSeedIntact(fs.dir);
  });
});
