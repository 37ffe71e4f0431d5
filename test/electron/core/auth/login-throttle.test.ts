import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  HOURLY_WINDOW_MS,
  LoginThrottle,
  backoffMs,
  throttledError,
} from '../../../../electron/core/auth/login-throttle';
import { openDatabase, type Sqlite } from '../../../../electron/core/db/database';
import { AppError } from '../../../../electron/core/errors';
import { FakeTime } from '../../../support/fake-time';

const KEY = 'user:1';
const fail = async () => ({ ok: false, value: 'bad' });
const succeed = async () => ({ ok: true, value: 'good' });

async function ticks(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await Promise.resolve();
}

/** The AppError an attempt rejected with (fails the test if it resolved). */
async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('expected the attempt to be refused');
}

describe('LoginThrottle', () => {
  let dir: string;
  let time: FakeTime;
  let db: Sqlite;

  const throttle = (maxFailures = 5) => new LoginThrottle({ db, clock: time, maxFailures });
  const failureRows = (key: string) =>
    db.prepare('SELECT count(*) FROM login_failures WHERE key = ?').pluck().get(key) as number;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'login-throttle-'));
    time = new FakeTime();
    db = openDatabase(dir, { clock: time });
  });

  afterEach(() => {
    if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('allows maxFailures failures, then refuses for 30 s', async () => {
    const t = throttle(5);
    for (let i = 0; i < 5; i++) {
      expect(t.check(KEY)).toEqual({ allowed: true });
      t.recordFailure(KEY);
    }
    expect(t.check(KEY)).toEqual({ allowed: false, retryAfterMs: 30_000 });
    const err = await rejection(t.attempt(KEY, succeed));
    expect(err.code).toBe('THROTTLED');
    expect(err.retryAfterMs).toBe(30_000);
    expect(err.message).toBe('Too many failed attempts. Try again in 30 seconds.');
    time.advance(10_000);
    expect(t.check(KEY)).toEqual({ allowed: false, retryAfterMs: 20_000 });
    time.advance(20_000);
    expect(t.check(KEY)).toEqual({ allowed: true });
  });

  it('doubles the back-off per further failure, capped at 1 h', async () => {
    const t = throttle(5);
    for (let i = 0; i < 5; i++) await expect(t.attempt(KEY, fail)).resolves.toBe('bad');
    const seen: number[] = [];
    for (let i = 0; i < 10; i++) {
      const verdict = t.check(KEY);
      if (verdict.allowed) throw new Error('expected a block');
      seen.push(verdict.retryAfterMs);
      time.advance(verdict.retryAfterMs);
      await expect(t.attempt(KEY, fail)).resolves.toBe('bad');
    }
    expect(seen).toEqual([
      30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000, 3_600_000, 3_600_000,
    ]);
    expect(backoffMs(1000, 5)).toBe(3_600_000);
    expect(backoffMs(4, 5)).toBe(0);
  });

  it('a success resets the consecutive count and the block', async () => {
    const t = throttle(5);
    for (let i = 0; i < 4; i++) t.recordFailure(KEY);
    await expect(t.attempt(KEY, succeed)).resolves.toBe('good');
    expect(t.status(KEY).consecutive).toBe(0);
    for (let i = 0; i < 4; i++) await t.attempt(KEY, fail);
    expect(t.check(KEY)).toEqual({ allowed: true });
    t.recordFailure(KEY);
    expect(t.check(KEY).allowed).toBe(false);
    t.recordSuccess(KEY);
    expect(t.check(KEY)).toEqual({ allowed: true });
    expect(t.status(KEY)).toEqual({ consecutive: 0, blockedUntil: null, failuresLastHour: 9 });
  });

  it('keys are independent', () => {
    const t = throttle(2);
    t.recordFailure('user:1');
    t.recordFailure('user:1');
    expect(t.check('user:1').allowed).toBe(false);
    expect(t.check('user:2')).toEqual({ allowed: true });
    expect(t.check('id:user:1')).toEqual({ allowed: true });
  });

  it('processes at most 100 failures in any 60-min window, even with successes in between', async () => {
    const t = throttle(100); // back-off never triggers: the hourly cap is what is tested
    const processed: number[] = [];
    let refusals = 0;
    let firstRefusal: { at: number; retryAfterMs: number } | null = null;
    let checks = 0;
    // One attempt every 20 s for 4 h; of the checked ones, 9 wrong passwords, then the right one.
    for (let i = 0; i < (4 * HOURLY_WINDOW_MS) / 20_000; i++) {
      try {
        await t.attempt(KEY, async () => {
          const ok = checks++ % 10 === 9;
          if (!ok) processed.push(time.now());
          return { ok, value: null };
        });
      } catch (e) {
        expect((e as AppError).code).toBe('THROTTLED');
        refusals++;
        firstRefusal ??= { at: time.now(), retryAfterMs: (e as AppError).retryAfterMs ?? -1 };
      }
      time.advance(20_000);
    }
    for (const start of processed) {
      const inWindow = processed.filter((at) => at >= start && at < start + HOURLY_WINDOW_MS).length;
      expect(inWindow).toBeLessThanOrEqual(100);
    }
    // The cap was reached (refusals happened), and lifted again hour after hour.
    expect(refusals).toBeGreaterThan(0);
    expect(processed.length).toBeGreaterThanOrEqual(300);
    // Refused until the oldest of the 100 failures is an hour old.
    expect(firstRefusal).not.toBeNull();
    expect(firstRefusal!.at + firstRefusal!.retryAfterMs).toBe(processed[0]! + HOURLY_WINDOW_MS);
  });

  it('the 101st failure in an hour is refused even though successes reset the back-off', async () => {
    const t = throttle(100);
    const start = time.now();
    for (let i = 0; i < 100; i++) {
      await t.attempt(KEY, fail);
      t.recordSuccess(KEY);
      time.advance(1000);
    }
    expect(t.status(KEY)).toMatchObject({ consecutive: 0, failuresLastHour: 100 });
    const err = await rejection(t.attempt(KEY, succeed));
    expect(err.retryAfterMs).toBe(start + HOURLY_WINDOW_MS - time.now());
    expect(err.message).toBe('Too many failed attempts. Try again in 59 minutes.');
    time.advance(err.retryAfterMs!);
    expect(t.check(KEY)).toEqual({ allowed: true });
  });

  it('survives a restart: a new throttle on the re-opened database still refuses', () => {
    const t = throttle(5);
    for (let i = 0; i < 5; i++) t.recordFailure(KEY);
    t.recordFailure('user:2');
    db.close();
    db = openDatabase(dir, { clock: time });
    const again = throttle(5);
    expect(again.check(KEY)).toEqual({ allowed: false, retryAfterMs: 30_000 });
    expect(again.status(KEY)).toEqual({ consecutive: 5, blockedUntil: time.now() + 30_000, failuresLastHour: 5 });
    // The consecutive count persisted too: the next failure after the block doubles it.
    time.advance(30_000);
    again.recordFailure(KEY);
    expect(again.check(KEY)).toEqual({ allowed: false, retryAfterMs: 60_000 });
    expect(again.status('user:2').consecutive).toBe(1);
  });

  it('the hourly cap survives a restart too', async () => {
    const t = throttle(100);
    for (let i = 0; i < 100; i++) {
      t.recordFailure(KEY);
      if (i % 50 === 49) t.recordSuccess(KEY);
      time.advance(1000);
    }
    db.close();
    db = openDatabase(dir, { clock: time });
    const again = throttle(100);
    expect(again.check(KEY).allowed).toBe(false);
    expect((await rejection(again.attempt(KEY, succeed))).code).toBe('THROTTLED');
  });

  it('reset() clears the back-off, the count and the hourly cap', () => {
    const t = throttle(5);
    for (let i = 0; i < 100; i++) {
      t.recordFailure(KEY);
      t.recordSuccess(KEY);
    }
    for (let i = 0; i < 5; i++) t.recordFailure(KEY);
    expect(t.check(KEY).allowed).toBe(false);
    t.reset(KEY);
    expect(t.check(KEY)).toEqual({ allowed: true });
    expect(t.status(KEY)).toEqual({ consecutive: 0, blockedUntil: null, failuresLastHour: 0 });
    expect(failureRows(KEY)).toBe(0);
  });

  it('serializes parallel attempts: 40 parallel failing guesses run exactly maxFailures checks', async () => {
    const t = throttle(5);
    let runs = 0;
    const slowFail = async () => {
      runs++;
      await ticks(5); // a slow password check: other attempts get to run meanwhile
      return { ok: false, value: null };
    };
    const results = await Promise.allSettled(Array.from({ length: 40 }, () => t.attempt(KEY, slowFail)));
    expect(runs).toBe(5);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused).toHaveLength(35);
    for (const r of refused) {
      expect(r.reason).toBeInstanceOf(AppError);
      expect((r.reason as AppError).code).toBe('THROTTLED');
      expect((r.reason as AppError).retryAfterMs).toBe(30_000);
    }
    // Throttled attempts do not count.
    expect(t.status(KEY)).toMatchObject({ consecutive: 5, failuresLastHour: 5 });
  });

  it('records nothing when the check itself throws', async () => {
    const t = throttle(1);
    await expect(
      t.attempt(KEY, async () => {
        throw new Error('hash library failed');
      }),
    ).rejects.toThrow('hash library failed');
    expect(t.status(KEY)).toEqual({ consecutive: 0, blockedUntil: null, failuresLastHour: 0 });
    await expect(t.attempt(KEY, fail)).resolves.toBe('bad');
    expect(t.check(KEY).allowed).toBe(false);
  });

  it('prunes failure rows older than an hour when recording, and on pruneExpired()', () => {
    const t = throttle(100);
    for (let i = 0; i < 10; i++) t.recordFailure(KEY);
    t.recordFailure('user:2');
    expect(failureRows(KEY)).toBe(10);
    time.advance(HOURLY_WINDOW_MS);
    expect(t.status(KEY).failuresLastHour).toBe(0);
    t.recordFailure(KEY);
    expect(failureRows(KEY)).toBe(1);
    expect(failureRows('user:2')).toBe(1); // other keys prune themselves ...
    expect(t.pruneExpired()).toBe(1); // ... or are swept
    expect(failureRows('user:2')).toBe(0);
    expect(failureRows(KEY)).toBe(1);
  });

  it('never announces more than an hour when the clock went backwards', () => {
    const t = throttle(1);
    t.recordFailure(KEY);
    time.jump(-5 * HOURLY_WINDOW_MS);
    expect(t.check(KEY)).toEqual({ allowed: false, retryAfterMs: HOURLY_WINDOW_MS });
  });

  it('rejects a nonsensical maxFailures and words the wait for people', () => {
    expect(() => throttle(0)).toThrow(/maxFailures/);
    expect(throttledError(1000).message).toBe('Too many failed attempts. Try again in 1 second.');
    expect(throttledError(60_000).message).toBe('Too many failed attempts. Try again in 1 minute.');
    expect(throttledError(61_000).message).toBe('Too many failed attempts. Try again in 2 minutes.');
    expect(throttledError(3_600_000).toBody()).toEqual({
      code: 'THROTTLED',
      message: 'Too many failed attempts. Try again in 60 minutes.',
      retryAfterMs: 3_600_000,
    });
  });
});
