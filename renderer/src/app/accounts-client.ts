import type { ChannelName, EventName, Events, RequestOf, ResponseOf } from '../../../shared/contract';
import type { ErrorBody, Reply } from '../../../shared/errors';
import type { AccountsApi } from '../accounts-api';

/**
 * The typed face of `window.accounts`: channel names, payloads and replies come
 * from shared/contract.ts, so a screen cannot send a payload the router would
 * refuse by shape. A rejected invoke (the bridge itself broke) becomes an
 * INTERNAL reply, so screens handle exactly one kind of failure.
 */
export interface AccountsClient {
  call<C extends ChannelName>(channel: C, payload: RequestOf<C>): Promise<Reply<ResponseOf<C>>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
}

export function createAccountsClient(api: AccountsApi): AccountsClient {
  return {
    async call(channel, payload) {
      try {
        return (await api.invoke(channel, payload)) as never;
      } catch (_error) {
        const error: ErrorBody = { code: 'INTERNAL', message: 'The bridge did not answer.' };
        return { ok: false, error };
      }
    },
    on(event, listener) {
      return api.on(event, (payload) => listener(payload as never));
    },
  };
}
