import type { IpcRendererEvent } from 'electron';
import type { IpcRendererPort } from '../ports/electron-ports';
import { EVENT_NAMES, isChannelName, type EventName } from '../../shared/contract';
import type { Reply } from '../../shared/errors';

/**
 * What the page gets as `window.accounts`, and nothing else: no ipcRenderer, no
 * Node, no Electron object. The renderer declares the same shape
 * (renderer/src/accounts-api.ts); a test checks the two agree.
 */
export interface PreloadAccountsApi {
  invoke(channel: string, payload: unknown): Promise<Reply>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}

const isEventName = (name: unknown): name is EventName =>
  typeof name === 'string' && (EVENT_NAMES as readonly string[]).includes(name);

/**
 * Builds the API over ipcRenderer. Unknown channels and events throw here, in the
 * preload, so a compromised or buggy page cannot reach arbitrary ipcMain channels
 * (Electron's own, or future ones) through us. Listeners receive the payload only:
 * the IpcRendererEvent carries `sender` (the ipcRenderer itself) and must never
 * cross into the page.
 */
export function buildAccountsApi(ipc: IpcRendererPort): PreloadAccountsApi {
  return Object.freeze({
    invoke(channel: string, payload: unknown): Promise<Reply> {
      if (!isChannelName(channel)) throw new TypeError(`Unknown channel: ${String(channel).slice(0, 64)}`);
      return ipc.invoke(channel, payload) as Promise<Reply>;
    },
    on(event: string, listener: (payload: unknown) => void): () => void {
      if (!isEventName(event)) throw new TypeError(`Unknown event: ${String(event).slice(0, 64)}`);
      if (typeof listener !== 'function') throw new TypeError('listener must be a function');
      const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
      ipc.on(event, forward);
      let active = true;
      return () => {
        if (!active) return;
        active = false;
        ipc.removeListener(event, forward);
      };
    },
  });
}

/** The key on window; the only thing the preload exposes. */
export const ACCOUNTS_API_KEY = 'accounts';
