import { createContext, useContext } from 'react';
import type { ChannelName, RequestOf, ResponseOf } from '../../../shared/contract';
import type { User } from '../../../shared/dto';
import type { Reply } from '../../../shared/errors';
import type { AccountsClient } from '../app/accounts-client';

/** A request without the session ID: the console adds the active profile's own. */
export type AdminRequest<C extends ChannelName> = Omit<RequestOf<C>, 'sessionId'>;

/**
 * Calls a channel as the active profile. When the core answers REAUTH_REQUIRED it asks
 * for the password (sudo prompt) and retries by itself; if the person cancels, the
 * REAUTH_REQUIRED reply comes back unchanged and the caller does nothing more.
 */
export type AdminCall = <C extends ChannelName>(channel: C, payload: AdminRequest<C>) => Promise<Reply<ResponseOf<C>>>;

export interface AdminEnv {
  client: AccountsClient;
  sessionId: string;
  user: User;
  call: AdminCall;
  /** How often the Sessions view re-reads the live sessions while it is visible. */
  sessionsPollMs: number;
  /** Bumped after an action that ends sessions (deactivate, password set, delete). */
  sessionsVersion: number;
  sessionsChanged: () => void;
  /** The password policy's length bounds (app:info), for hints and policy words. */
  policy: { minLength: number; maxLength: number };
}

export const AdminContext = createContext<AdminEnv | null>(null);

export function useAdmin(): AdminEnv {
  const env = useContext(AdminContext);
  if (env === null) throw new Error('useAdmin() outside <AdminConsole>');
  return env;
}
