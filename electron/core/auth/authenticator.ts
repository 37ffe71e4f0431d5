import type { AppError } from '../errors';
import type { AuthBackend, BackendContext, Credentials } from './backends/auth-backend';

export type AuthResult =
  | { kind: 'user'; userId: number; backend: string }
  | { kind: 'none' }
  | { kind: 'denied'; error?: AppError };

/**
 * Django's authenticate(): walks settings.authBackends in order. The first backend
 * that answers a user wins (its name is recorded on the session); a deny stops the
 * chain; when every backend passes, there is no user. Exceptions propagate (Django
 * item 33): a broken backend is a bug, not a failed login.
 */
export class Authenticator {
  private readonly chain: { name: string; backend: AuthBackend }[];

  constructor(
    order: readonly string[],
    registry: ReadonlyMap<string, AuthBackend>,
    private readonly context: BackendContext,
  ) {
    this.chain = order.map((name) => {
      const backend = registry.get(name);
      if (!backend) throw new Error(`unknown authentication backend "${name}"`);
      return { name, backend };
    });
  }

  get names(): string[] {
    return this.chain.map((c) => c.name);
  }

  async authenticate(credentials: Credentials): Promise<AuthResult> {
    for (const { name, backend } of this.chain) {
      const answer = await backend.authenticate(credentials, this.context);
      if (answer.outcome === 'user') return { kind: 'user', userId: answer.userId, backend: name };
      if (answer.outcome === 'deny') return answer.error ? { kind: 'denied', error: answer.error } : { kind: 'denied' };
    }
    return { kind: 'none' };
  }
}
