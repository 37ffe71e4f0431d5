import type Database from 'better-sqlite3';
import type { Clock } from '../clock';
import type { Sqlite } from '../db/database';
import { AppError } from '../errors';
import { KeyedMutex } from './keyed-mutex';

/**
 * Login throttle (standards rows 19-21, 23; DESIGN "Authentication" > Throttle).
 *
 * Defends against online password guessing. There is no client IP on a desktop,
 * so attempts are counted per key. Keys are opaque strings built by the caller:
 * 'user:<id>' when the identifier names a user, else 'id:<normalized identifier>'
 * so that unknown names are throttled exactly like known ones (no user
 * enumeration through the throttle).
 *
 * Policy (documented threshold, window and duration, row 21):
 * - back-off: the failure that brings the consecutive count to `maxFailures` blocks
 *   the key for 30 s; every further failure doubles it (60 s, 120 s, ...) up to 1 h.
 *   The consecutive count does not decay with time: only a success or reset() clears it.
 * - hourly cap: at most 100 failures per key in any rolling hour. With 100 failures
 *   in the last hour, attempts are refused until the oldest of them is an hour old,
 *   whatever the back-off says. A success does NOT reset the cap.
 * - throttled attempts do not count: when check() refuses, the caller must not run
 *   the password check and must not call recordFailure() (attempt() does this).
 *   So a refused attacker cannot extend the block of the real owner indefinitely
 *   (malicious-lockout bound: at most 1 h per 100 guesses).
 * - state lives in SQLite (login_throttle, login_failures): an app restart does not
 *   reset it. Recovery for a locked-out administrator: `manage unthrottle <user>`
 *   calls reset() offline on the data dir.
 *
 * All times come from the injected Clock (UTC epoch ms).
 */

export const THROTTLE_BASE_MS = 30_000;
export const THROTTLE_MAX_MS = 3_600_000;
export const HOURLY_WINDOW_MS = 3_600_000;
export const HOURLY_MAX_FAILURES = 100;

export type ThrottleCheck = { allowed: true } | { allowed: false; retryAfterMs: number };

export interface ThrottleStatus {
  consecutive: number;
  /** Epoch ms until which attempts are refused (back-off or hourly cap), or null if allowed now. */
  blockedUntil: number | null;
  failuresLastHour: number;
}

export interface LoginThrottleOptions {
  db: Sqlite;
  clock: Clock;
  /** settings.loginMaxFailures (1..100). */
  maxFailures: number;
}

interface ThrottleRow {
  consecutive: number;
  blocked_until: number;
}

/** Back-off after the `consecutive`-th consecutive failure; 0 below the threshold. */
export function backoffMs(consecutive: number, maxFailures: number): number {
  if (consecutive < maxFailures) return 0;
  // Exponent capped so 2 ** n never overflows; 30 s * 2^7 already exceeds 1 h.
  const doublings = Math.min(consecutive - maxFailures, 16);
  return Math.min(THROTTLE_BASE_MS * 2 ** doublings, THROTTLE_MAX_MS);
}

/** The THROTTLED error, with a human wait time ("Try again in 2 minutes."). */
export function throttledError(retryAfterMs: number): AppError {
  let wait: string;
  if (retryAfterMs >= 60_000) {
    const m = Math.ceil(retryAfterMs / 60_000);
    wait = `${m} minute${m === 1 ? '' : 's'}`;
  } else {
    const s = Math.max(1, Math.ceil(retryAfterMs / 1000));
    wait = `${s} second${s === 1 ? '' : 's'}`;
  }
  return new AppError('THROTTLED', `Too many failed attempts. Try again in ${wait}.`, { retryAfterMs });
}

export class LoginThrottle {
  private readonly clock: Clock;
  private readonly maxFailures: number;
  private readonly mutex = new KeyedMutex();

  private readonly getRow: Database.Statement<[string], ThrottleRow>;
  private readonly nthNewest: Database.Statement<[string, number], number>;
  private readonly countSince: Database.Statement<[string, number], number>;
  private readonly insertFailure: Database.Statement<[string, number]>;
  private readonly pruneKey: Database.Statement<[string, number]>;
  private readonly pruneAll: Database.Statement<[number]>;
  private readonly upsertRow: Database.Statement<[string, number, number]>;
  private readonly deleteRow: Database.Statement<[string]>;
  private readonly deleteFailures: Database.Statement<[string]>;
  private readonly recordTx: Database.Transaction<(key: string) => void>;
  private readonly resetTx: Database.Transaction<(key: string) => void>;

