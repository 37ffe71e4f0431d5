import { describe, expect, it } from 'vitest';
import { PasswordHasher } from '../../electron/core/auth/password-hasher';
import { makeHarness, OTHER_PASSWORD, setupAdmin, STRONG_PASSWORD } from '../support/core-harness';

/*
 * Item 6: user enumeration by timing. 200 sign-ins with a username that names no one
 * against 200 with a known username and a wrong password: the two medians must differ by
 * less than 10 %. bcrypt dominates both (an unknown name still costs one verification
 * against a dummy hash), so a gap here means one path skips or adds real work.
 *
 * Robustness: bcrypt cost 10 (about 50-60 ms a check, so the fixed overhead of either path
 * is small next to it but a skipped hash is obvious), a warm-up first, then A/B pairs whose
 * order alternates, so machine noise (other test files, GC) hits both sides alike. The
 * throttle never answers: loginMaxFailures is 100, the wrong passwords are spread over 8
 * users (25 each, under the 100-per-hour cap) and every unknown name is used once.
 */

const PAIRS = 200;
const WARM_UP = 10;
const KNOWN_USERS = 8;
const WRONG = 'definitely not the password 7';

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

describe('sign-in timing does not tell whether a username exists', () => {
  it('unknown username vs known username with a wrong password: medians within 10 %', { timeout: 120_000 }, async () => {
    const cost = 10;
    const hasher = new PasswordHasher({ cost });
    const hash = await hasher.hash(STRONG_PASSWORD);
    let oneCheckMs = Infinity;
    for (let k = 0; k < 3; k++) {
      const t = process.hrtime.bigint();
      await hasher.verify(WRONG, hash);
      oneCheckMs = Math.min(oneCheckMs, Number(process.hrtime.bigint() - t) / 1e6);
    }

    const h = await makeHarness({ settings: { bcryptCost: cost, loginMaxFailures: 100 } });
    try {
      const admin = await setupAdmin(h);
      const known: string[] = [];
      for (let k = 0; k < KNOWN_USERS; k++) {
        const username = `member${k}`;
        await h.ok(1, 'admin:users:create', { sessionId: admin, username, password: OTHER_PASSWORD, mustChangePassword: false });
        known.push(username);
      }

      let sender = 100;
      const timeLogin = async (username: string): Promise<number> => {
        const start = process.hrtime.bigint();
        const r = await h.core.dispatch(sender++, 'auth:login', { username, password: WRONG });
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        // Same answer for both: anything else (THROTTLED above all) would spoil the comparison.
        expect(r).toEqual({ ok: false, error: { code: 'INVALID_CREDENTIALS', message: 'The username or password is incorrect.' } });
        return ms;
      };

      const unknownTimes: number[] = [];
      const knownTimes: number[] = [];
      for (let i = -WARM_UP; i < PAIRS; i++) {
        const ghost = `ghost${i + WARM_UP}`;
        const member = known[(i + WARM_UP) % KNOWN_USERS] as string;
        const [a, b] = i % 2 === 0 ? [ghost, member] : [member, ghost];
        const ta = await timeLogin(a);
        const tb = await timeLogin(b);
        if (i < 0) continue;
        const [tGhost, tMember] = a === ghost ? [ta, tb] : [tb, ta];
        unknownTimes.push(tGhost);
        knownTimes.push(tMember);
      }

      const unknownMedian = median(unknownTimes);
      const knownMedian = median(knownTimes);
      const gap = Math.abs(unknownMedian - knownMedian) / Math.max(unknownMedian, knownMedian);
      console.log(
        `timing: one bcrypt check at cost ${cost} ${oneCheckMs.toFixed(1)} ms; median sign-in, unknown username ` +
          `${unknownMedian.toFixed(2)} ms, known username + wrong password ${knownMedian.toFixed(2)} ms ` +
          `(gap ${(gap * 100).toFixed(2)} %, ${PAIRS} each)`,
      );
      expect(unknownTimes).toHaveLength(PAIRS);
      expect(knownTimes).toHaveLength(PAIRS);
      // Both paths really ran bcrypt: each median is at least most of one check.
      expect(Math.min(unknownMedian, knownMedian)).toBeGreaterThan(oneCheckMs * 0.5);
      expect(gap).toBeLessThan(0.1);
    } finally {
      await h.cleanup();
    }
  });
});
