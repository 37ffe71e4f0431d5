import { KeychainUnavailableError, type Keychain } from './keychain';

/**
 * An in-process keychain for tests and for runs that must not touch the OS keychain.
 * Fault modes let tests drive the "keychain unavailable" paths:
 * - failWith(reason): every call rejects with KeychainUnavailableError(reason); null heals.
 * - hang(true): every call returns a promise that never settles (a D-Bus call that never
 *   answers), to exercise TimeoutKeychain; hang(false) heals. hang wins over failWith.
 * Nothing is stored while a fault is on, like a real keychain that did not answer.
 */
export class MemoryKeychain implements Keychain {
  private readonly services = new Map<string, Map<string, string>>();
  private failure: string | null = null;
  private hanging = false;

  failWith(reason: string | null): void {
    this.failure = reason;
  }

  hang(on: boolean): void {
    this.hanging = on;
  }

  async getPassword(service: string, account: string): Promise<string | null> {
    await this.gate();
    return this.services.get(service)?.get(account) ?? null;
  }

  async setPassword(service: string, account: string, secret: string): Promise<void> {
    await this.gate();
    let accounts = this.services.get(service);
    if (!accounts) {
      accounts = new Map();
      this.services.set(service, accounts);
    }
    accounts.set(account, secret);
  }

  async deletePassword(service: string, account: string): Promise<boolean> {
    await this.gate();
    const accounts = this.services.get(service);
    if (!accounts?.delete(account)) return false;
    if (accounts.size === 0) this.services.delete(service);
    return true;
  }

  async findCredentials(service: string): Promise<{ account: string; password: string }[]> {
    await this.gate();
    return [...(this.services.get(service) ?? [])].map(([account, password]) => ({ account, password }));
  }

  /** Resolves when no fault is on; rejects or never settles otherwise. */
  private gate(): Promise<void> {
    if (this.hanging) return new Promise<void>(() => {});
    if (this.failure !== null) return Promise.reject(new KeychainUnavailableError(this.failure));
    return Promise.resolve();
  }
}
