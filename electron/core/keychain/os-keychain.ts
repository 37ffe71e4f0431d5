import type { AsyncEntry, EntryOptions } from '@napi-rs/keyring';
import { KeychainUnavailableError, type Keychain } from './keychain';

type KeyringModule = typeof import('@napi-rs/keyring');

export interface OsKeychainOptions {
  /** Defaults to process.platform (injectable so tests can take the Linux path anywhere). */
  platform?: NodeJS.Platform;
  /** Defaults to process.env; only read for the D-Bus check, the library reads the real one. */
  env?: NodeJS.ProcessEnv;
  /** How many (service, account) entries to keep open; default 32. */
  maxCachedEntries?: number;
}

/**
 * On Linux, always the Secret Service. The library's default silently falls back to the
 * kernel keyring (keyutils), which is lost at logout or reboot: a "remember me" token
 * written there looks stored and then disappears, so the pin is never optional.
 */
const ENTRY_OPTIONS: EntryOptions = { linux: { store: 'secret-service' } };

const NO_SESSION_BUS = 'No D-Bus session is running, so the Secret Service cannot be reached.';

/**
 * The OS keychain through @napi-rs/keyring (Keychain on macOS, Credential Manager on
 * Windows, the Secret Service on Linux), with the async API so a slow D-Bus round trip
 * never blocks the main thread (entry construction itself is synchronous: hence the cache).
 * Every failure, including a missing native binary, rejects with KeychainUnavailableError;
 * nothing ever falls back to another store. Wrap it in TimeoutKeychain: a wedged daemon
 * can leave a call pending forever.
 */
export class OsKeychain implements Keychain {
  private readonly platform: NodeJS.Platform;
  private readonly env: NodeJS.ProcessEnv;
  private readonly maxCachedEntries: number;
  /** Entries per (service, account): each new one costs a D-Bus connection setup (~5 ms). */
  private readonly entries = new Map<string, AsyncEntry>();
  private library: Promise<KeyringModule> | null = null;

  constructor(options: OsKeychainOptions = {}) {
    this.platform = options.platform ?? process.platform;
    this.env = options.env ?? process.env;
    this.maxCachedEntries = Math.max(1, options.maxCachedEntries ?? 32);
  }

  async getPassword(service: string, account: string): Promise<string | null> {
    return this.withEntry(service, account, (entry) => entry.getPassword());
  }

  async setPassword(service: string, account: string, secret: string): Promise<void> {
    return this.withEntry(service, account, (entry) => entry.setPassword(secret));
  }

  async deletePassword(service: string, account: string): Promise<boolean> {
    return this.withEntry(service, account, (entry) => entry.deleteCredential());
  }

  /**
   * The library offers no store pin for this call; on Linux it asks the Secret Service over
   * the session bus. The D-Bus check in requireSessionBus() keeps it from ever being
   * answered by anything else.
   */
  async findCredentials(service: string): Promise<{ account: string; password: string }[]> {
    this.requireSessionBus();
    const lib = await this.load();
    try {
      const found = await lib.findCredentialsAsync(service);
      return found.map(({ account, password }) => ({ account, password }));
    } catch (err) {
      throw new KeychainUnavailableError(reasonForKeyringError(err), { cause: err });
    }
  }

  private async withEntry<T>(service: string, account: string, call: (entry: AsyncEntry) => Promise<T>): Promise<T> {
    this.requireSessionBus();
    const lib = await this.load();
    const key = JSON.stringify([service, account]);
    try {
      return await call(this.entry(lib, key, service, account));
    } catch (err) {
      // The entry may hold a dead D-Bus connection (daemon restarted): the next call builds a new one.
      this.entries.delete(key);
      throw new KeychainUnavailableError(reasonForKeyringError(err), { cause: err });
    }
  }

  /** Throws (synchronously, from the library) when the pinned store is unavailable. */
  private entry(lib: KeyringModule, key: string, service: string, account: string): AsyncEntry {
    const cached = this.entries.get(key);
    if (cached) {
      // Re-insert so the Map's order stays least-recently-used first.
      this.entries.delete(key);
      this.entries.set(key, cached);
      return cached;
    }
    const created = new lib.AsyncEntry(service, account, ENTRY_OPTIONS);
    this.entries.set(key, created);
    if (this.entries.size > this.maxCachedEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    return created;
  }

  /**
   * Linux: the Secret Service lives on the session bus. Without DBUS_SESSION_BUS_ADDRESS the
   * bundled libdbus cannot find it (X11 autolaunch is compiled out), and an unpinned call
   * could reach the kernel keyring instead; refuse up front with a readable reason.
   */
  private requireSessionBus(): void {
    if (this.platform === 'linux' && !this.env.DBUS_SESSION_BUS_ADDRESS) {
      throw new KeychainUnavailableError(NO_SESSION_BUS);
    }
  }

  /** Loads the native binding lazily, so a missing binary disables the keychain, not the app. */
  private load(): Promise<KeyringModule> {
    this.library ??= import('@napi-rs/keyring').catch((err: unknown) => {
      this.library = null;
      throw new KeychainUnavailableError('The keychain library could not be loaded on this system.', { cause: err });
    });
    return this.library;
  }
}

/**
 * A short sentence for the person using the app, from a library error. The raw text is
 * never shown: it can hold socket paths and D-Bus object paths, and it is not actionable.
 */
export function reasonForKeyringError(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  if (/autolaunch|DBUS_SESSION_BUS_ADDRESS/i.test(text)) return NO_SESSION_BUS;
  if (/failed to connect|connection refused|no such file or directory|disconnected/i.test(text)) {
    return 'The D-Bus session could not be reached, so the Secret Service cannot be used.';
  }
  if (/ServiceUnknown|not provided by any|org\.freedesktop\.secrets/i.test(text)) {
    return 'No Secret Service (such as GNOME Keyring or KWallet) is running.';
  }
  if (/locked|unlock|prompt/i.test(text)) return 'The keychain is locked.';
  if (/no result found|no (default )?collection/i.test(text)) return 'The keychain has no keyring to store secrets in.';
  if (/ambiguous/i.test(text)) return 'The keychain holds more than one matching entry.';
  if (/timed? ?out|NoReply/i.test(text)) return 'The keychain did not answer in time.';
  return 'The OS keychain reported an error.';
}
