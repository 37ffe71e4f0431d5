import type {
  App,
  BrowserWindow,
  BrowserWindowConstructorOptions,
  Event,
  IpcRendererEvent,
  MenuItemConstructorOptions,
  MessageBoxOptions,
  MessageBoxReturnValue,
  Rectangle,
  RenderProcessGoneDetails,
  WebContents,
  WebContentsDidStartNavigationEventParams,
  WebContentsWillFrameNavigateEventParams,
  WebContentsWillNavigateEventParams,
  WebContentsWillRedirectEventParams,
  WebPreferences,
} from 'electron';

/*
 * The slices of Electron's API the shell uses, as types taken from electron.d.ts.
 * Electron's own `on()` overloads return `this` (the full App, BrowserWindow…),
 * which no test fake can be; these ports list only the events the shell listens to,
 * with Electron's own listener types, and ignore the return value. main.ts passes
 * the real objects, so `npm run typecheck` proves the real API fits every port; the
 * fake in test/support/fake-electron.ts implements the same ports.
 */

export interface AppPort
  extends Pick<App, 'requestSingleInstanceLock' | 'quit' | 'exit' | 'getPath' | 'setPath' | 'whenReady' | 'isPackaged' | 'enableSandbox' | 'getLocale'> {
  on(event: 'second-instance', listener: (event: Event, argv: string[], workingDirectory: string, additionalData: unknown) => void): unknown;
  on(event: 'before-quit', listener: (event: Event) => void): unknown;
  on(event: 'window-all-closed', listener: () => void): unknown;
  on(event: 'activate', listener: (event: Event, hasVisibleWindows: boolean) => void): unknown;
}

export interface WebContentsPort extends Pick<WebContents, 'id' | 'send' | 'isDestroyed' | 'setWindowOpenHandler'> {
  on(event: 'did-start-navigation', listener: (details: Event<WebContentsDidStartNavigationEventParams>) => void): unknown;
  on(event: 'render-process-gone', listener: (event: Event, details: RenderProcessGoneDetails) => void): unknown;
  on(event: 'destroyed', listener: () => void): unknown;
  on(event: 'will-navigate', listener: (details: Event<WebContentsWillNavigateEventParams>) => void): unknown;
  on(event: 'will-frame-navigate', listener: (details: Event<WebContentsWillFrameNavigateEventParams>) => void): unknown;
  on(event: 'will-redirect', listener: (details: Event<WebContentsWillRedirectEventParams>) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: Event, webPreferences: WebPreferences) => void): unknown;
}

export interface BrowserWindowPort
  extends Pick<
    BrowserWindow,
    'loadURL' | 'show' | 'focus' | 'maximize' | 'isMinimized' | 'restore' | 'isDestroyed' | 'getNormalBounds' | 'isMaximized' | 'reload'
  > {
  readonly webContents: WebContentsPort;
  on(event: 'close', listener: (event: Event) => void): unknown;
  on(event: 'closed', listener: () => void): unknown;
  on(event: 'focus', listener: () => void): unknown;
  once(event: 'ready-to-show', listener: () => void): unknown;
}

export type BrowserWindowClass = new (options: BrowserWindowConstructorOptions) => BrowserWindowPort;

export interface PowerMonitorPort {
  on(event: 'suspend' | 'lock-screen', listener: () => void): unknown;
  removeListener(event: 'suspend' | 'lock-screen', listener: () => void): unknown;
}

/** Menu's static side; generic over the built menu so a fake need not be a full Menu. */
export interface MenuPort<M> {
  buildFromTemplate(template: MenuItemConstructorOptions[]): M;
  setApplicationMenu(menu: M | null): void;
}

export interface DialogPort {
  showErrorBox(title: string, content: string): void;
  showMessageBox(options: MessageBoxOptions): Promise<MessageBoxReturnValue>;
}

export interface ScreenPort {
  getAllDisplays(): { workArea: Rectangle }[];
}

/** The preload's ipcRenderer. */
export interface IpcRendererPort {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: IpcRendererEvent, payload: unknown) => void): unknown;
  removeListener(channel: string, listener: (event: IpcRendererEvent, payload: unknown) => void): unknown;
}
