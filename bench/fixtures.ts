import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Reply } from '../shared/errors';
import type { LoginResult } from '../shared/dto';
import type { AuthBackend, Core, CoreOptions } from '../electron/core/index';
import { PASS } from '../electron/core/auth/backends/auth-backend';
import { PasswordHasher } from '../electron/core/auth/password-hasher';
import Database from 'better-sqlite3';
import { DB_FILE, openDatabase } from '../electron/core/db/database';
import { MemoryKeychain } from '../electron/core/keychain/memory-keychain';
import { silentLogger } from '../electron/core/log';
import { foldKey } from '../electron/core/users/user-normalize';
import type { FakeTime } from '../test/support/fake-time';

/**
 * Builds the bench's data: users written straight into SQLite (one precomputed
 * bcrypt hash shared by all: it is only checked on a real login), then sessions
 * signed in through the core itself, because sessions only live in a running core.
 *
 * Signing 100,000 sessions in through bcrypt would take hours, so the core gets a
 * bench-only backend, `bench-trust`, first in settings.authBackends: it vouches for
 * a username when the password is TRUST_TOKEN and passes otherwise, so a login with
 * the real password still goes through `local-db` and bcrypt (the login figures).
 */

export interface BenchConfig {
  mode: 'full' | 'smoke';
  users: number;
  sessions: number;
  /** Sessions per window (settings.maxProfilesPerWindow, at most 20). */
  profilesPerSender: number;
  bcryptCost: number;
  /** Interleaved floor / dispatch runs. */
  hotRuns: number;
  /** Login and bcrypt samples for login_overhead. */
  loginSamples: number;
  lagRuns: number;
  sweepRuns: number;
  sweepNoneRuns: number;
  startupRuns: number;
}

export const FULL: BenchConfig = {
  mode: 'full',
  users: 10_000,
  sessions: 100_000,
  profilesPerSender: 20,
  bcryptCost: 12,
  hotRuns: 5,
  loginSamples: 11,
  lagRuns: 3,
  sweepRuns: 3,
  sweepNoneRuns: 7,
  startupRuns: 3,
};

export const SMOKE: BenchConfig = {
  mode: 'smoke',
  users: 200,
  sessions: 2_000,
  profilesPerSender: 20,
  bcryptCost: 4,
  hotRuns: 3,
  loginSamples: 3,
  lagRuns: 2,
  sweepRuns: 2,
  sweepNoneRuns: 3,
  startupRuns: 2,
};

/** The password of every bench user (the shared hash is of this). */
export const BENCH_PASSWORD = 'bench password: violet umbrella 42';
/** The password `bench-trust` accepts without bcrypt (setup logins only). */
export const TRUST_TOKEN = 'bench-trust: no bcrypt for setup logins';

/** Session timing the sweep choreography relies on (the defaults, stated explicitly). */
export const IDLE_MS = 900_000;
export const ABSOLUTE_MS = 43_200_000;

/** Sender IDs: the population uses 1..; the login figures use their own, far above. */
export const POPULATION_SENDER_BASE = 1;
export const EXTRA_SENDER_BASE = 10_000_000;

export const benchTrustBackend: AuthBackend = {
  async authenticate(credentials, context) {
    if (credentials.kind !== 'password' || credentials.password !== TRUST_TOKEN) return PASS;
    const user = context.findUser(credentials.identifier);
    return user ? { outcome: 'user', userId: user.id } : PASS;
  },
};

export function usernameOf(userIndex: number): string {
  return `bench${String(userIndex).padStart(6, '0')}`;
}

export function makeDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'accounts-bench-'));
}

/** The bcrypt hash every user shares, at the configured cost (one real bcrypt run). */
export function sharedPasswordHash(cost: number): Promise<string> {
  return new PasswordHasher({ cost }).hash(BENCH_PASSWORD);
}

