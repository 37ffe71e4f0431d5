/**
 * A session row that another process removed (the manage CLI, in its own transaction):
 * the window is told why, from the user's state in the same database, on the very
 * next call: `deactivated`, `deleted`, or `revoked` when the user is unchanged.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DB_FILE } from '../../../../electron/core/db/database';
import { OTHER_PASSWORD, makeHarness, setupAdmin, type Harness } from '../../../support/core-harness';

let h: Harness;

beforeEach(async () => {
  h = await makeHarness();
});

afterEach(async () => {
  await h.cleanup();
});

/** alice signed in on window 2; returns her session ID and user ID. */
async function aliceSignedIn(): Promise<{ sessionId: string; userId: number }> {
  const admin = await setupAdmin(h);
  await h.ok(1, 'admin:users:create', { sessionId: admin, username: 'alice', password: OTHER_PASSWORD });
  const r = await h.ok<{ sessionId: string; user: { id: number } }>(2, 'auth:login', { username: 'alice', password: OTHER_PASSWORD });
  return { sessionId: r.sessionId, userId: r.user.id };
}

/** Another connection to the same file, as a second process would have. */
function elsewhere(sql: string, userId: number): void {
  const db = new Database(join(h.dataDir, DB_FILE));
  try {
    db.pragma('foreign_keys = ON');
    db.transaction(() => {
      db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId);
      if (sql) db.prepare(sql).run(userId);
    })();
  } finally {
    db.close();
  }
}

const endedReasons = () => h.events.filter((e) => e.event === 'session:ended').map((e) => [e.senderId, e.payload.reason]);

describe('a session row removed by another process', () => {
  for (const [what, sql, reason] of [
    ['with the user deactivated', 'UPDATE users SET is_active = 0 WHERE id = ?', 'deactivated'],
    ['with the user deleted', 'DELETE FROM users WHERE id = ?', 'deleted'],
    ['alone (the user unchanged)', '', 'revoked'],
  ] as const) {
    it(`${what}: refused on the next call, one session:ended with reason ${reason}`, async () => {
      const alice = await aliceSignedIn();
      elsewhere(sql, alice.userId);
      expect(await h.errorCode(2, 'auth:activity', { sessionId: alice.sessionId })).toBe('SESSION_INVALID');
      expect(endedReasons()).toEqual([[2, reason]]);
      expect(await h.errorCode(2, 'auth:activity', { sessionId: alice.sessionId })).toBe('SESSION_INVALID');
      expect(endedReasons()).toHaveLength(1);
    });
  }
});
