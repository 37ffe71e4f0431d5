import type { BrowserWindowConstructorOptions, Rectangle, Shell, WebPreferences } from 'electron';
import type { BrowserWindowClass, BrowserWindowPort } from '../ports/electron-ports';
import { APP_ENTRY_URL } from './app-protocol';
import { guardNavigation } from './navigation-guard';
import { DEFAULT_SIZE, MIN_SIZE, type WindowState } from './window-bounds';

/**
 * The renderer's privileges, fixed here and nowhere else (lint forbids the insecure
 * values in every other file, and `new BrowserWindow` outside this module):
 * sandboxed, context-isolated, no Node, web security on, no webview, no insecure
 * content, no experimental or Blink features, no spellcheck dictionary downloads.
 */
export const SECURE_WEB_PREFERENCES = Object.freeze({
  sandbox: true,
  contextIsolation: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  experimentalFeatures: false,
  navigateOnDragDrop: false,
  safeDialogs: true,
  spellcheck: false,
  devTools: true,
} satisfies WebPreferences);

export interface MainWindowOptions {
  BrowserWindow: BrowserWindowClass;
  shell: Pick<Shell, 'openExternal'>;
  /** Absolute path of the built preload script. */
  preloadPath: string;
  state: WindowState;
  title: string;
  /** Packaged builds close DevTools to the user. */
  isPackaged: boolean;
  /** Dev only (never when packaged): the renderer dev server URL for hot reload. */
  devServerUrl?: string;
  log: { warn(message: string, context?: Record<string, unknown>): void };
}

export function mainWindowOptions(o: Pick<MainWindowOptions, 'preloadPath' | 'state' | 'title' | 'isPackaged'>): BrowserWindowConstructorOptions {
  const b: Partial<Rectangle> = o.state.bounds ?? {};
  return {
    ...b,
    width: b.width ?? DEFAULT_SIZE.width,
    height: b.height ?? DEFAULT_SIZE.height,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: o.title,
    show: false,
    backgroundColor: '#00000000',
    webPreferences: { ...SECURE_WEB_PREFERENCES, devTools: !o.isPackaged, preload: o.preloadPath },
  };
}

/**
 * The only BrowserWindow factory. Guards navigation before anything loads, shows
 * the window once it has painted (no white flash), and loads the app:// entry (or,
 * in development only, the dev server).
 */
export function createMainWindow(o: MainWindowOptions): BrowserWindowPort {
  const win = new o.BrowserWindow(mainWindowOptions(o));
  guardNavigation(win.webContents, { shell: o.shell, log: o.log });
  if (o.state.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  const url = !o.isPackaged && o.devServerUrl ? o.devServerUrl : APP_ENTRY_URL;
  void win.loadURL(url).catch(() => o.log.warn('the window could not load the app'));
  return win;
}

/** What to remember at close: the normal (unmaximized) bounds and whether it was maximized. */
export function windowStateOf(win: Pick<BrowserWindowPort, 'getNormalBounds' | 'isMaximized'>): WindowState {
  return { bounds: win.getNormalBounds(), maximized: win.isMaximized() };
}
