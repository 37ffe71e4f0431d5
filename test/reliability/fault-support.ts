/**
 * Shared pieces of the database fault tests: a core on a given data folder (fake time,
 * in-memory keychain, bcrypt cost 4), a seeded folder, and the refusal assertions.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { DB_FILE, DatabaseOpenError } from '../../electron/core/db/database';
import { createCore, type Core } from '../../electron/core/index';
import { MemoryKeychain } from '../../electron/core/keychain/memory-keychain';
import { silentLogger } from '../../electron/core/log';
import type { Reply } from '../../shared/errors';
import { OTHER_PASSWORD, STRONG_PASSWORD } from '../support/core-harness';
import { FakeTime } from '../support/fake-time';

export { OTHER_PASSWORD, STRONG_PASSWORD };

export const dbPathOf = (dataDir: string): string => join(dataDir, DB_FILE);

export const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

export const listing = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).sort() : []);

export function startCore(dataDir: string, time = new FakeTime()): Promise<Core> {
  return createCore({ dataDir, clock: time, scheduler: time, keychain: new MemoryKeychain(), logger: silentLogger, settings: { bcryptCost: 4 } });
}

export async function ok<T = Record<string, unknown>>(core: Core, senderId: number, channel: string, payload: object): Promise<T> {
  const r = await core.dispatch(senderId, channel, payload);
  if (!r.ok) throw new Error(`${channel} failed: ${JSON.stringify(r.error)}`);
  return r.data as T;
}

/** An INTERNAL reply in plain words: no SQL, no SQLite text, no stack. */
export function expectPlainInternal(reply: Reply, wording: RegExp): void {
  expect(reply.ok).toBe(false);
  if (reply.ok) return;
  expect(reply.error.code).toBe('INTERNAL');
  expect(reply.error.message).toMatch(wording);
  expect(reply.error.message).not.toMatch(/SQLITE_|Sqlite|INSERT|UPDATE|DELETE|SELECT|\bat .+:\d+/);
}

/** Seeds a folder with admin (STRONG_PASSWORD) and alice (OTHER_PASSWORD, group 'staff'). */
export async function seedFolder(dataDir: string): Promise<void> {
  const core = await startCore(dataDir);
  try {
    const admin = await ok<{ sessionId: string }>(core, 1, 'setup:create-admin', { username: 'admin', password: STRONG_PASSWORD });
    await ok(core, 1, 'admin:groups:create', { sessionId: admin.sessionId, name: 'staff', permissions: ['auth.view_user'] });
    await ok(core, 1, 'admin:users:create', {
      sessionId: admin.sessionId, username: 'alice', password: OTHER_PASSWORD, groups: ['staff'], mustChangePassword: false,
    });
  } finally {
    await core.close();
  }
}

/** Proves the seeded data is all there, through a fresh core. */
export async function expectSeedIntact(dataDir: string): Promise<void> {
  const core = await startCore(dataDir);
  try {
    const admin = await ok<{ sessionId: string }>(core, 1, 'auth:login', { username: 'admin', password: STRONG_PASSWORD });
    await ok(core, 2, 'auth:login', { username: 'alice', password: OTHER_PASSWORD });
    const users = await ok<{ items: { username: string; groups: string[] }[] }>(core, 1, 'admin:users:list', { sessionId: admin.sessionId });
    const seeded = users.items.filter((u) => u.username === 'admin' || u.username === 'alice');
    expect(seeded.map((u) => [u.username, u.groups])).toEqual([['admin', []], ['alice', ['staff']]]);
  } finally {
    await core.close();
  }
}

/** createCore must refuse with a DatabaseOpenError that names the file and says why. */
export async function expectRefusal(dataDir: string, why: RegExp, path = dbPathOf(dataDir)): Promise<DatabaseOpenError> {
  let caught: unknown;
  try {
    const core = await startCore(dataDir);
    await core.close();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(DatabaseOpenError);
  const error = caught as DatabaseOpenError;
  expect(error.path).toBe(path);
  expect(error.message).toContain(path);
  expect(error.message).toMatch(why);
  expect(error.message).not.toMatch(/SQLITE_|SqliteError|syntax error|no such|near "/);
  return error;
}
