/**
 * The real `manage` CLI in a child process, and the fixtures its tests share: a data
 * folder's database opened in the test, an admin made through the CLI itself, session
 * rows as the app would write them.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { ChangeTracker, openDatabase, type Sqlite } from '../../electron/core/db/database';
import { hashSessionId, newSessionId } from '../../electron/core/sessions/session-id';
import type { StoredSession } from '../../electron/core/sessions/session-store';
import { UserRepository } from '../../electron/core/users/user-repository';
import { STRONG_PASSWORD } from './core-harness';
import { FakeTime } from './fake-time';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SCRIPT = join(ROOT, 'electron/cli/manage.ts');
const HOUR = 3_600_000;

/** Each spawn pays ~1 s of tsx start-up; a busy machine must not fail the suite. */
export const SLOW = { timeout: 120_000 };

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The real CLI in a child process, Node 24 with tsx, from the repository root. No
 * D-Bus address: the OS keychain is unavailable (fast and never the developer's own).
 */
export function manage(args: string[], input: string | Buffer = '', options: { obeyFileModes?: boolean } = {}): Run {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DBUS_SESSION_BUS_ADDRESS;
  delete env.MANAGE_DEBUG;
  const node = [process.execPath, '--import', 'tsx', SCRIPT, ...args];
  // Root ignores file modes through two capabilities; without them in the bounding set
  // the kernel applies owner/group/other bits to root too (util-linux setpriv).
  const [cmd, ...rest] =
    options.obeyFileModes && process.getuid?.() === 0 ? ['setpriv', '--bounding-set=-dac_override,-dac_read_search', '--', ...node] : node;
  const r = spawnSync(cmd as string, rest, {
    cwd: ROOT,
    input,
    encoding: 'utf8',
    env,
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Any "    at fn (file:line:col)" line means a crash was shown to the person. */
export function expectNoStack(r: Run): void {
  expect(r.stderr).not.toMatch(/^\s+at .+(\(.*\)|:\d+:\d+)\s*$/m);
  expect(r.stderr).not.toMatch(/\b(TypeError|ReferenceError|SqliteError)\b/);
}

/** Standard input for a password prompt: the password, then its confirmation. */
export const pair = (password: string, confirmation = password): string => `${password}\n${confirmation}\n`;

/** Opens the data folder's database in the test (writable: fixtures need rows). */
export function withDb<T>(dir: string, fn: (db: Sqlite, users: UserRepository) => T): T {
  const time = new FakeTime(Date.now());
  const db = openDatabase(dir, { clock: time });
  try {
    return fn(db, new UserRepository(db, time, new ChangeTracker(db)));
  } finally {
    db.close();
  }
}

/** A superuser 'admin' with STRONG_PASSWORD, made by `manage createsuperuser`. */
export function createAdmin(dir: string): void {
  const r = manage(['createsuperuser', '--username', 'admin', '--data-dir', dir], pair(STRONG_PASSWORD));
  expect(r.code, r.stderr).toBe(0);
}

/** A session row of `userId`, active now, as the app would have stored it. */
export function sessionRow(userId: number, over: Partial<StoredSession> = {}): StoredSession {
  const now = Date.now();
  return {
    hash: hashSessionId(newSessionId()),
    userId,
    senderId: 1,
    backend: 'local-db',
    createdAt: now - HOUR,
    lastActivityAt: now,
    absoluteExpiresAt: now + 11 * HOUR,
    dueAt: now + HOUR,
    locked: false,
    authAt: null,
    data: '{}',
    ...over,
  };
}
