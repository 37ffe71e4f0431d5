import { EventEmitter } from 'node:events';
import type {
  BrowserWindowConstructorOptions,
  CustomScheme,
  Event,
  IpcMain,
  IpcMainInvokeEvent,
  MenuItemConstructorOptions,
  MessageBoxOptions,
  MessageBoxReturnValue,
  Protocol,
  Rectangle,
  Session,
  Shell,
  WindowOpenHandlerResponse,
  HandlerDetails,
} from 'electron';
import type { ShellElectron } from '../../electron/main/main-process';
import type {
  AppPort,
  BrowserWindowPort,
  DialogPort,
  IpcRendererPort,
  MenuPort,
  PowerMonitorPort,
  ScreenPort,
  WebContentsPort,
} from '../../electron/ports/electron-ports';

/*
 * A typed fake of the Electron APIs the shell uses. Each class implements the port
 * the shell declares from electron.d.ts (electron/ports/electron-ports.ts), and
 * FakeElectron.api is checked against ShellElectron, so a fake that drifts from
 * Electron's types stops compiling. Never loads the real 'electron' module.
 */

/** An Electron-style event whose default can be prevented. */
export interface FakeEvent {
  defaultPrevented: boolean;
  preventDefault(): void;
}
export function fakeEvent<T extends object>(extra: T = {} as T): FakeEvent & T {
  const e = {
    ...extra,
    defaultPrevented: false,
    preventDefault() {
      e.defaultPrevented = true;
    },
  };
  return e;
}
/** The fake event typed as Electron's (the shell reads only preventDefault and the details). */
export const asElectronEvent = <T extends object>(e: FakeEvent & T): Event<T> => e as unknown as Event<T>;

let nextContentsId = 1;

export class FakeWebContents extends EventEmitter implements WebContentsPort {
  readonly id = nextContentsId++;
  readonly sent: { channel: string; payload: unknown }[] = [];
  windowOpenHandler: ((details: HandlerDetails) => WindowOpenHandlerResponse) | null = null;
  private destroyed = false;

  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    this.sent.push({ channel, payload: args[0] });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setWindowOpenHandler(handler: (details: HandlerDetails) => WindowOpenHandlerResponse): void {
    this.windowOpenHandler = handler;
  }
  /** Emits an event and returns it, so a test can see whether the shell prevented it. */
  fire(name: string, details: object = {}): FakeEvent {
    const e = fakeEvent(details);
    this.emit(name, e);
    return e;
  }
  /** A main-frame, cross-document navigation start (initial load or reload). */
  startNavigation(url: string, extra: Partial<{ isMainFrame: boolean; isSameDocument: boolean }> = {}): void {
    this.emit('did-start-navigation', fakeEvent({ url, isMainFrame: true, isSameDocument: false, frame: null, ...extra }));
  }
  crash(reason = 'crashed'): void {
    this.emit('render-process-gone', fakeEvent(), { reason, exitCode: 1 });
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('destroyed');
  }
}

export class FakeBrowserWindow extends EventEmitter implements BrowserWindowPort {
  static readonly instances: FakeBrowserWindow[] = [];
  /** Emits 'window' with each new window (the boot test waits on it instead of polling). */
  static readonly created = new EventEmitter();
  readonly webContents = new FakeWebContents();
  readonly loaded: string[] = [];
  shown = false;
  focused = 0;
  minimized = false;
  maximized = false;
  reloads = 0;
  bounds: Rectangle;
  private destroyed = false;

