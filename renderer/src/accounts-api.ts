import type { Reply } from '../../shared/errors';

/**
 * What the preload exposes to the sandboxed page as `window.accounts`: the only
 * way the renderer reaches the main process. No ipcRenderer, no Node.
 *
 * Contract: `invoke` always resolves with a Reply (errors are `{ ok: false, error }`,
 * never a rejection for a domain failure); `on` returns its own unsubscribe function.
 * Channels and events are the ones listed in shared/ (DESIGN.md, "The IPC contract").
 */
export interface AccountsApi {
  invoke(channel: string, payload: unknown): Promise<Reply>;
  on(event: string, cb: (payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    /** Absent when the page is opened outside the app (no preload, no harness). */
    accounts?: AccountsApi;
  }
}

/**
 * The bridge, or a clear error when the page runs without the preload (e.g. a
 * stray browser tab), instead of a TypeError deep inside a screen.
 */
export function getAccountsApi(): AccountsApi {
  const api = window.accounts;
  if (api === undefined) {
    throw new Error('window.accounts is missing: this page must be loaded by the app (preload) or the test harness.');
  }
  return api;
}
