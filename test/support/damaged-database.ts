/**
 * Real database files and real damage for the integrity tests: no mock of SQLite or of
 * the file system, random bytes written over pages of a file in a temp folder.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import Database from 'better-sqlite3';
import { ChangeTracker, openDatabase } from '../../electron/core/db/database';
import { UserRepository } from '../../electron/core/users/user-repository';
import { FakeTime } from './fake-time';
import { mulberry32 } from './seeded-random';

/** A real database with users, groups, permissions and throttle rows, closed (WAL checkpointed). */
export function populatedDatabase(dir: string, clock = new FakeTime()): void {
  const db = openDatabase(dir, { clock });
  const users = new UserRepository(db, clock, new ChangeTracker(db));
  for (let i = 0; i < 50; i++) users.create({ username: `user${i}`, passwordHash: '$2b$04$' + 'x'.repeat(53) });
  db.prepare("INSERT INTO groups (name, name_key) VALUES ('Staff', 'staff')").run();
  db.prepare("INSERT INTO login_throttle (key, consecutive, blocked_until) VALUES ('user:user1', 3, 0)").run();
  db.close();
}

/** Overwrites the root pages of `tables` with seeded random bytes (first byte an invalid page type). */
export function damagePages(path: string, tables: string[], seed = 12): void {
  const db = new Database(path, { readonly: true });
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const roots = tables.map((t) => db.prepare<[string], number>('SELECT rootpage FROM sqlite_schema WHERE name = ?').pluck().get(t) as number);
  db.close();
  const next = mulberry32(seed);
  const fd = openSync(path, 'r+');
  try {
    for (const page of roots) {
      const bytes = Buffer.from(Array.from({ length: pageSize }, () => Math.floor(next() * 256)));
      bytes[0] = 0xff;
      writeSync(fd, bytes, 0, pageSize, (page - 1) * pageSize);
    }
  } finally {
    closeSync(fd);
  }
}