  constructor({ db, clock, maxFailures }: LoginThrottleOptions) {
    if (!Number.isInteger(maxFailures) || maxFailures < 1) {
      throw new Error(`LoginThrottle: maxFailures must be a positive integer, got ${maxFailures}`);
    }
    this.clock = clock;
    this.maxFailures = maxFailures;
    // `= +?` on indexed columns: see the re-prepare note in the ground rules.
    this.getRow = db.prepare<[string], ThrottleRow>(
      'SELECT consecutive, blocked_until FROM login_throttle WHERE key = +?',
    );
    // The HOURLY_MAX_FAILURES-th newest failure still inside the window: while it
    // exists the cap is reached, and it is the one whose ageing-out frees a slot.
    this.nthNewest = db
      .prepare<[string, number], number>(
        `SELECT at FROM login_failures WHERE key = +? AND at > +? ORDER BY at DESC LIMIT 1 OFFSET ${HOURLY_MAX_FAILURES - 1}`,
      )
      .pluck();
    this.countSince = db
      .prepare<[string, number], number>('SELECT count(*) FROM login_failures WHERE key = +? AND at > +?')
      .pluck();
    this.insertFailure = db.prepare<[string, number]>('INSERT INTO login_failures (key, at) VALUES (?, ?)');
    this.pruneKey = db.prepare<[string, number]>('DELETE FROM login_failures WHERE key = +? AND at <= +?');
    this.pruneAll = db.prepare<[number]>('DELETE FROM login_failures WHERE at <= ?');
    this.upsertRow = db.prepare<[string, number, number]>(
      `INSERT INTO login_throttle (key, consecutive, blocked_until) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET consecutive = excluded.consecutive, blocked_until = excluded.blocked_until`,
    );
    this.deleteRow = db.prepare<[string]>('DELETE FROM login_throttle WHERE key = +?');
    this.deleteFailures = db.prepare<[string]>('DELETE FROM login_failures WHERE key = +?');

    this.recordTx = db.transaction((key: string) => {
      const now = this.clock.now();
      this.insertFailure.run(key, now);
      this.pruneKey.run(key, now - HOURLY_WINDOW_MS);
      const row = this.getRow.get(key);
      const consecutive = (row?.consecutive ?? 0) + 1;
      const backoff = backoffMs(consecutive, this.maxFailures);
      // Never shorten an existing block (e.g. maxFailures raised since it was set).
      const blockedUntil = Math.max(row?.blocked_until ?? 0, backoff > 0 ? now + backoff : 0);
      this.upsertRow.run(key, consecutive, blockedUntil);
    });
    this.resetTx = db.transaction((key: string) => {
      this.deleteRow.run(key);
      this.deleteFailures.run(key);
    });
  }

  /**
   * May an attempt on `key` go ahead now? Read-only. When refused, the caller
   * answers THROTTLED without checking the password and without recordFailure().
   */
  check(key: string): ThrottleCheck {
    const now = this.clock.now();
    const until = this.refusedUntil(key, now);
    if (until === null) return { allowed: true };
    return { allowed: false, retryAfterMs: until - now };
  }

  /** A password check on `key` failed (only for attempts check() allowed). */
  recordFailure(key: string): void {
    // IMMEDIATE: read-modify-write of the count must not interleave with another
    // connection (the manage CLI) doing the same.
    this.recordTx.immediate(key);
  }

  /** A login on `key` succeeded: clears the consecutive count and back-off, not the hourly cap. */
  recordSuccess(key: string): void {
    this.deleteRow.run(key);
  }

  /** Clears everything for `key`, hourly cap included: the `manage unthrottle` recovery path. */
  reset(key: string): void {
    this.resetTx.immediate(key);
  }

  /** For the CLI: the state of `key` now. */
  status(key: string): ThrottleStatus {
    const now = this.clock.now();
    return {
      consecutive: this.getRow.get(key)?.consecutive ?? 0,
      blockedUntil: this.refusedUntil(key, now),
      failuresLastHour: this.countSince.get(key, now - HOURLY_WINDOW_MS) ?? 0,
    };
  }

  /**
   * Deletes failure rows older than the hourly window for every key (a key only
   * prunes itself when it records a failure, so keys never tried again would keep
   * theirs). Returns how many rows went. For a periodic sweep or the CLI.
   */
  pruneExpired(): number {
    return this.pruneAll.run(this.clock.now() - HOURLY_WINDOW_MS).changes;
  }

  /**
   * check -> fn -> record, serialized per key, so N parallel guesses on one key
   * cannot all pass check() before any failure is recorded.
   * - refused: throws THROTTLED (with retryAfterMs) without running fn;
   * - fn resolves { ok }: records a success or a failure by `ok`, returns `value`;
   * - fn rejects (an internal error, not a verdict on the password): records
   *   nothing and rethrows.
   */
  attempt<T>(key: string, fn: () => Promise<{ ok: boolean; value: T }>): Promise<T> {
    return this.mutex.run(key, async () => {
      const verdict = this.check(key);
      if (!verdict.allowed) throw throttledError(verdict.retryAfterMs);
      const result = await fn();
      if (result.ok) this.recordSuccess(key);
      else this.recordFailure(key);
      return result.value;
    });
  }

  /** Epoch ms until which `key` is refused, or null when an attempt is allowed at `now`. */
  private refusedUntil(key: string, now: number): number | null {
    let until = 0;
    const row = this.getRow.get(key);
    if (row && row.blocked_until > now) until = row.blocked_until;
    const nth = this.nthNewest.get(key, now - HOURLY_WINDOW_MS);
    if (nth !== undefined) until = Math.max(until, nth + HOURLY_WINDOW_MS);
    if (until <= now) return null;
    // A wait longer than the longest possible block means the system clock went
    // backwards since the rows were written: never announce more than 1 h at a time.
    return Math.min(until, now + THROTTLE_MAX_MS);
  }
}
