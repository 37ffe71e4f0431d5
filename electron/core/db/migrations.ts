import type { Sqlite } from './database';
import { usernameShownSkeleton, usernameSkeleton } from '../users/username-safety';

/**
 * Numbered schema migrations, applied in order at open and recorded in
 * schema_migrations. All pending ones run in a single transaction: a failure
 * leaves the file exactly as it was. Never edit a migration that has shipped: add one.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** Runs after `sql`, in the same transaction: for data only JavaScript can compute. */
  run?: (db: Sqlite) => void;
}

/**
 * Fills users.username_skeleton for the rows that existed before migration 3. Two
 * existing names may already share a skeleton ("admin" and a Cyrillic "аdmin"): both
 * rows are kept as they are and both can still sign in, which is why the column's index
 * is not UNIQUE (a UNIQUE one would fail this migration, or force us to rename or drop
 * somebody's account). From now on no new or renamed name may join such a group
 * (UserRepository), and `manage check` lists the groups for an administrator.
 */
function backfillUsernameSkeletons(db: Sqlite): void {
  const rows = db.prepare<[], { id: number; username: string }>('SELECT id, username FROM users').all();
  const set = db.prepare('UPDATE users SET username_skeleton = ?, username_shown_skeleton = ? WHERE id = ?');
  for (const row of rows) set.run(usernameSkeleton(row.username), usernameShownSkeleton(row.username), row.id);
}

const PERMISSIONS: [string, string, string][] = [
  ['auth', 'view_user', 'Can view user'],
  ['auth', 'add_user', 'Can add user'],
  ['auth', 'change_user', 'Can change user'],
  ['auth', 'delete_user', 'Can delete user'],
  ['auth', 'view_group', 'Can view group'],
  ['auth', 'add_group', 'Can add group'],
  ['auth', 'change_group', 'Can change group'],
  ['auth', 'delete_group', 'Can delete group'],
  ['sessions', 'view_session', 'Can view session'],
  ['sessions', 'delete_session', 'Can delete session'],
  ['audit', 'view_event', 'Can view audit event'],
];

const seedPermissions = PERMISSIONS.map(
  ([app, code, name]) => `INSERT INTO permissions (app_label, codename, name) VALUES ('${app}', '${code}', '${name}');`,
).join('\n');

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'accounts',
    sql: `
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL,                 -- NFKC, case as typed
  username_key TEXT NOT NULL UNIQUE,      -- NFKC + case folded: uniqueness and lookup
  email TEXT,                             -- local part as typed, domain lowercased
  email_key TEXT UNIQUE,                  -- case folded
  phone TEXT UNIQUE,
  display_name TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL,
  is_active INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
  is_staff INTEGER NOT NULL DEFAULT 0 CHECK (is_staff IN (0, 1)),
  is_superuser INTEGER NOT NULL DEFAULT 0 CHECK (is_superuser IN (0, 1)),
  must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
  created_at INTEGER NOT NULL,
  last_login_at INTEGER,
  password_changed_at INTEGER NOT NULL
);

CREATE TABLE groups (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  name_key TEXT NOT NULL UNIQUE
);

CREATE TABLE permissions (
  id INTEGER PRIMARY KEY,
  app_label TEXT NOT NULL,
  codename TEXT NOT NULL,
  name TEXT NOT NULL,
  UNIQUE (app_label, codename)
);

CREATE TABLE user_groups (
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  group_id INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, group_id)
) WITHOUT ROWID;
CREATE INDEX user_groups_group ON user_groups (group_id);

CREATE TABLE group_permissions (
  group_id INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
  permission_id INTEGER NOT NULL REFERENCES permissions (id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, permission_id)
) WITHOUT ROWID;

CREATE TABLE user_permissions (
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  permission_id INTEGER NOT NULL REFERENCES permissions (id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, permission_id)
) WITHOUT ROWID;

-- Throttle: one row per failed attempt (for the hourly cap) ...
CREATE TABLE login_failures (
  key TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX login_failures_key_at ON login_failures (key, at);
-- ... and the consecutive count and back-off per key.
CREATE TABLE login_throttle (
  key TEXT PRIMARY KEY,
  consecutive INTEGER NOT NULL,
  blocked_until INTEGER NOT NULL
) WITHOUT ROWID;

-- "Stay signed in": the token lives in the OS keychain; only its SHA-256 is here.
CREATE TABLE remembered_devices (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  last_used_at INTEGER
);
CREATE INDEX remembered_devices_user ON remembered_devices (user_id);

-- Append-only: no foreign key, so the trail outlives the user it names.
CREATE TABLE audit_events (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  type TEXT NOT NULL,
  user_id INTEGER,
  username TEXT,
  detail TEXT
);
CREATE INDEX audit_events_type ON audit_events (type, id);
CREATE INDEX audit_events_user ON audit_events (user_id, id);
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;

CREATE TABLE user_prefs (
  user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  theme TEXT NOT NULL DEFAULT 'system' CHECK (theme IN ('system', 'light', 'dark')),
  locale TEXT NOT NULL DEFAULT 'system' CHECK (locale IN ('system', 'en', 'zh-CN'))
);

${seedPermissions}
`,
  },
  {
    version: 2,
    name: 'sessions',
    sql: `
-- Only SHA-256(session ID) is stored (32 bytes): a reader of this file cannot hijack a session.
-- No index on user_id: a sweep deletes random rows, and every index is one more b-tree whose
-- every page it rewrites (10,000 of 100,000: 200 -> 115 ms). Per-user reads are admin/CLI
-- only and scan; the live index in memory serves the app.
CREATE TABLE sessions (
  hash BLOB PRIMARY KEY CHECK (length(hash) = 32),
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  sender_id INTEGER NOT NULL,
  backend TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_activity_at INTEGER NOT NULL,       -- persisted at most every idle/10
  absolute_expires_at INTEGER NOT NULL,
  due_at INTEGER NOT NULL,                 -- next time the sweeper must look: a lower bound of expiry
  locked INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
  auth_at INTEGER,                         -- last password entry (sudo mode)
  data TEXT NOT NULL DEFAULT '{}'
) WITHOUT ROWID;
CREATE INDEX sessions_due ON sessions (due_at);
`,
  },
  {
    version: 3,
    name: 'username skeletons',
    sql: `
-- UTS #39 confusable skeletons of the username (users/username-safety.ts), of the folded name and
-- of the name as shown: a look-alike of an existing name is refused by looking them up here.
-- Not UNIQUE: see backfillUsernameSkeletons.
ALTER TABLE users ADD COLUMN username_skeleton TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN username_shown_skeleton TEXT NOT NULL DEFAULT '';
CREATE INDEX users_username_skeleton ON users (username_skeleton);
CREATE INDEX users_username_shown_skeleton ON users (username_shown_skeleton);
`,
    run: backfillUsernameSkeletons,
  },
  {
    version: 4,
    name: 'installation',
    sql: `
-- One random id per installation, created once with the database: the redis engine puts
-- it in every key's prefix, so stations sharing one Redis never see each other's sessions.
CREATE TABLE installation (
  only_row INTEGER PRIMARY KEY CHECK (only_row = 1),
  id TEXT NOT NULL CHECK (length(id) = 32)
);
INSERT INTO installation (only_row, id) VALUES (1, lower(hex(randomblob(16))));
`,
  },
];