  constructor(readonly options: BrowserWindowConstructorOptions) {
    super();
    this.bounds = { x: options.x ?? 100, y: options.y ?? 100, width: options.width ?? 800, height: options.height ?? 600 };
    FakeBrowserWindow.instances.push(this);
    FakeBrowserWindow.created.emit('window', this);
  }
  async loadURL(url: string): Promise<void> {
    this.loaded.push(url);
    this.webContents.startNavigation(url);
  }
  show(): void {
    this.shown = true;
  }
  focus(): void {
    this.focused++;
    this.emit('focus');
  }
  maximize(): void {
    this.maximized = true;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  getNormalBounds(): Rectangle {
    return { ...this.bounds };
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  reload(): void {
    this.reloads++;
    this.webContents.startNavigation(this.loaded.at(-1) ?? 'about:blank');
  }
  /** The user closes the window: close, then the contents and the window go away. */
  close(): void {
    this.emit('close', fakeEvent());
    this.destroyed = true;
    this.webContents.destroy();
    this.emit('closed');
  }
}

export class FakeApp extends EventEmitter implements AppPort {
  isPackaged = false;
  gotLock = true;
  sandboxed = false;
  quits = 0;
  exitCode: number | null = null;
  readonly paths = new Map<string, string>();
  private readonly ready = Promise.resolve();

  requestSingleInstanceLock(): boolean {
    return this.gotLock;
  }
  /** Like Electron: emits before-quit, and quits only when nobody prevented it. */
  quit(): void {
    const e = fakeEvent();
    this.emit('before-quit', e);
    if (!e.defaultPrevented) {
      this.quits++;
      this.emit('did-quit');
    }
  }
  exit(code = 0): void {
    this.exitCode = code;
  }
  getPath(name: Parameters<AppPort['getPath']>[0]): string {
    const p = this.paths.get(name);
    if (p === undefined) throw new Error(`Failed to get '${name}' path`);
    return p;
  }
  setPath(name: string, path: string): void {
    this.paths.set(name, path);
  }
  whenReady(): Promise<void> {
    return this.ready;
  }
  enableSandbox(): void {
    this.sandboxed = true;
  }
  /** What app.getLocale() answers: the OS language (Electron: only meaningful after ready). */
  locale = 'en-US';
  getLocale(): string {
    return this.locale;
  }
  secondInstance(argv: string[]): void {
    this.emit('second-instance', fakeEvent(), argv, '/', {});
  }
}

export class FakeIpcMain implements Pick<IpcMain, 'handle' | 'removeHandler'> {
  readonly handlers = new Map<string, (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown>();

  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void {
    // Electron refuses a second handler for a channel.
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** What ipcRenderer.invoke from `frame` in `contents` would do. */
  async invoke(channel: string, sender: { id: number }, frame: FakeFrame | null, payload: unknown): Promise<unknown> {
    const h = this.handlers.get(channel);
    if (!h) throw new Error(`No handler registered for '${channel}'`);
    const event = { sender, senderFrame: frame, frameId: 1, processId: 1 } as unknown as IpcMainInvokeEvent;
    return h(event, payload);
  }
}

/** The fields of WebFrameMain the bridge reads. */
export interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
  detached: boolean;
}
export const topFrame = (url: string): FakeFrame => ({ url, parent: null, detached: false });

export class FakeProtocol implements Pick<Protocol, 'handle' | 'registerSchemesAsPrivileged'> {
  readonly privileged: CustomScheme[] = [];
  readonly handlers = new Map<string, (request: Request) => Response | Promise<Response>>();
  registerSchemesAsPrivileged(schemes: CustomScheme[]): void {
    this.privileged.push(...schemes);
  }
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void {
    this.handlers.set(scheme, handler);
  }
}

type RequestHandler = Parameters<Session['setPermissionRequestHandler']>[0];
type CheckHandler = Parameters<Session['setPermissionCheckHandler']>[0];
export class FakeSession implements Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'> {
  requestHandler: RequestHandler = null;
  checkHandler: CheckHandler = null;
  setPermissionRequestHandler(handler: RequestHandler): void {
    this.requestHandler = handler;
  }
  setPermissionCheckHandler(handler: CheckHandler): void {
    this.checkHandler = handler;
  }
}

export interface FakeMenu {
  template: MenuItemConstructorOptions[];
}
export class FakeMenuStatic implements MenuPort<FakeMenu> {
  current: FakeMenu | null = null;
  builds = 0;
  buildFromTemplate(template: MenuItemConstructorOptions[]): FakeMenu {
    this.builds++;
    return { template };
  }
  setApplicationMenu(menu: FakeMenu | null): void {
    this.current = menu;
  }
  /** The Account submenu of the current application menu. */
  account(): MenuItemConstructorOptions[] {
    const top = this.current?.template.find((m) => m.id === 'account');
    return (top?.submenu ?? []) as MenuItemConstructorOptions[];
  }
}

export class FakeShell implements Pick<Shell, 'openExternal'> {
  readonly opened: string[] = [];
  async openExternal(url: string): Promise<void> {
    this.opened.push(url);
  }
}

export class FakeDialog implements DialogPort {
  readonly errorBoxes: { title: string; content: string }[] = [];
  readonly messageBoxes: MessageBoxOptions[] = [];
  showErrorBox(title: string, content: string): void {
    this.errorBoxes.push({ title, content });
  }
  async showMessageBox(options: MessageBoxOptions): Promise<MessageBoxReturnValue> {
    this.messageBoxes.push(options);
    return { response: 0, checkboxChecked: false };
  }
}

export class FakePowerMonitor extends EventEmitter implements PowerMonitorPort {}

export class FakeScreen implements ScreenPort {
  displays: { workArea: Rectangle }[] = [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }];
  getAllDisplays(): { workArea: Rectangle }[] {
    return this.displays;
  }
}

/** The preload side: contextBridge and ipcRenderer. */
export class FakeContextBridge {
  readonly exposed = new Map<string, unknown>();
  exposeInMainWorld(key: string, api: unknown): void {
    if (this.exposed.has(key)) throw new Error(`Cannot bind an API on top of an existing property: ${key}`);
    this.exposed.set(key, api);
  }
}
export class FakeIpcRenderer extends EventEmitter implements IpcRendererPort {
  readonly invoked: { channel: string; args: unknown[] }[] = [];
  reply: unknown = { ok: true, data: {} };
  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push({ channel, args });
    return this.reply;
  }
}

/** Every fake, wired together, plus `api`: the object the shell receives as 'electron'. */
export class FakeElectron {
  readonly app = new FakeApp();
  readonly ipcMain = new FakeIpcMain();
  readonly protocol = new FakeProtocol();
  readonly defaultSession = new FakeSession();
  readonly Menu = new FakeMenuStatic();
  readonly shell = new FakeShell();
  readonly dialog = new FakeDialog();
  readonly powerMonitor = new FakePowerMonitor();
  readonly screen = new FakeScreen();
  readonly BrowserWindow = FakeBrowserWindow;

  constructor(paths: { appData: string; userData?: string }) {
    this.app.setPath('appData', paths.appData);
    this.app.setPath('userData', paths.userData ?? `${paths.appData}/electron`);
    FakeBrowserWindow.instances.length = 0;
  }

  get api(): ShellElectron {
    const session = this.defaultSession;
    return {
      app: this.app,
      BrowserWindow: this.BrowserWindow,
      ipcMain: this.ipcMain,
      protocol: this.protocol,
      session: { defaultSession: session },
      Menu: this.Menu,
      shell: this.shell,
      dialog: this.dialog,
      powerMonitor: this.powerMonitor,
      screen: this.screen,
    };
  }

  windows(): FakeBrowserWindow[] {
    return FakeBrowserWindow.instances;
  }
}
