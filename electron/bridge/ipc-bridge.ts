import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import type { WebContentsPort } from '../ports/electron-ports';
import { channels, type EventName, type Events } from '../../shared/contract';
import type { Reply } from '../../shared/errors';
import type { Core } from '../core/index';
import { checkSender, type InvokeEventLike, type TrustedOrigin } from './sender-policy';

/** What the bridge needs of a window's webContents. */
export type BridgedContents = Pick<WebContentsPort, 'id' | 'send' | 'isDestroyed' | 'on'>;

export interface BridgeOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  core: Pick<Core, 'dispatch' | 'onEvent' | 'senderClosed'>;
  trustedOrigins: readonly TrustedOrigin[];
  log: { warn(message: string, context?: Record<string, unknown>): void };
}

const REFUSED: Reply = {
  ok: false,
  error: { code: 'PERMISSION_DENIED', message: 'This page may not use the app.' },
};

/**
 * ipcMain <-> core.dispatch, the only place that touches ipcMain (lint enforces it).
 *
 * - Every contract channel is registered through one wrapper, `handle()`, which
 *   checks the sender (sender-policy.ts) before the core sees anything, and passes
 *   `webContents.id` as the senderId: sessions are bound to it, so an ID stolen by
 *   another window is worthless there.
 * - Core events go only to the webContents they name, never broadcast.
 * - A page's sessions end (core.senderClosed) when its webContents is destroyed,
 *   its renderer crashes, or its main frame starts a new document after the first
 *   load (reload or navigation): the new page never inherits sessions it did not
 *   create, and none are left orphaned, bound to a page that no longer exists.
 */
export class IpcBridge {
  private readonly windows = new Map<number, BridgedContents>();
  private readonly disposers: (() => void)[] = [];

  constructor(private readonly o: BridgeOptions) {}

  /** Registers every channel of the contract and starts forwarding core events. */
  start(): void {
    for (const channel of Object.keys(channels)) this.handle(channel);
    this.disposers.push(
      this.o.core.onEvent((senderId, event, payload) => this.send(senderId, event, payload)),
    );
  }

  /** Starts serving `contents` (a window this app created). */
  attach(contents: BridgedContents): void {
    const id = contents.id;
    this.windows.set(id, contents);
    let loads = 0;
    const closed = (why: string) => {
      void this.o.core.senderClosed(id).catch(() => this.o.log.warn('ending sessions failed', { why }));
    };
    contents.on('did-start-navigation', (details) => {
      if (!details.isMainFrame || details.isSameDocument) return;
      loads++;
      if (loads > 1) closed('reload');
    });
    contents.on('render-process-gone', () => closed('render-process-gone'));
    contents.on('destroyed', () => {
      this.windows.delete(id);
      closed('destroyed');
    });
  }

  /** Sends an event to one window, if it is still alive. */
  send<E extends EventName>(senderId: number, event: E, payload: Events[E]): void {
    const contents = this.windows.get(senderId);
    if (contents === undefined || contents.isDestroyed()) return;
    contents.send(event, payload);
  }

  isKnown(senderId: number): boolean {
    return this.windows.has(senderId);
  }

  /** Removes every handler and listener (quit, tests). */
  dispose(): void {
    for (const channel of Object.keys(channels)) this.o.ipcMain.removeHandler(channel);
    for (const d of this.disposers.splice(0)) d();
    this.windows.clear();
  }

  private handle(channel: string): void {
    this.o.ipcMain.handle(channel, (event: IpcMainInvokeEvent, payload: unknown) => this.invoke(event, channel, payload));
  }

  /** The wrapper body: sender check, then the core (which validates the payload and never throws). */
  async invoke(event: InvokeEventLike, channel: string, payload: unknown): Promise<Reply> {
    const verdict = checkSender(event, this.o.trustedOrigins, (id) => this.windows.has(id));
    if (!verdict.ok) {
      this.o.log.warn('IPC call refused', { channel, reason: verdict.reason });
      return REFUSED;
    }
    return this.o.core.dispatch(verdict.senderId, channel, payload);
  }
}
