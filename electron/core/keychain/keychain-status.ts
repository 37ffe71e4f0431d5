import type { Logger } from '../log';
import { KeychainUnavailableError, probeKeychain, type Keychain } from './keychain';

/**
 * Whether the OS keychain can be used right now, and why not. Probed at start and
 * updated by every call: a failure marks it unavailable (with the reason shown in
 * app:info). Only a successful WRITE marks it available again: on Linux a locked
 * collection answers reads with "not found", so a read proves nothing.
 */
export class KeychainStatus {
  private state: { available: boolean; reason?: string } = { available: false, reason: 'not checked yet' };

  constructor(
    private readonly keychain: Keychain,
    private readonly service: string,
    private readonly log: Logger,
  ) {}

  get current(): { available: boolean; reason?: string } {
    return { ...this.state };
  }

  async probe(): Promise<void> {
    const result = await probeKeychain(this.keychain, this.service);
    this.state = result.available ? { available: true } : { available: false, reason: result.reason };
  }

  /** Runs a keychain call; a KeychainUnavailableError marks the keychain unavailable and is rethrown. */
  async call<T>(fn: () => Promise<T>, kind: 'read' | 'write' = 'read'): Promise<T> {
    try {
      const value = await fn();
      if (kind === 'write' && !this.state.available) this.state = { available: true };
      return value;
    } catch (e) {
      const reason = e instanceof KeychainUnavailableError ? e.reason : 'the keychain call failed';
      if (this.state.available || this.state.reason !== reason) this.log.warn('keychain unavailable', { reason });
      this.state = { available: false, reason };
      throw e instanceof KeychainUnavailableError ? e : new KeychainUnavailableError(reason);
    }
  }

  /** Like call(), but answers false instead of throwing (for writes whose failure is not fatal). */
  async guard(fn: () => Promise<unknown>, kind: 'read' | 'write' = 'write'): Promise<boolean> {
    try {
      await this.call(fn, kind);
      return true;
    } catch {
      return false;
    }
  }
}
