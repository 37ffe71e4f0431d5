import type { Scheduler } from '../clock';
import { asKeychainUnavailable, KeychainUnavailableError, type Keychain } from './keychain';

export interface TimeoutKeychainOptions {
  /** How long one call may take before it counts as "keychain unavailable". */
  timeoutMs: number;
  scheduler: Scheduler;
}

/**
 * Bounds every call of another keychain in time. A Secret Service that never answers
 * (a stuck unlock prompt, a wedged daemon) would otherwise hang login forever; here the
 * call rejects with KeychainUnavailableError after timeoutMs and the app carries on with
 * password login. The timer is cancelled as soon as the call settles, so no task is left
 * in the scheduler. Any other error from the inner keychain is wrapped too, so callers
 * only ever see KeychainUnavailableError.
 *
 * A write that answers after its timeout may still have stored the secret; the caller has
 * already been told it failed, which is the safe side (it will not rely on it).
 */
export class TimeoutKeychain implements Keychain {
  private readonly inner: Keychain;
  private readonly timeoutMs: number;
  private readonly scheduler: Scheduler;

  constructor(inner: Keychain, options: TimeoutKeychainOptions) {
    if (!Number.isFinite(options.timeoutMs) || options.timeoutMs <= 0) {
      throw new RangeError('timeoutMs must be a positive number');
    }
    this.inner = inner;
    this.timeoutMs = options.timeoutMs;
    this.scheduler = options.scheduler;
  }

  getPassword(service: string, account: string): Promise<string | null> {
    return this.bounded(() => this.inner.getPassword(service, account));
  }

  setPassword(service: string, account: string, secret: string): Promise<void> {
    return this.bounded(() => this.inner.setPassword(service, account, secret));
  }

  deletePassword(service: string, account: string): Promise<boolean> {
    return this.bounded(() => this.inner.deletePassword(service, account));
  }

  findCredentials(service: string): Promise<{ account: string; password: string }[]> {
    return this.bounded(() => this.inner.findCredentials(service));
  }

  private bounded<T>(call: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const cancel = this.scheduler.after(this.timeoutMs, () => {
        if (settled) return;
        settled = true;
        const seconds = Math.round(this.timeoutMs / 100) / 10;
        reject(new KeychainUnavailableError(`The keychain did not answer within ${seconds} s.`));
      });
      let pending: Promise<T>;
      try {
        pending = call();
      } catch (err) {
        pending = Promise.reject(err);
      }
      // Late answers after a timeout are swallowed here, so they never become unhandled rejections.
      pending.then(
        (value) => {
          if (settled) return;
          settled = true;
          cancel();
          resolve(value);
        },
        (err: unknown) => {
          if (settled) return;
          settled = true;
          cancel();
          reject(asKeychainUnavailable(err));
        },
      );
    });
  }
}
