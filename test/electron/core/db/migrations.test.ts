import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChangeTracker, openDatabase } from '../../../../electron/core/db/database';
import { MIGRATIONS } from '../../../../electron/core/db/migrations';
import { AppError } from '../../../../electron/core/errors';
import { UserRepository } from '../../../../electron/core/users/user-repository';
import { usernameShownSkeleton, usernameSkeleton } from '../../../../electron/core/users/username-safety';
import { FakeTime } from '../../../support/fake-time';

const HASH = '$2b$04$abcdefghijklmnopqrstuuJ7Wz0b1mXg3mK2r0yJqYh7l4fQ1u7yS';

let dir: string;
let time: FakeTime;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'migrations-'));
  time = new FakeTime();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A folder at schema version 2 holding `names`, inserted as an older build would have. */
function versionTwoWith(names: string[]): void {
  const db = openDatabase(dir, { clock: time, migrations: MIGRATIONS.filter((m) => m.version <= 2) });
  const insert = db.prepare(
    "INSERT INTO users (username, username_key, password_hash, created_at, password_changed_at) VALUES (?, lower(?), ?, 0, 0)",
  );
  for (const n of names) insert.run(n, n, HASH);
  db.close();
}

describe('migration 3: username skeletons', () => {
  it('backfills both skeletons of every existing user', () => {
    versionTwoWith(['alice', 'Bob']);
    const db = openDatabase(dir, { clock: time });
    try {
      const rows = db.prepare('SELECT username, username_skeleton, username_shown_skeleton FROM users ORDER BY id').all();
      expect(rows).toEqual([
        { username: 'alice', username_skeleton: usernameSkeleton('alice'), username_shown_skeleton: usernameShownSkeleton('alice') },
        { username: 'Bob', username_skeleton: usernameSkeleton('Bob'), username_shown_skeleton: usernameShownSkeleton('Bob') },
      ]);
    } finally {
      db.close();
    }
  });

  it('keeps two existing look-alikes (never fails, never drops data); both still sign in by name; no third joins them', () => {
    // "admin" and a Cyrillic "аdmin" made before this check existed.
    versionTwoWith(['admin', '\u0430dmin']);
    const db = openDatabase(dir, { clock: time });
    try {
      expect(db.prepare('SELECT max(version) FROM schema_migrations').pluck().get()).toBe(MIGRATIONS.length);
      const skeletons = db.prepare('SELECT username_skeleton FROM users ORDER BY id').pluck().all();
      expect(skeletons).toEqual([usernameSkeleton('admin'), usernameSkeleton('admin')]);
      const users = new UserRepository(db, time, new ChangeTracker(db));
      expect(users.findByIdentifier('admin')?.username).toBe('admin');
      expect(users.findByIdentifier('\u0430dmin')?.username).toBe('\u0430dmin');
      expect(() => users.create({ username: 'adrnin', passwordHash: HASH })).toThrow(AppError);
      expect(users.count()).toBe(2);
      // The old look-alike can still be edited with its name sent back unchanged...
      const legacy = users.findByIdentifier('\u0430dmin');
      expect(users.update(legacy?.id as number, { username: '\u0430dmin', displayName: 'Old' }).displayName).toBe('Old');
      // ... but not renamed into another refused name.
      expect(() => users.update(legacy?.id as number, { username: '\u0430dmin2' })).toThrow(AppError);
    } finally {
      db.close();
    }
  });
});
