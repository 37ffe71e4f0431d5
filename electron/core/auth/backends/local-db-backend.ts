import type { UserRepository } from '../../users/user-repository';
import type { PasswordHasher } from '../password-hasher';
import { type AuthBackend, type AuthOutcome, type Credentials, PASS } from './auth-backend';

/**
 * `local-db`: username or email + password against the users table (the "email or
 * username" backend of Django's docs, built in). An unknown identifier still costs
 * one bcrypt verification against a dummy hash, so response time does not tell
 * whether an account exists (timing-based user enumeration). A correct password on
 * a hash of another cost is re-hashed at the configured cost.
 */
export class LocalDbBackend implements AuthBackend {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
  ) {}

  async authenticate(credentials: Credentials): Promise<AuthOutcome> {
    if (credentials.kind !== 'password') return PASS;
    const { identifier, password } = credentials;
    // Django item 36: nothing to check, no query and no hashing.
    if (identifier === '' || password === '') return PASS;
    const user = this.users.findByIdentifier(identifier);
    if (!user) {
      await this.hasher.verifyDummy(password);
      return PASS;
    }
    if (!(await this.hasher.verify(password, user.passwordHash))) return PASS;
    let verifiedHash = user.passwordHash;
    if (this.hasher.needsRehash(user.passwordHash)) {
      const upgraded = await this.hasher.hash(password);
      if (this.users.rehash(user.id, upgraded, user.passwordHash)) verifiedHash = upgraded;
    }
    // The password may have changed while bcrypt ran (admin, CLI): the old one no longer counts.
    if (this.users.findById(user.id)?.passwordHash !== verifiedHash) return PASS;
    return { outcome: 'user', userId: user.id };
  }
}
