import type { LoginResult } from '../../../shared/dto';
import type { Reply } from '../../../shared/errors';
import type { AuthBackend, Core } from '../../../electron/core/index';
import { PASS } from '../../../electron/core/auth/backends/auth-backend';
import { openDatabase } from '../../../electron/core/db/database';
import { foldKey } from '../../../electron/core/users/user-normalize';
import type { FakeTime } from '../../support/fake-time';

/**
 * A large population for the limits test: users written straight into SQLite in one
 * transaction (one shared bcrypt hash), sessions signed in through the core itself
 * (sessions only live in a running core) via a test-only backend, `trust`, that vouches
 * for a username when the password is TRUST_PASSWORD, so no bcrypt runs per login.
 */
export const TRUST_PASSWORD = 'limits-trust: setup sign-ins only';

export const trustBackend: AuthBackend = {
  async authenticate(credentials, context) {
    if (credentials.kind !== 'password' || credentials.password !== TRUST_PASSWORD) return PASS;
    const user = context.findUser(credentials.identifier);
    return user ? { outcome: 'user', userId: user.id } : PASS;
  },
};

export const usernameOf = (i: number): string => `user${String(i).padStart(6, '0')}`;
export const displayNameOf = (i: number): string => `Person ${i}`;

/**
 * Creates the schema, a superuser `admin` and `count` plain users (user000000, …) with
 * `passwordHash`, in one transaction. Returns the plain users' ids, by index.
 */
export function seedUsers(dataDir: string, count: number, passwordHash: string, now: number): { adminId: number; ids: number[] } {
  const db = openDatabase(dataDir);
  try {
    const insert = db.prepare(
      `INSERT INTO users (username, username_key, display_name, password_hash, is_staff, is_superuser, created_at, password_changed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    return db.transaction(() => {
      const adminId = Number(insert.run('admin', 'admin', 'Admin', passwordHash, 1, 1, now, now).lastInsertRowid);
      const ids: number[] = [];
      for (let i = 0; i < count; i++) {
        const name = usernameOf(i);
        ids.push(Number(insert.run(name, foldKey(name), displayNameOf(i), passwordHash, 0, 0, now, now).lastInsertRowid));
      }
      return { adminId, ids };
    })();
  } finally {
    db.close();
  }
}

export function expectOk<T>(reply: Reply, what: string): T {
  if (!reply.ok) throw new Error(`${what} failed: ${reply.error.code} ${reply.error.message}`);
  return reply.data as T;
}

/**
 * Signs slot i in as user (i mod users) in window 1 + floor(i / perWindow), 100 at a time,
 * moving the fake clock 100 ms per batch (creation times spread like real ones: about one
 * sign-in per millisecond). Answers each slot's handle in `handles`.
 */
export async function signInSlots(
  core: Core,
  slots: readonly number[],
  o: { users: number; perWindow: number; handles: string[]; time: FakeTime },
): Promise<void> {
  const batch = 100;
  for (let start = 0; start < slots.length; start += batch) {
    if (start > 0) o.time.jump(100);
    await Promise.all(
      slots.slice(start, start + batch).map(async (i) => {
        const senderId = 1 + Math.floor(i / o.perWindow);
        const r = await core.dispatch(senderId, 'auth:login', { username: usernameOf(i % o.users), password: TRUST_PASSWORD });
        o.handles[i] = expectOk<LoginResult>(r, `sign-in of slot ${i}`).session.handle;
      }),
    );
  }
}

/** Every page of a list channel, `limit` at a time: the items in order and each page's total. */
export async function allPages<T>(
  core: Core,
  senderId: number,
  channel: string,
  payload: Record<string, unknown>,
  limit: number,
): Promise<{ items: T[]; totals: Set<number>; pages: number }> {
  const items: T[] = [];
  const totals = new Set<number>();
  let pages = 0;
  for (let offset = 0; ; offset += limit) {
    const page = expectOk<{ items: T[]; total: number }>(
      await core.dispatch(senderId, channel, { ...payload, offset, limit }),
      `${channel} at offset ${offset}`,
    );
    totals.add(page.total);
    if (page.items.length === 0) break;
    pages++;
    items.push(...page.items);
    if (page.items.length < limit) break;
  }
  return { items, totals, pages };
}
