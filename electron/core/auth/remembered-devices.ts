import { createHash, randomBytes } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { RememberedProfile } from '../../../shared/dto';
import type { Clock } from '../clock';
import type { Sqlite } from '../db/database';
import type { KeychainStatus } from '../keychain/keychain-status';
import { KEYCHAIN_FAILED_REASON, KeychainUnavailableError, type Keychain } from '../keychain/keychain';
import type { Logger } from '../log';
import { avatarColorFor } from '../users/avatar-color';
import { foldKey } from '../users/user-normalize';

const DAY_MS = 86_400_000;
const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export interface RememberedDevicesOptions {
  db: Sqlite;
  clock: Clock;
  keychain: Keychain;
  status: KeychainStatus;
  /** Keychain service name: the app id. */
  service: string;
  rememberDays: number;
  log: Logger;
}

/**
 * "Stay signed in on this computer". A random 256-bit token goes into the OS keychain
 * (service = app id, account = username); the database keeps only its SHA-256 and
 * expiry, so a copy of accounts.db signs no one in. The renderer never sees a token.
 * Each remembered sign-in rotates the token (a stolen copy works at most once).
 */
export class RememberedDevices {
  private readonly insert: Statement;
  private readonly findByHash: Statement<[string, number], { id: number; user_id: number }>;
  private readonly rotateStmt: Statement;
  private readonly deleteForUser: Statement<[number]>;
  private readonly profilesStmt: Statement<[number], { id: number; username: string; display_name: string; last_login_at: number | null }>;
  private readonly userByKey: Statement<[string], { id: number; username: string }>;
  private readonly liveRowFor: Statement<[number, number], unknown>;

  constructor(private readonly o: RememberedDevicesOptions) {
    const { db } = o;
    this.insert = db.prepare(
      'INSERT INTO remembered_devices (user_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?)',
    );
    this.findByHash = db.prepare(
      'SELECT id, user_id FROM remembered_devices WHERE token_hash = ? AND expires_at > ?',
    );
    this.rotateStmt = db.prepare(
      'UPDATE remembered_devices SET token_hash = @hash, expires_at = @expires, last_used_at = @now WHERE id = @id',
    );
    this.deleteForUser = db.prepare('DELETE FROM remembered_devices WHERE user_id = ?');
    this.profilesStmt = db.prepare(
      `SELECT DISTINCT u.id, u.username, u.display_name, u.last_login_at FROM remembered_devices d
       JOIN users u ON u.id = d.user_id WHERE d.expires_at > ? AND u.is_active = 1 ORDER BY u.last_login_at DESC, u.id`,
    );
    this.userByKey = db.prepare('SELECT id, username FROM users WHERE username_key = ?');
    this.liveRowFor = db.prepare('SELECT 1 FROM remembered_devices WHERE user_id = ? AND expires_at > ?');
  }

  get enabled(): boolean {
    return this.o.rememberDays > 0;
  }

  /**
   * Stores a new token for the user. True only when it was stored; false when
   * remembering is disabled or the keychain cannot be used (password sign-in goes on).
   */
  async remember(user: { id: number; username: string }): Promise<boolean> {
    if (!this.enabled) return false;
    const token = randomBytes(32).toString('base64url');
    const ok = await this.o.status.guard(() => this.o.keychain.setPassword(this.o.service, user.username, token));
    if (!ok) return false;
    const now = this.o.clock.now();
    // One device row per user on this machine: the keychain holds one token per account.
    this.o.db.transaction(() => {
      this.deleteForUser.run(user.id);
      this.insert.run(user.id, hashToken(token), now, now + this.o.rememberDays * DAY_MS);
    })();
    return true;
  }

  /**
   * The user id the keychain's token vouches for, or null (no token, unknown or
   * expired). Rotates the token on success. Throws KeychainUnavailableError.
   */
  async verify(username: string): Promise<number | null> {
    if (!this.enabled) return null;
    const user = this.userByKey.get(foldKey(username));
    // Ask the keychain even for an unknown name, so a failing keychain answers the
    // same (KEYCHAIN_UNAVAILABLE) whether or not the account exists (enumeration).
    const token = await this.o.status.call(() => this.o.keychain.getPassword(this.o.service, user?.username ?? username));
    if (token === null) await this.trustNotFound(user?.id ?? null);
    if (!user || token === null) return null;
    const now = this.o.clock.now();
    const row = this.findByHash.get(hashToken(token), now);
    if (!row || row.user_id !== user.id) return null;
    const next = randomBytes(32).toString('base64url');
    await this.o.status.call(() => this.o.keychain.setPassword(this.o.service, user.username, next), 'write');
    this.rotateStmt.run({ id: row.id, hash: hashToken(next), expires: now + this.o.rememberDays * DAY_MS, now });
    return user.id;
  }

  /**
   * On Linux a locked keyring reads as "not found", so a null read proves nothing while
   * the keychain is marked unavailable, or when the database says a token was stored.
   * Then a write round trip decides: if it fails, the sign-in answers KEYCHAIN_UNAVAILABLE
   * (with the reason) instead of a misleading NOT_REMEMBERED.
   */
  private async trustNotFound(userId: number | null): Promise<void> {
    const stored = userId !== null && this.liveRowFor.get(userId, this.o.clock.now()) !== undefined;
    if (this.o.status.current.available && !stored) return;
    await this.o.status.probe();
    const state = this.o.status.current;
    if (!state.available) throw new KeychainUnavailableError(state.reason ?? KEYCHAIN_FAILED_REASON);
  }

  /** Forgets this computer for the user: database rows at once, keychain entry best effort. */
  async forget(user: { id: number; username: string }): Promise<void> {
    this.deleteForUser.run(user.id);
    await this.o.status.guard(() => this.o.keychain.deletePassword(this.o.service, user.username));
  }

  /**
   * The database side of revocation alone, synchronous so the caller can commit it in
   * the same transaction as the change that requires it: a crash or failed write between
   * a password change and this would leave an old "stay signed in" token working.
   */
  revokeRows(userId: number): void {
    this.deleteForUser.run(userId);
  }

  /** Revocation (password change, deactivation, deletion): the database side is what counts. */
  async revoke(user: { id: number; username: string }): Promise<void> {
    await this.forget(user);
  }

  /** Profiles remembered on this computer (from the database; no keychain access). */
  profiles(): RememberedProfile[] {
    if (!this.enabled) return [];
    return this.profilesStmt.all(this.o.clock.now()).map((r) => ({
      username: r.username,
      displayName: r.display_name,
      avatarColor: avatarColorFor(r.id),
      lastLoginAt: r.last_login_at,
    }));
  }
}
