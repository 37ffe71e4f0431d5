import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminSessionInfo, AdminUser, LoginResult } from '../../shared/dto';
import { PasswordHasher } from '../../electron/core/auth/password-hasher';
import { makeHarness, STRONG_PASSWORD, type Harness } from '../support/core-harness';
import {
  allPages, displayNameOf, expectOk, seedUsers, signInSlots, trustBackend, usernameOf,
} from './support/population';

/*
 * Item 9: 10,000 users and 100,000 sessions. Listing, search and the sweep stay correct at
 * that size: every page reports the same total, the pages add up to it, no item appears
 * twice and none is skipped. Sessions are spread over 5,000 windows of 20 profiles.
 *
 * Time: slot i signs in as user (i mod 10,000), about one sign-in per fake millisecond.
 * The tenth of the slots with i mod 10 = 0 signs in during [t0, t0 + 10 s], the rest
 * during [t0 + 500 s, t0 + 590 s]; at t0 + 920 s exactly that tenth has been idle longer
 * than the 900 s timeout, so one sweep must end exactly 10,000 sessions.
 */

const USERS = 10_000;
const SESSIONS = 100_000;
const PER_WINDOW = 20;
const IDLE_MS = 900_000;
const ADMIN_SENDER = 10_000_000;

/**
 * /dev/shm when there is one: still real SQLite files and a real WAL, but 100,000 sign-ins
 * (three commits each) take about half as long as on a disk. This test is about
 * correctness at size; the bench measures speed.
 */
function memoryBackedTmp(): string {
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
}

