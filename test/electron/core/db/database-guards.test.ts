import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DB_FILE, DamagedDatabaseError, DatabaseOpenError, EmptyDatabaseError, openDatabase,
} from '../../../../electron/core/db/database';
import { integrityProblems } from '../../../../electron/core/db/database-guards';
import { createCore } from '../../../../electron/core/index';
import { MemoryKeychain } from '../../../../electron/core/keychain/memory-keychain';
import { silentLogger, type Logger } from '../../../../electron/core/log';
import { FakeTime } from '../../../support/fake-time';
import { damagePages, populatedDatabase } from '../../../support/damaged-database';

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
const mode = (path: string): number => statSync(path).mode & 0o777;

let root: string;
let dataDir: string;
let dbPath: string;
let time: FakeTime;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'database-guards-'));
  dataDir = join(root, 'data');
  dbPath = join(dataDir, DB_FILE);
  time = new FakeTime();
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function refusal(): unknown {
  try {
    openDatabase(dataDir, { clock: time }).close();
  } catch (e) {
    return e;
  }
  throw new Error('openDatabase accepted the file');
}

const startCore = () =>
  createCore({ dataDir, clock: time, scheduler: time, keychain: new MemoryKeychain(), logger: silentLogger, settings: { bcryptCost: 4 } });

describe('an emptied database is not a fresh install', () => {
  it('refuses an existing 0-byte accounts.db with EmptyDatabaseError and leaves it 0 bytes, no -wal', () => {
    populatedDatabase(dataDir);
    writeFileSync(dbPath, '');
    const e = refusal();
    expect(e).toBeInstanceOf(EmptyDatabaseError);
    expect(e).toBeInstanceOf(DatabaseOpenError);
    expect((e as Error).message).toContain(dbPath);
    expect((e as Error).message).toMatch(/not treated as a new installation.*Restore accounts\.db from a backup/);
    expect(statSync(dbPath).size).toBe(0);
    expect(existsSync(`${dbPath}-wal`)).toBe(false);
  });

  it('refuses an SQLite file with no tables (a header and nothing else)', () => {
    populatedDatabase(dataDir);
    rmSync(dbPath);
    const raw = new Database(dbPath);
    raw.pragma('user_version = 7');
    raw.close();
    const before = sha256(dbPath);
    expect(refusal()).toBeInstanceOf(EmptyDatabaseError);
    expect(sha256(dbPath)).toBe(before);
  });

  it('createCore rejects it (no first-run setup is offered)', async () => {
    populatedDatabase(dataDir);
    writeFileSync(dbPath, '');
    await expect(startCore()).rejects.toBeInstanceOf(EmptyDatabaseError);
    expect(statSync(dbPath).size).toBe(0);
  });

  it('only a missing file means a first run', async () => {
    const core = await startCore();
    await core.close();
    expect(statSync(dbPath).size).toBeGreaterThan(0);
  });
});

describe('damage found at start, before any write', () => {
  it('refuses random bytes over the permissions, groups and throttle pages: DamagedDatabaseError, file unchanged', () => {
    populatedDatabase(dataDir);
    damagePages(dbPath, ['permissions', 'groups', 'login_throttle']);
    const before = sha256(dbPath);
    const e = refusal();
    expect(e).toBeInstanceOf(DamagedDatabaseError);
    expect((e as Error).message).toMatch(/damaged.*nothing was written.*restore accounts\.db from a backup/is);
    expect(sha256(dbPath)).toBe(before);
    expect(existsSync(`${dbPath}-wal`)).toBe(false);
  });

  it('createCore rejects a damaged database and writes nothing', async () => {
    populatedDatabase(dataDir);
    damagePages(dbPath, ['login_throttle']);
    const before = sha256(dbPath);
    await expect(startCore()).rejects.toBeInstanceOf(DamagedDatabaseError);
    expect(sha256(dbPath)).toBe(before);
  });

  it('integrityProblems reports [] for a sound file and the damage for a damaged one', () => {
    populatedDatabase(dataDir);
    const sound = new Database(dbPath, { readonly: true });
    expect(integrityProblems(sound)).toEqual([]);
    sound.close();
    damagePages(dbPath, ['permissions']);
    const damaged = new Database(dbPath, { readonly: true });
    try {
      expect(integrityProblems(damaged).length).toBeGreaterThan(0);
    } finally {
      damaged.close();
    }
  });
});

describe('file modes of an existing database', () => {
  function capture(): { log: Logger; lines: string[] } {
    const lines: string[] = [];
    return { lines, log: { warn: (m) => lines.push(m), error: (m) => lines.push(`error: ${m}`) } };
  }

  it('tightens accounts.db, -wal, -shm to 0600 and the folder to 0700, with exactly one log line', () => {
    populatedDatabase(dataDir);
    // A second connection keeps the -wal and -shm files in place.
    const holder = new Database(dbPath);
    holder.prepare('SELECT count(*) FROM users').get();
    try {
      expect(existsSync(`${dbPath}-wal`)).toBe(true);
      for (const f of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) chmodSync(f, 0o644);
      chmodSync(dataDir, 0o755);
      const { log, lines } = capture();
      openDatabase(dataDir, { clock: time, log }).close();
      expect([mode(dbPath), mode(`${dbPath}-wal`), mode(`${dbPath}-shm`), mode(dataDir)]).toEqual([0o600, 0o600, 0o600, 0o700]);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/data folder 0755 -> 0700, accounts\.db 0644 -> 0600, accounts\.db-wal 0644 -> 0600, accounts\.db-shm 0644 -> 0600/);
      // Nothing loosened: no line.
      openDatabase(dataDir, { clock: time, log }).close();
      expect(lines).toHaveLength(1);
    } finally {
      holder.close();
    }
  });

  it('never closes a shared (sticky) folder such as /tmp: only the files in it, and the line says so', () => {
    populatedDatabase(dataDir);
    chmodSync(dataDir, 0o1777);
    chmodSync(dbPath, 0o644);
    const { log, lines } = capture();
    openDatabase(dataDir, { clock: time, log }).close();
    expect(statSync(dataDir).mode & 0o7777).toBe(0o1777);
    expect(mode(dbPath)).toBe(0o600);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/accounts\.db 0644 -> 0600; could not tighten: data folder 0777 \(a shared folder: left as it is\)/);
  });

  it('a -wal created after a restored 0644 file gets 0600 too (tightened before SQLite opens it)', () => {
    populatedDatabase(dataDir);
    chmodSync(dbPath, 0o644);
    expect(existsSync(`${dbPath}-wal`)).toBe(false);
    const db = openDatabase(dataDir, { clock: time, log: capture().log });
    try {
      db.prepare("INSERT INTO groups (name, name_key) VALUES ('B', 'b')").run();
      expect(mode(`${dbPath}-wal`)).toBe(0o600);
      expect(mode(dbPath)).toBe(0o600);
    } finally {
      db.close();
    }
  });
});
