import { randomBytes } from 'node:crypto';

/**
 * The keychain port: keytar's own method shape, so any keytar-compatible store fits.
 * Implementations either answer for real or reject with KeychainUnavailableError; they
 * never fall back silently to some other storage (a secret written to a volatile or
 * unexpected place would look saved and then vanish, or leak).
 */
export interface Keychain {
  /** The stored secret, or null when there is none (on Linux also when the keyring is locked). */
  getPassword(service: string, account: string): Promise<string | null>;
  /** Stores or overwrites. A failed write always rejects. */
  setPassword(service: string, account: string, secret: string): Promise<void>;
  /** true when an entry was removed, false when there was none. */
  deletePassword(service: string, account: string): Promise<boolean>;
  /** Every entry of this service (and of no other). */
  findCredentials(service: string): Promise<{ account: string; password: string }[]>;
}

/**
 * The keychain cannot be used: no D-Bus session, no Secret Service, a locked collection,
 * a timeout or any library failure. `reason` (also the message) is a short sentence for
 * the person using the app; it never contains a secret, a service or an account name.
 * The original library error, if any, is kept as `cause` for the log only.
 */
export class KeychainUnavailableError extends Error {
  readonly reason: string;

  constructor(reason: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.name = 'KeychainUnavailableError';
    this.reason = reason;
  }
}

/** Generic reason for failures that carry no safe text of their own. */
export const KEYCHAIN_FAILED_REASON = 'The keychain failed to answer.';

/** Turns anything thrown by a keychain into a KeychainUnavailableError (its own reason kept). */
export function asKeychainUnavailable(err: unknown): KeychainUnavailableError {
  if (err instanceof KeychainUnavailableError) return err;
  return new KeychainUnavailableError(KEYCHAIN_FAILED_REASON, { cause: err });
}

/**
 * The probe's account. ':' and spaces are outside the username alphabet, so a probe can
 * never overwrite or delete a real user's remembered sign-in token.
 */
export const PROBE_ACCOUNT = '__probe__: keychain check';

export type KeychainAvailability = { available: true } | { available: false; reason: string };

/**
 * Writes, reads back and deletes a random probe entry. Only a full round trip counts as
 * available: on Linux a locked keyring reads as "not found", so a read alone proves nothing
 * and a failed write is the one reliable signal.
 */
export async function probeKeychain(k: Keychain, service: string): Promise<KeychainAvailability> {
  const value = `probe-${randomBytes(16).toString('hex')}`;
  let written = false;
  try {
    await k.setPassword(service, PROBE_ACCOUNT, value);
    written = true;
    const read = await k.getPassword(service, PROBE_ACCOUNT);
    if (read !== value) return { available: false, reason: 'The keychain did not return what was just stored in it.' };
    const deleted = await k.deletePassword(service, PROBE_ACCOUNT);
    written = !deleted;
    if (!deleted) return { available: false, reason: 'The keychain could not delete what was just stored in it.' };
    return { available: true };
  } catch (err) {
    return { available: false, reason: asKeychainUnavailable(err).reason };
  } finally {
    // Best effort: never leave a probe behind after a mismatch or a failed read.
    if (written) await k.deletePassword(service, PROBE_ACCOUNT).catch(() => false);
  }
}