/** Creates the schema and `count` active plain users in one transaction, then closes the file. */
export function seedUsers(dataDir: string, count: number, passwordHash: string, now: number): void {
  const db = openDatabase(dataDir);
  try {
    const insert = db.prepare(
      `INSERT INTO users (username, username_key, display_name, password_hash, created_at, password_changed_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    db.transaction(() => {
      for (let i = 0; i < count; i++) {
        const name = usernameOf(i);
        insert.run(name, foldKey(name), `Bench User ${i}`, passwordHash, now, now);
      }
    })();
  } finally {
    db.close();
  }
}

/**
 * ANALYZE on the bench's data, from a connection of its own while the core runs: a
 * long-lived installation gets statistics (ANALYZE, PRAGMA optimize), and with SQLite's
 * STAT4 they change how some statements run (a bound value compared with an indexed
 * column re-prepared on every call). The core's statements see the new statistics on
 * their next run. Answers the number of sqlite_stat1 rows.
 */
export function analyzeDatabase(dataDir: string): number {
  const db = new Database(join(dataDir, DB_FILE), { fileMustExist: true });
  try {
    db.exec('ANALYZE');
    return db.prepare<[], number>('SELECT count(*) FROM sqlite_stat1').pluck().get() as number;
  } finally {
    db.close();
  }
}

export function coreOptions(dataDir: string, time: FakeTime, cfg: BenchConfig): CoreOptions {
  return {
    dataDir,
    clock: time,
    scheduler: time,
    keychain: new MemoryKeychain(),
    logger: silentLogger,
    backends: { 'bench-trust': benchTrustBackend },
    settings: {
      sessionEngine: 'sqlite',
      authBackends: ['bench-trust', 'local-db'],
      bcryptCost: cfg.bcryptCost,
      maxProfilesPerWindow: cfg.profilesPerSender,
      sessionIdleTimeoutMs: IDLE_MS,
      sessionAbsoluteTimeoutMs: ABSOLUTE_MS,
    },
  };
}

/**
 * Slot i of the population: user i mod users, in window (sender) i div 20, so each
 * window holds 20 distinct profiles and each user about sessions/users sessions.
 * Every tenth slot is "doomed": the sweep figure lets exactly those go idle.
 */
export class Population {
  readonly senders: Int32Array;
  readonly users: Int32Array;
  /** Raw session IDs; '' while a slot has no live session. Allocated up front (heap figure). */
  readonly ids: string[];
  readonly doomed: Uint32Array;
  readonly others: Uint32Array;

  constructor(readonly cfg: BenchConfig) {
    const n = cfg.sessions;
    this.senders = new Int32Array(n);
    this.users = new Int32Array(n);
    this.ids = new Array<string>(n).fill('');
    const doomed: number[] = [];
    const others: number[] = [];
    for (let i = 0; i < n; i++) {
      this.senders[i] = POPULATION_SENDER_BASE + Math.floor(i / cfg.profilesPerSender);
      this.users[i] = i % cfg.users;
      (i % 10 === 0 ? doomed : others).push(i);
    }
    this.doomed = Uint32Array.from(doomed);
    this.others = Uint32Array.from(others);
  }

  sender(i: number): number {
    return this.senders[i] as number;
  }

  /** Signs the given slots in through `bench-trust`, `batch` logins in flight at a time. */
  async signIn(core: Core, slots: ArrayLike<number>, batch = 64): Promise<void> {
    for (let start = 0; start < slots.length; start += batch) {
      const end = Math.min(slots.length, start + batch);
      const pending: Promise<void>[] = [];
      for (let k = start; k < end; k++) {
        const i = slots[k] as number;
        const username = usernameOf(this.users[i] as number);
        pending.push(
          core.dispatch(this.sender(i), 'auth:login', { username, password: TRUST_TOKEN }).then((r) => {
            this.ids[i] = expectOk<LoginResult>(r, `setup login of slot ${i}`).sessionId;
          }),
        );
      }
      await Promise.all(pending);
    }
  }

  /** One auth:activity on each given slot (sequential, like a window's own calls). */
  async activity(core: Core, slots: ArrayLike<number>): Promise<void> {
    for (let k = 0; k < slots.length; k++) {
      const i = slots[k] as number;
      expectOk(await core.dispatch(this.sender(i), 'auth:activity', { sessionId: this.ids[i] }), `activity on slot ${i}`);
    }
  }
}

/** The reply's data, or a bench failure naming what went wrong (a bench must not time errors). */
export function expectOk<T = unknown>(reply: Reply, what: string): T {
  if (!reply.ok) throw new Error(`${what} failed: ${reply.error.code} ${reply.error.message}`);
  return reply.data as T;
}