describe('limits: 10,000 users and 100,000 sessions', { timeout: 120_000 }, () => {
  let dataDir: string;
  let h: Harness;
  let adminId: number;
  let userIds: number[];
  let admin: string;
  let adminHandle: string;
  let t0: number;
  const handles: string[] = new Array<string>(SESSIONS).fill('');
  const doomed = Array.from({ length: SESSIONS / 10 }, (_, k) => k * 10);
  const others = Array.from({ length: SESSIONS }, (_, i) => i).filter((i) => i % 10 !== 0);
  const sessionsPage = (limit: number, extra: Record<string, unknown> = {}) =>
    allPages<AdminSessionInfo>(h.core, ADMIN_SENDER, 'admin:sessions:list', { sessionId: admin, ...extra }, limit);

  beforeAll(async () => {
    dataDir = mkdtempSync(join(memoryBackedTmp(), 'accounts-limits-'));
    const hash = await new PasswordHasher({ cost: 4 }).hash(STRONG_PASSWORD);
    ({ adminId, ids: userIds } = seedUsers(dataDir, USERS, hash, Date.UTC(2026, 0, 1)));
    h = await makeHarness({
      dataDir,
      backends: { trust: trustBackend },
      settings: { authBackends: ['trust', 'local-db'], maxProfilesPerWindow: PER_WINDOW, sessionIdleTimeoutMs: IDLE_MS },
    });
    const started = performance.now();
    t0 = h.time.now();
    await signInSlots(h.core, doomed, { users: USERS, perWindow: PER_WINDOW, handles, time: h.time });
    h.time.jump(t0 + 500_000 - h.time.now());
    await signInSlots(h.core, others, { users: USERS, perWindow: PER_WINDOW, handles, time: h.time });
    console.log(`limits: ${SESSIONS} sign-ins in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const login = expectOk<LoginResult>(
      await h.call(ADMIN_SENDER, 'auth:login', { username: 'admin', password: STRONG_PASSWORD }),
      'admin sign-in',
    );
    admin = login.sessionId;
    adminHandle = login.session.handle;
  }, 120_000);

  afterAll(async () => {
    await h?.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('admin:users:list pages over every user: same total on every page, no duplicate, none missing, in id order', async () => {
    const expected = [adminId, ...userIds];
    for (const limit of [500, 333]) {
      const { items, totals, pages } = await allPages<AdminUser>(h.core, ADMIN_SENDER, 'admin:users:list', { sessionId: admin }, limit);
      expect([...totals]).toEqual([USERS + 1]);
      expect(pages).toBe(Math.ceil((USERS + 1) / limit));
      expect(items.map((u) => u.id)).toEqual(expected); // all, once each, ascending
    }
  });

  it('search totals match their pages (username, case-folded, display name, nothing)', async () => {
    const cases: [string, (i: number) => boolean][] = [
      ['user001', (i) => usernameOf(i).includes('user001')],
      ['USER00999', (i) => usernameOf(i).startsWith('user00999')],
      ['person 42', (i) => displayNameOf(i).toLowerCase().includes('person 42')],
      ['no such person', () => false],
    ];
    for (const [query, matches] of cases) {
      const expected = userIds.filter((_, i) => matches(i));
      const { items, totals } = await allPages<AdminUser>(h.core, ADMIN_SENDER, 'admin:users:list', { sessionId: admin, query }, 300);
      expect([...totals], query).toEqual([expected.length]);
      expect(items.map((u) => u.id), query).toEqual(expected);
    }
    expect(userIds.filter((_, i) => usernameOf(i).includes('user001'))).toHaveLength(1_000);
    expect(userIds.filter((_, i) => displayNameOf(i).toLowerCase().includes('person 42'))).toHaveLength(111);
  });

  it('admin:sessions:list pages over 100,001 sessions with no duplicate and no gap; per-user filter too', async () => {
    const { items, totals } = await sessionsPage(500);
    expect([...totals]).toEqual([SESSIONS + 1]);
    const listed = items.map((s) => s.handle);
    expect(new Set(listed).size).toBe(listed.length);
    expect(new Set(listed)).toEqual(new Set([...handles, adminHandle]));
    expect(items.filter((s) => s.current).map((s) => s.handle)).toEqual([adminHandle]);

    const user7 = await sessionsPage(3, { userId: userIds[7] });
    const expected7 = handles.filter((_, i) => i % USERS === 7);
    expect([...user7.totals]).toEqual([SESSIONS / USERS]);
    expect(new Set(user7.items.map((s) => s.handle))).toEqual(new Set(expected7));
    expect(user7.items.every((s) => s.userId === userIds[7] && s.username === usernameOf(7))).toBe(true);
  });

  it('the sweep ends exactly the idle tenth (10,000), then nothing; the other 90,000 are intact', async () => {
    h.time.jump(t0 + 920_000 - h.time.now()); // the doomed tenth is past its idle timeout; no timer ran
    const before = h.events.length;
    expect(await h.core.sweep()).toBe(SESSIONS / 10);
    expect(await h.core.sweep()).toBe(0);
    const ended = h.events.slice(before);
    expect(ended.every((e) => e.event === 'session:ended' && e.payload.reason === 'idle')).toBe(true);
    expect(new Set(ended.map((e) => e.payload.handle))).toEqual(new Set(doomed.map((i) => handles[i])));

    // The survivors, window by window (from memory), and the admin list's total.
    const survivors: string[] = [];
    for (let sender = 1; sender <= SESSIONS / PER_WINDOW; sender++) {
      const profiles = h.core.profilesOf(sender);
      expect(profiles).toHaveLength(PER_WINDOW - 2); // each window lost exactly its two idle profiles
      survivors.push(...profiles.map((p) => p.handle));
    }
    expect(new Set(survivors)).toEqual(new Set(others.map((i) => handles[i])));
    const first = expectOk<{ total: number }>(await h.call(ADMIN_SENDER, 'admin:sessions:list', { sessionId: admin, limit: 1 }), 'list');
    expect(first.total).toBe(others.length + 1);
    // And the admin list pages over the rest, across the gaps the sweep left, with no duplicate or gap.
    const { items } = await allPages<AdminSessionInfo>(h.core, ADMIN_SENDER, 'admin:sessions:list', { sessionId: admin }, 500);
    expect(items.map((s) => s.handle).sort()).toEqual([...survivors, adminHandle].sort());
  });
});
