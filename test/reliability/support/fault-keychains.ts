import { KeychainUnavailableError, type Keychain } from '../../../electron/core/keychain/keychain';
import { MemoryKeychain } from '../../../electron/core/keychain/memory-keychain';

/**
 * What the Secret Service does with a locked collection: reads answer "not found" (null,
 * []), writes and deletes fail. `locked` toggles it; unlocked it is a MemoryKeychain.
 */
export class LockableKeychain implements Keychain {
  readonly inner = new MemoryKeychain();
  locked = false;

  getPassword(service: string, account: string): Promise<string | null> {
    return this.locked ? Promise.resolve(null) : this.inner.getPassword(service, account);
  }

  setPassword(service: string, account: string, secret: string): Promise<void> {
    return this.locked ? this.refuse() : this.inner.setPassword(service, account, secret);
  }

  deletePassword(service: string, account: string): Promise<boolean> {
    return this.locked ? this.refuse() : this.inner.deletePassword(service, account);
  }

  findCredentials(service: string): Promise<{ account: string; password: string }[]> {
    return this.locked ? Promise.resolve([]) : this.inner.findCredentials(service);
  }

  private refuse(): Promise<never> {
    return Promise.reject(new KeychainUnavailableError('The keychain is locked.'));
  }
}

/** The library text a raw failure might carry: a socket path and an object path. */
export const RAW_LIBRARY_TEXT = 'zbus: /run/user/1000/bus /org/freedesktop/secrets/collection/login/7';

/** A keychain whose every method throws a plain Error synchronously (not even a promise). */
export const throwingKeychain: Keychain = {
  getPassword: () => {
    throw new Error(RAW_LIBRARY_TEXT);
  },
  setPassword: () => {
    throw new Error(RAW_LIBRARY_TEXT);
  },
  deletePassword: () => {
    throw new Error(RAW_LIBRARY_TEXT);
  },
  findCredentials: () => {
    throw new Error(RAW_LIBRARY_TEXT);
  },
};
