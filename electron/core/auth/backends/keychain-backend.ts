import { AppError } from '../../errors';
import { KeychainUnavailableError } from '../../keychain/keychain';
import type { RememberedDevices } from '../remembered-devices';
import { type AuthBackend, type AuthOutcome, type Credentials, PASS } from './auth-backend';

/**
 * `keychain`: "stay signed in on this computer". Accepts a remembered sign-in when
 * the OS keychain holds a token whose hash the database knows and has not expired.
 * A keychain that cannot be used denies (stops the chain) with KEYCHAIN_UNAVAILABLE;
 * it never falls back to anything weaker.
 */
export class KeychainBackend implements AuthBackend {
  constructor(private readonly devices: RememberedDevices) {}

  async authenticate(credentials: Credentials): Promise<AuthOutcome> {
    if (credentials.kind !== 'remembered') return PASS;
    try {
      const userId = await this.devices.verify(credentials.username);
      return userId === null ? PASS : { outcome: 'user', userId };
    } catch (e) {
      if (e instanceof KeychainUnavailableError) {
        return {
          outcome: 'deny',
          error: new AppError('KEYCHAIN_UNAVAILABLE', `The system keychain is not available: ${e.reason}`),
        };
      }
      throw e;
    }
  }
}
