import { createHmac, randomBytes } from 'node:crypto';
import bcrypt from 'bcrypt';

/**
 * Password storage: bcrypt over a keyed pre-hash.
 *
 *   stored = bcrypt(base64(HMAC-SHA-256(key = PREHASH_KEY, NFKC(password) as UTF-8)), cost)
 *
 * Why the pre-hash (standards.md rows 3, 13-15):
 * - bcrypt reads at most 72 bytes, so two long passwords sharing their first 72 bytes
 *   (or 18 four-byte characters) would verify as each other. The MAC covers the whole
 *   password; its base64 form is 44 ASCII bytes, under the limit.
 * - C bcrypt stops at the first NUL byte. Raw digest bytes can contain 0x00; base64 never
 *   does, so `ab\0c...` and `ab\0z...` stay different.
 * - NFKC makes "é" and "e\u0301" the same password, identically when setting and verifying.
 * - A keyed MAC (rather than Django's unkeyed hex SHA-256) means a bcrypt hash from this
 *   app cannot be "shucked" against a generic dump of unsalted SHA-256 password hashes.
 *   The key is a fixed app constant, not a secret pepper: it binds hashes to this app,
 *   it does not protect a stolen DB on its own (bcrypt's cost does that).
 *
 * Only bcrypt's async API is used: its synchronous variants block the main process, which
 * freezes every window for the length of a hash (~250 ms at cost 12).
 *
 * Lone UTF-16 surrogates are encoded as U+FFFD by Node's UTF-8 encoder, so passwords
 * that differ only in an unpaired surrogate hash alike; such strings cannot be typed.
 */

/** Changing this value invalidates every stored hash: it is part of the storage format. */
export const PREHASH_KEY = 'local-accounts/password-prehash/v1';

export const BCRYPT_MIN_COST = 4;
export const BCRYPT_MAX_COST = 16;

/**
 * A well-formed modular-crypt bcrypt string whose cost is within what this app can
 * configure. A stored hash outside that range is treated as malformed: a cost of 31
 * planted in the DB would otherwise tie up a thread pool worker for days per login.
 */
const BCRYPT_HASH_RE = /^\$2[aby]\$(\d\d)\$[./A-Za-z0-9]{53}$/;

function parseCost(hash: string): number | null {
  const m = BCRYPT_HASH_RE.exec(hash);
  if (!m || m[1] === undefined) return null;
  const cost = Number(m[1]);
  return cost >= BCRYPT_MIN_COST && cost <= BCRYPT_MAX_COST ? cost : null;
}

/** The exact bytes bcrypt sees: 44 base64 characters, never a NUL, never truncated. */
export function prehashPassword(password: string): string {
  return createHmac('sha256', PREHASH_KEY).update(password.normalize('NFKC'), 'utf8').digest('base64');
}

export class PasswordHasher {
  private readonly configuredCost: number;
  /** Cached promise so concurrent first calls share one bcrypt.hash run. */
  private dummyHash: Promise<string> | null = null;

  constructor({ cost }: { cost: number }) {
    if (!Number.isInteger(cost) || cost < BCRYPT_MIN_COST || cost > BCRYPT_MAX_COST) {
      throw new RangeError(`bcrypt cost must be an integer from ${BCRYPT_MIN_COST} to ${BCRYPT_MAX_COST}`);
    }
    this.configuredCost = cost;
  }

  get cost(): number {
    return this.configuredCost;
  }

  /** A fresh random salt every call (bcrypt's own 128-bit salt). */
  hash(password: string): Promise<string> {
    return bcrypt.hash(prehashPassword(password), this.configuredCost);
  }

  /**
   * Constant-time comparison by bcrypt itself. Never throws: a malformed or foreign
   * hash answers false after one dummy bcrypt run, so a broken row does not answer
   * measurably faster than a wrong password (timing oracle on account state).
   */
  async verify(password: string, hash: string): Promise<boolean> {
    if (typeof hash !== 'string' || parseCost(hash) === null) {
      await this.verifyDummy(password);
      return false;
    }
    try {
      return await bcrypt.compare(prehashPassword(password), hash);
    } catch {
      return false;
    }
  }

  /**
   * True when the stored hash should be replaced on the next successful login: its cost
   * differs from the configured one (lower: too weak; higher: too slow), or it is malformed.
   */
  needsRehash(hash: string): boolean {
    return parseCost(hash) !== this.configuredCost;
  }

  /**
   * For unknown users: one bcrypt compare at the configured cost, always false, so that
   * "no such user" takes as long as "wrong password" (user enumeration by timing).
   * The dummy hash is built once per instance, on first use.
   */
  async verifyDummy(password: string): Promise<false> {
    try {
      await bcrypt.compare(prehashPassword(password), await this.getDummyHash());
    } catch {
      // The answer is false whatever happens; only the time spent matters here.
    }
    return false;
  }

  private getDummyHash(): Promise<string> {
    if (!this.dummyHash) {
      const pending = bcrypt.hash(randomBytes(32).toString('base64'), this.configuredCost);
      pending.catch(() => {
        if (this.dummyHash === pending) this.dummyHash = null;
      });
      this.dummyHash = pending;
    }
    return this.dummyHash;
  }
}
